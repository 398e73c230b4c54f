import _Differentiation
import CheckpointedAD

// The classical fourth-order Runge–Kutta step of dx/dt = f(x, p) for a kernel right-hand
// side (any FieldKernel: a 1-D field, a 2-D grid, coupled fields), fused: each stage is one
// sweep forward (k = f(z), the result and the next stage input updated in the same pass) and
// one sweep backward.
//
// Forward: z1 = x, z2 = x + dt/2·k1, z3 = x + dt/2·k2, z4 = x + dt·k3 with k_s = f(z_s),
// y = x + dt/6·k1 + dt/3·k2 + dt/3·k3 + dt/6·k4 (accumulated in that order).
// Backward, from ȳ: x̄ = ȳ; k̄4 = dt/6·ȳ; z̄4 = J(z4)ᵀk̄4; k̄3 = dt/3·ȳ + dt·z̄4;
// z̄3 = J(z3)ᵀk̄3; k̄2 = dt/3·ȳ + dt/2·z̄3; z̄2 = J(z2)ᵀk̄2; k̄1 = dt/6·ȳ + dt/2·z̄2;
// x̄ += z̄4 + z̄3 + z̄2 + J(x)ᵀk̄1; p̄ = Σ_s J_p(z_s)ᵀk̄_s, stages 4, 3, 2, 1 in that order.
// Each k̄_s is formed site by site as the sweep reads it (a PullbackSeed), so a stage is
// one pass.

extension FieldKernel {
    /// One RK4 step x ↦ y of dx/dt = f(x, p): four fused sweeps.
    ///
    /// ```swift
    /// var x = Lorenz96.initialState(count: 4096, forcing: 8)
    /// for _ in 0..<1000 { x = lorenz.rungeKutta4Step(x, parameters: 8, dt: 0.01) }
    /// ```
    ///
    /// - Complexity: 4N site evaluations; allocates the result, and a scratch block of 2N
    ///   unless it fits on the stack.
    @inlinable
    public func rungeKutta4Step(_ x: Vector, parameters: Parameters, dt: Double) -> Vector {
        let n = x.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { scratch in
            let z = scratch.baseAddress!
            return x.scalars.withUnsafeBufferPointer { xp in
                Vector(unsafeUninitializedCount: n) { out in
                    rungeKutta4Stages(xp.baseAddress!, n, parameters, dt: dt, z2: z, z3: z + n, z4: z, value: out.baseAddress!)
                }
            }
        }
    }

    /// The RK4 step's value and its fused pullback ȳ ↦ (x̄, p̄); the tape is the stage
    /// inputs z2, z3, z4. The value equals ``rungeKutta4Step(_:parameters:dt:)``'s bit for bit.
    ///
    /// ```swift
    /// let (y, pullback) = lorenz.rungeKutta4StepWithPullback(x, parameters: 8, dt: 0.01)
    /// let (xbar, Fbar) = pullback(y)
    /// ```
    ///
    /// - Complexity: 4N site evaluations now; 4N site pullbacks when the pullback runs.
    @inlinable
    public func rungeKutta4StepWithPullback(_ x: Vector, parameters: Parameters, dt: Double)
        -> (value: Vector, pullback: (Vector) -> (Vector, Parameters.TangentVector))
    {
        let n = x.count, tape = StageTape.make(count: n)
        let value = tape.withStages { z2, z3, z4 in
            x.scalars.withUnsafeBufferPointer { xp in
                Vector(unsafeUninitializedCount: n) { out in
                    rungeKutta4Stages(xp.baseAddress!, n, parameters, dt: dt, z2: z2, z3: z3, z4: z4, value: out.baseAddress!)
                }
            }
        }
        return (value, rungeKutta4Pullback(x, tape, parameters: parameters, dt: dt))
    }

    /// The RK4 step's pullback alone: three stages (the fourth only serves the value), then
    /// the same fused pullback as ``rungeKutta4StepWithPullback(_:parameters:dt:)``.
    ///
    /// ```swift
    /// let (xbar, Fbar) = lorenz.rungeKutta4Pullback(x, parameters: 8, dt: 0.01)(ybar)
    /// ```
    ///
    /// - Complexity: 3N site evaluations now; 4N site pullbacks when the pullback runs.
    @inlinable
    public func rungeKutta4Pullback(_ x: Vector, parameters: Parameters, dt: Double) -> (Vector) -> (Vector, Parameters.TangentVector) {
        let n = x.count, tape = StageTape.make(count: n)
        tape.withStages { z2, z3, z4 in
            x.scalars.withUnsafeBufferPointer { xp in
                rungeKutta4Stages(xp.baseAddress!, n, parameters, dt: dt, z2: z2, z3: z3, z4: z4, value: nil)
            }
        }
        return rungeKutta4Pullback(x, tape, parameters: parameters, dt: dt)
    }

    /// The RK4 step as the checkpointed driver runs it: ``rungeKutta4Step(_:parameters:dt:)``
    /// for advances, the fused pullbacks for reverses.
    ///
    /// ```swift
    /// let g = try valueWithCheckpointedGradient(
    ///     at: x0, parameters: 8.0, steps: 1000, checkpointing: .revolve(memory: .slots(32)),
    ///     step: lorenz.rungeKutta4(dt: 0.01), losses: [.final { $0.halfSquaredNorm() }])
    /// ```
    ///
    /// Under a byte budget, the reverse holds ``rungeKutta4WorkspaceStates`` state-sized
    /// buffers besides the driver's own: set `CheckpointingOptions.workspaceStates` to it so
    /// that the slots the budget buys leave room for them.
    ///
    /// - Complexity: an advance costs 4N site evaluations, a reverse 3N plus 4N site pullbacks.
    @inlinable
    public func rungeKutta4(dt: Double) -> CheckpointedStep<Vector, Parameters, Vector, Parameters.TangentVector> {
        CheckpointedStep(
            forward: { x, p, _ in rungeKutta4Step(x, parameters: p, dt: dt) },
            valueWithPullback: { x, p, _ in rungeKutta4StepWithPullback(x, parameters: p, dt: dt) },
            pullback: { x, p, _ in rungeKutta4Pullback(x, parameters: p, dt: dt) })
    }

    /// The state-sized buffers a fused RK4 pullback holds at once: the three stage inputs of
    /// its tape, two of scratch and x̄.
    public var rungeKutta4WorkspaceStates: Int { 6 }

    /// The stages from x: z2, z3, z4 written to the given buffers (z4 may share z2's, which
    /// it outlives), and y to `value` when given. Each stage is one sweep whose body is
    /// plain stores, so the interior loop is as simple as the site function.
    @inlinable
    func rungeKutta4Stages(
        _ x: UnsafePointer<Double>, _ n: Int, _ p: Parameters, dt: Double,
        z2: UnsafeMutablePointer<Double>, z3: UnsafeMutablePointer<Double>, z4: UnsafeMutablePointer<Double>,
        value y: UnsafeMutablePointer<Double>?
    ) {
        let (w1, w2, h2) = (dt / 6, dt / 3, dt / 2)
        if let y {
            sweepStage(x, n, p) { j, k in y[j] = x[j] + w1 * k; z2[j] = x[j] + h2 * k }
            sweepStage(z2, n, p) { j, k in y[j] += w2 * k; z3[j] = x[j] + h2 * k }
            sweepStage(z3, n, p) { j, k in y[j] += w2 * k; z4[j] = x[j] + dt * k }
            sweepStage(z4, n, p) { j, k in y[j] += w1 * k }
        } else {
            sweepStage(x, n, p) { j, k in z2[j] = x[j] + h2 * k }
            sweepStage(z2, n, p) { j, k in z3[j] = x[j] + h2 * k }
            sweepStage(z3, n, p) { j, k in z4[j] = x[j] + dt * k }
        }
    }

    /// One forward stage: `body(j, f(z)_j)` for j = 0, 1, …, n−1.
    @inlinable @inline(__always)
    func sweepStage(_ z: UnsafePointer<Double>, _ n: Int, _ p: Parameters, _ body: (Int, Double) -> Void) {
        forEachValue(of: z, count: n, parameters: p, body)
    }

    /// The fused pullback from the tape: one backward sweep per stage (see the file header).
    @inlinable
    func rungeKutta4Pullback(_ x: Vector, _ tape: StageTape, parameters: Parameters, dt: Double)
        -> (Vector) -> (Vector, Parameters.TangentVector)
    {
        let n = x.count
        return { ybar in
            if ybar.count == 0 { return (.zero, .zero) }
            precondition(ybar.count == n, "the cotangent holds \(ybar.count) values for a field of \(n)")
            var parameterBar = Parameters.TangentVector.zero
            let xbar = withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { scratch in
                let a = scratch.baseAddress!, b = a + n
                return tape.withStages { z2, z3, z4 in
                    ybar.scalars.withUnsafeBufferPointer { yb in
                        x.scalars.withUnsafeBufferPointer { xp in
                            Vector(unsafeUninitializedCount: n) { xb in
                                let y = yb.baseAddress!, o = xb.baseAddress!
                                // Stage 4: z̄4 → a; x̄ = ȳ + z̄4.
                                parameterBar += overwritePullback(at: z4, n, parameters: parameters, seed: PullbackSeed(dt / 6, y),
                                                                  over: a, addingTo: o, from: y)
                                // Stage 3: k̄3 = dt/3·ȳ + dt·z̄4; z̄3 → b; x̄ += z̄3.
                                parameterBar += overwritePullback(at: z3, n, parameters: parameters, seed: PullbackSeed(dt / 3, y, plus: dt, a),
                                                                  over: b, addingTo: o, from: nil)
                                // Stage 2: k̄2 = dt/3·ȳ + dt/2·z̄3; z̄2 → a (z̄4 is spent); x̄ += z̄2.
                                parameterBar += overwritePullback(at: z2, n, parameters: parameters, seed: PullbackSeed(dt / 3, y, plus: dt / 2, b),
                                                                  over: a, addingTo: o, from: nil)
                                // Stage 1: k̄1 = dt/6·ȳ + dt/2·z̄2; x̄ += J(x)ᵀk̄1.
                                parameterBar += accumulatePullback(at: xp.baseAddress!, n, parameters: parameters,
                                                                   seed: PullbackSeed(dt / 6, y, plus: dt / 2, a), into: o, alsoInto: nil)
                            }
                        }
                    }
                }
            }
            return (xbar, parameterBar)
        }
    }
}
