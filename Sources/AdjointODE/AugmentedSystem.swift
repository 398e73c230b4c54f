import CheckpointedAD

/// The map the driver reverses: z_i ↦ z_{i+1} on the augmented state z = (y, q), where q
/// accumulates the running cost's quadrature and the observation terms met at each step's
/// end, with its hand-written pullback (the stepper's discrete adjoint: ``RungeKuttaStepper``,
/// ``DiagonallyImplicitStepper`` or ``RosenbrockStepper``). A stage failure inside the
/// driver's non-throwing closures is kept in the workspace box and thrown after the sweep.
struct AugmentedSystem<Stepper: ODEStepper> {
    let stepper: Stepper
    let forward: (Vector, Vector, Int) -> Vector
    let checkpointedStep: CheckpointedStep<Vector, Vector, Vector, Vector>
    let finalLoss: CheckpointedLoss<Vector, Vector, Vector, Vector>
    /// Observation terms at t₀, added outside the driver.
    let initialTerms: [ODELoss.StateTerm]

    /// Keeps the group workspace alive as long as the closures that use it.
    let workspace: WorkspaceBox

    /// - Parameter groupSize: k, the Runge–Kutta steps per driver step (per checkpoint
    ///   interval); the group's k − 1 inner states are kept in a workspace while it is reversed.
    init(solution: ODESolution, loss: ODELoss, stepper: Stepper, groupSize: Int = 1) throws(ODEError) {
        precondition(groupSize >= 1, "steps per checkpoint must be at least 1, got \(groupSize)")
        if !loss.running.isEmpty && !stepper.integratesRunningCosts {
            throw .methodCannotIntegrateRunningCost(method: stepper.methodName)
        }
        let problem = solution.problem
        let dimension = problem.dimension
        let parameterCount = problem.rightHandSide.parameterCount
        let grid = solution.grid
        let n = grid.count
        let k = groupSize
        let width = dimension + 1
        let storage = UnsafeMutablePointer<Double>.allocate(capacity: k * width)
        storage.initialize(repeating: 0, count: k * width)
        let box = WorkspaceBox(storage)
        workspace = box

        var termsAt: [Int: [ODELoss.StateTerm]] = [:]
        for (time, term) in loss.observations {
            guard let k = grid.index(of: time) else { throw .timeNotOnGrid(time: time) }
            termsAt[k, default: []].append(term)
        }
        initialTerms = termsAt.removeValue(forKey: 0) ?? []
        let observed = termsAt
        let hasObservations = !termsAt.isEmpty
        let running = loss.combinedRunningCost

        // One Runge–Kutta step z_i ↦ z_{i+1} on flat storage (`next` may not alias `z`).
        let advance: (UnsafePointer<Double>, UnsafeBufferPointer<Double>, Int, UnsafeMutablePointer<Double>) -> Void = { z, pb, i, out in
            let next = UnsafeMutableBufferPointer(start: out, count: dimension)
            var q: Double
            do throws(StageSolveFailure) {
                q = try z[dimension] + stepper.step(
                    time: grid.time(i), size: grid.size(i), state: UnsafeBufferPointer(start: z, count: dimension),
                    parameters: pb, into: next, errorEstimate: nil, runningCost: running)
            } catch {
                // The driver's closures cannot throw: poison the state and report after the sweep.
                box.record(ODEError(error, step: i, time: grid.time(i), size: grid.size(i)))
                next.update(repeating: .nan)
                q = .nan
            }
            if hasObservations, let terms = observed[i + 1] {
                for term in terms { q += term.value(UnsafeBufferPointer(next)) }
            }
            out[dimension] = q
        }
        // Its pullback: λ⁺ (`incoming`, or already in `out` when nil) ↦ λ in `out`.
        let reverse: (UnsafePointer<Double>, UnsafeBufferPointer<Double>, Int, UnsafePointer<Double>?, Double, UnsafeMutablePointer<Double>, UnsafeMutableBufferPointer<Double>, Bool) -> Void = {
            z, pb, i, incoming, costWeight, out, pBar, stagesAreCurrent in
            let terms = hasObservations && costWeight != 0 ? observed[i + 1] : nil
            do throws(StageSolveFailure) {
                try stepper.pullback(
                time: grid.time(i), size: grid.size(i), state: UnsafeBufferPointer(start: z, count: dimension),
                parameters: pb, stateAdjoint: UnsafeMutableBufferPointer(start: out, count: dimension),
                parameterAdjoint: pBar, runningCost: running, costWeight: costWeight,
                endState: terms.map { terms in
                    { yNext, lambda in for term in terms { term.gradient(yNext, costWeight, lambda) } }
                },
                stagesAreCurrent: stagesAreCurrent,
                incoming: incoming.map { UnsafeBufferPointer(start: $0, count: dimension) })
            } catch {
                box.record(ODEError(error, step: i, time: grid.time(i), size: grid.size(i)))
                out.update(repeating: .nan, count: dimension)
            }
            out[dimension] = costWeight
        }

        // The driver's step j runs Runge–Kutta steps j·k ..< min((j+1)·k, n).
        let forward: (Vector, Vector, Int) -> Vector = { z, p, j in
            let inner = box.pointer  // the closures own the workspace
            box.tape &+= 1  // the ping-pong below overwrites any recorded group
            let first = j * k
            let last = Swift.min(first + k, n)
            return Vector(unsafeUninitializedCount: width) { out in
                z.scalars.withUnsafeBufferPointer { zb in
                    p.scalars.withUnsafeBufferPointer { pb in
                        // Ping-pong through the workspace so that the last step lands in `out`.
                        var source = zb.baseAddress!
                        for i in first..<last {
                            let target = i == last - 1 ? out.baseAddress! : inner + ((i - first) % 2) * width
                            advance(source, pb, i, target)
                            source = UnsafePointer(target)
                        }
                    }
                }
            }
        }
        /// Writes z_first … z_{last−1} into the workspace and, if given, z_last into `out`.
        func record(_ z: Vector, _ p: Vector, _ first: Int, _ last: Int, into out: UnsafeMutablePointer<Double>?) {
            let inner = box.pointer
            z.scalars.withUnsafeBufferPointer { zb in
                p.scalars.withUnsafeBufferPointer { pb in
                    inner.update(from: zb.baseAddress!, count: width)
                    for i in first..<last {
                        if i == last - 1 {
                            if let out { advance(inner + (i - first) * width, pb, i, out) }
                        } else {
                            advance(inner + (i - first) * width, pb, i, inner + (i - first + 1) * width)
                        }
                    }
                }
            }
            box.tape &+= 1
        }
        /// The pullback of steps first ..< last from z, whose inner states were recorded at
        /// workspace tape `tape` (any tape for a single step). `generation`: the stepper's
        /// generation right after it computed step last − 1's stages, if it did.
        func pullback(_ z: Vector, _ p: Vector, _ first: Int, _ last: Int, tape: Int, generation: Int?) -> (Vector) -> (Vector, Vector) {
            { zBar in
                let hasIncoming = zBar.count == width
                let costWeight = hasIncoming ? zBar.scalars[dimension] : 0
                var parameterBar = [Double](repeating: 0, count: parameterCount)
                var stagesAreCurrent = generation != nil && stepper.generation == generation
                if last - first > 1 && box.tape != tape {
                    // Something ran since the group was recorded: record its states again.
                    record(z, p, first, last, into: nil)
                    stagesAreCurrent = false
                }
                let inner = box.pointer
                let stateBar = Vector(unsafeUninitializedCount: width) { sb in
                    if !hasIncoming { sb.update(repeating: 0) }  // the zero cotangent has no elements
                    zBar.scalars.withUnsafeBufferPointer { incoming in
                        z.scalars.withUnsafeBufferPointer { zb in
                            p.scalars.withUnsafeBufferPointer { pb in
                                parameterBar.withUnsafeMutableBufferPointer { pBar in
                                    for i in stride(from: last - 1, through: first, by: -1) {
                                        let state = last - first == 1 ? zb.baseAddress! : UnsafePointer(inner + (i - first) * width)
                                        let isLast = i == last - 1
                                        reverse(
                                            state, pb, i, isLast && hasIncoming ? incoming.baseAddress! : nil, costWeight,
                                            sb.baseAddress!, pBar, isLast && stagesAreCurrent)
                                    }
                                }
                            }
                        }
                    }
                }
                return (stateBar, Vector(parameterBar))
            }
        }
        checkpointedStep = CheckpointedStep<Vector, Vector, Vector, Vector>(
            forward: forward,
            valueWithPullback: { z, p, j in
                let first = j * k
                let last = Swift.min(first + k, n)
                if last - first == 1 {
                    // Tape one step, keeping its stages for the pullback.
                    let value = forward(z, p, j)
                    return (value, pullback(z, p, first, last, tape: 0, generation: stepper.generation))
                }
                let value = Vector(unsafeUninitializedCount: width) { record(z, p, first, last, into: $0.baseAddress!) }
                return (value, pullback(z, p, first, last, tape: box.tape, generation: stepper.generation))
            },
            pullback: { z, p, j in
                // A reverse whose value the driver drops: no y⁺ is formed; the stages of the
                // (last) step are recomputed by the pullback itself.
                let first = j * k
                let last = Swift.min(first + k, n)
                if last - first > 1 { record(z, p, first, last, into: nil) }
                return pullback(z, p, first, last, tape: box.tape, generation: nil)
            })

        let terminal = loss.terminal
        finalLoss = CheckpointedLoss<Vector, Vector, Vector, Vector>(
            at: .final,
            value: { z, _, _ in
                z.scalars.withUnsafeBufferPointer { zb in
                    let y = UnsafeBufferPointer(rebasing: zb[0..<dimension])
                    return terminal.reduce(zb[dimension]) { $0 + $1.value(y) }
                }
            },
            valueWithGradient: { z, _, _ in
                var gradient = [Double](repeating: 0, count: dimension + 1)
                gradient[dimension] = 1
                let value = z.scalars.withUnsafeBufferPointer { zb in
                    gradient.withUnsafeMutableBufferPointer { g in
                        let y = UnsafeBufferPointer(rebasing: zb[0..<dimension])
                        let yBar = UnsafeMutableBufferPointer(rebasing: g[0..<dimension])
                        return terminal.reduce(zb[dimension]) { sum, term in
                            term.gradient(y, 1, yBar)
                            return sum + term.value(y)
                        }
                    }
                }
                return (value, Vector(gradient), .zero)
            })

        self.forward = forward
        self.stepper = stepper
    }
}

/// Owns the group workspace of an ``AugmentedSystem``.
final class WorkspaceBox {
    let pointer: UnsafeMutablePointer<Double>
    /// Incremented whenever the workspace is overwritten, so a group's pullback can tell
    /// whether its recorded inner states are still there.
    var tape = 0
    /// The first stage failure met inside the driver's (non-throwing) closures.
    private(set) var failure: ODEError?
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
    /// Keeps the first failure.
    func record(_ error: ODEError) { if failure == nil { failure = error } }
    deinit { pointer.deallocate() }
}
