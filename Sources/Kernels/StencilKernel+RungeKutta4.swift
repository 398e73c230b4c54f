import _Differentiation
import CheckpointedAD

// The classical fourth-order Runge–Kutta step of dx/dt = f(x, p) for a stencil-kernel
// right-hand side, fused: each stage is one sweep forward (k = f(z), the result and the
// next stage input updated in the same pass) and one sweep backward.
//
// Forward: z1 = x, z2 = x + dt/2·k1, z3 = x + dt/2·k2, z4 = x + dt·k3 with k_s = f(z_s),
// y = x + dt/6·k1 + dt/3·k2 + dt/3·k3 + dt/6·k4 (accumulated in that order).
// Backward, from ȳ: x̄ = ȳ; k̄4 = dt/6·ȳ; z̄4 = J(z4)ᵀk̄4; k̄3 = dt/3·ȳ + dt·z̄4;
// z̄3 = J(z3)ᵀk̄3; k̄2 = dt/3·ȳ + dt/2·z̄3; z̄2 = J(z2)ᵀk̄2; k̄1 = dt/6·ȳ + dt/2·z̄2;
// x̄ += z̄4 + z̄3 + z̄2 + J(x)ᵀk̄1; p̄ = Σ_s J_p(z_s)ᵀk̄_s, stages 4, 3, 2, 1 in that order.
// Each k̄_s is formed site by site as the sweep reads it, so a stage is one pass.

extension StencilKernel {
    /// One RK4 step x ↦ y of dx/dt = f(x, p), four fused sweeps, three buffers.
    ///
    /// ```swift
    /// var x = Lorenz96.initialState(count: 4096, forcing: 8)
    /// for _ in 0..<1000 { x = lorenz.rungeKutta4Step(x, parameters: 8, dt: 0.01) }
    /// ```
    ///
    /// - Complexity: 4N site evaluations; allocates the result and two stage buffers.
    public func rungeKutta4Step(_ x: Vector, parameters: Parameters, dt: Double) -> Vector {
        let n = x.count
        var zA = [Double](repeating: 0, count: n), zB = [Double](repeating: 0, count: n)
        return x.scalars.withUnsafeBufferPointer { xp in
            zA.withUnsafeMutableBufferPointer { a in
                zB.withUnsafeMutableBufferPointer { b in
                    Vector(unsafeUninitializedCount: n) { out in
                        let x = xp.baseAddress!, o = out.baseAddress!, a = a.baseAddress!, b = b.baseAddress!
                        stage(x, x, n, parameters, out: o, weight: dt / 6, first: true, next: a, c: dt / 2)
                        stage(a, x, n, parameters, out: o, weight: dt / 3, first: false, next: b, c: dt / 2)
                        stage(b, x, n, parameters, out: o, weight: dt / 3, first: false, next: a, c: dt)
                        stage(a, x, n, parameters, out: o, weight: dt / 6, first: false, next: nil, c: 0)
                    }
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
    public func rungeKutta4StepWithPullback(_ x: Vector, parameters: Parameters, dt: Double)
        -> (value: Vector, pullback: (Vector) -> (Vector, Parameters.TangentVector))
    {
        let (tape, value) = rungeKutta4Tape(x, parameters: parameters, dt: dt, keepsValue: true)
        return (value!, rungeKutta4Pullback(x, tape, parameters: parameters, dt: dt))
    }

    /// The RK4 step's pullback alone: three stages (the fourth only serves the value), then
    /// the same fused pullback as ``rungeKutta4StepWithPullback(_:parameters:dt:)``.
    ///
    /// ```swift
    /// let (xbar, Fbar) = lorenz.rungeKutta4Pullback(x, parameters: 8, dt: 0.01)(ybar)
    /// ```
    ///
    /// - Complexity: 3N site evaluations now; 4N site pullbacks when the pullback runs.
    public func rungeKutta4Pullback(_ x: Vector, parameters: Parameters, dt: Double) -> (Vector) -> (Vector, Parameters.TangentVector) {
        rungeKutta4Pullback(x, rungeKutta4Tape(x, parameters: parameters, dt: dt, keepsValue: false).tape, parameters: parameters, dt: dt)
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
    /// - Complexity: an advance costs 4N site evaluations, a reverse 3N plus 4N site pullbacks.
    public func rungeKutta4(dt: Double) -> CheckpointedStep<Vector, Parameters, Vector, Parameters.TangentVector> {
        CheckpointedStep(
            forward: { x, p, _ in rungeKutta4Step(x, parameters: p, dt: dt) },
            valueWithPullback: { x, p, _ in rungeKutta4StepWithPullback(x, parameters: p, dt: dt) },
            pullback: { x, p, _ in rungeKutta4Pullback(x, parameters: p, dt: dt) })
    }

    /// One forward stage, fused: k = f(z); out = x + w·k (first) or out += w·k; next = x + c·k.
    @inline(__always)
    func stage(
        _ z: UnsafePointer<Double>, _ x: UnsafePointer<Double>, _ n: Int, _ p: Parameters,
        out: UnsafeMutablePointer<Double>?, weight: Double, first: Bool, next: UnsafeMutablePointer<Double>?, c: Double
    ) {
        forEachSite(z, n) { j, u in
            let k = site(u, p)
            if let out { out[j] = first ? x[j] + weight * k : out[j] + weight * k }
            if let next { next[j] = x[j] + c * k }
        }
    }

    /// The stage inputs z2, z3, z4 (and the step's value when asked), computed exactly as
    /// ``rungeKutta4Step(_:parameters:dt:)`` computes them.
    func rungeKutta4Tape(_ x: Vector, parameters: Parameters, dt: Double, keepsValue: Bool) -> (tape: [[Double]], value: Vector?) {
        let n = x.count
        var z2 = [Double](repeating: 0, count: n), z3 = z2, z4 = z2
        var value: Vector?
        x.scalars.withUnsafeBufferPointer { xp in
            z2.withUnsafeMutableBufferPointer { p2 in
                z3.withUnsafeMutableBufferPointer { p3 in
                    z4.withUnsafeMutableBufferPointer { p4 in
                        let x = xp.baseAddress!, p2 = p2.baseAddress!, p3 = p3.baseAddress!, p4 = p4.baseAddress!
                        let run = { (o: UnsafeMutablePointer<Double>?) in
                            stage(x, x, n, parameters, out: o, weight: dt / 6, first: true, next: p2, c: dt / 2)
                            stage(p2, x, n, parameters, out: o, weight: dt / 3, first: false, next: p3, c: dt / 2)
                            stage(p3, x, n, parameters, out: o, weight: dt / 3, first: false, next: p4, c: dt)
                            if let o { stage(p4, x, n, parameters, out: o, weight: dt / 6, first: false, next: nil, c: 0) }
                        }
                        if keepsValue {
                            value = Vector(unsafeUninitializedCount: n) { out in run(out.baseAddress!) }
                        } else {
                            run(nil)
                        }
                    }
                }
            }
        }
        return ([z2, z3, z4], value)
    }

    /// The fused pullback from the tape: one backward sweep per stage (see the file header).
    func rungeKutta4Pullback(_ x: Vector, _ tape: [[Double]], parameters: Parameters, dt: Double)
        -> (Vector) -> (Vector, Parameters.TangentVector)
    {
        let n = x.count
        return { ybar in
            if ybar.count == 0 { return (.zero, .zero) }
            precondition(ybar.count == n, "the cotangent holds \(ybar.count) values for a field of \(n)")
            var bufferA = [Double](repeating: 0, count: n), bufferB = bufferA
            var parameterBar = Parameters.TangentVector.zero
            let xbar = Vector(unsafeUninitializedCount: n) { xb in
                ybar.scalars.withUnsafeBufferPointer { yb in
                    x.scalars.withUnsafeBufferPointer { xp in
                        tape[0].withUnsafeBufferPointer { p2 in
                            tape[1].withUnsafeBufferPointer { p3 in
                                tape[2].withUnsafeBufferPointer { p4 in
                                    bufferA.withUnsafeMutableBufferPointer { a in
                                        bufferB.withUnsafeMutableBufferPointer { b in
                                            let y = yb.baseAddress!, o = xb.baseAddress!, a = a.baseAddress!, b = b.baseAddress!
                                            _ = xb.initialize(from: yb)
                                            // Stage 4: z̄4 → a (and x̄).
                                            parameterBar += accumulatePullback(at: p4.baseAddress!, n, parameters: parameters,
                                                seed: { dt / 6 * y[$0] }, into: a, alsoInto: o)
                                            // Stage 3: k̄3 = dt/3·ȳ + dt·z̄4; z̄3 → b.
                                            parameterBar += accumulatePullback(at: p3.baseAddress!, n, parameters: parameters,
                                                seed: { dt / 3 * y[$0] + dt * a[$0] }, into: b, alsoInto: o)
                                            // Stage 2: k̄2 = dt/3·ȳ + dt/2·z̄3; z̄2 → a (cleared).
                                            a.update(repeating: 0, count: n)
                                            parameterBar += accumulatePullback(at: p2.baseAddress!, n, parameters: parameters,
                                                seed: { dt / 3 * y[$0] + dt / 2 * b[$0] }, into: a, alsoInto: o)
                                            // Stage 1: k̄1 = dt/6·ȳ + dt/2·z̄2; x̄ += J(x)ᵀk̄1.
                                            parameterBar += accumulatePullback(at: xp.baseAddress!, n, parameters: parameters,
                                                seed: { dt / 6 * y[$0] + dt / 2 * a[$0] }, into: o, alsoInto: nil)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return (xbar, parameterBar)
        }
    }
}
