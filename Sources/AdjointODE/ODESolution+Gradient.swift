import CheckpointSchedules
import CheckpointedAD

/// The loss of a solve and its gradients, from
/// ``ODESolution/gradient(of:checkpointing:stepsPerCheckpoint:options:)``: the value L, ∂L/∂y₀
/// (`initialState`), ∂L/∂p (`parameters`), y(t₁) (`finalState`, recomputed by the recording
/// sweep, bit-identical to the solve's) and what the checkpointed sweep did (`statistics`;
/// its `stateBytes` includes the one extra value that carries the accumulated running cost
/// and observation terms, and its `reservedBytes` the adjoint's stage buffers and recorded
/// step sizes).
public typealias ODEGradient = CheckpointedGradient<Vector, Vector, Vector>

extension ODESolution {
    /// The exact gradient of `loss` with respect to y₀ and p, through the discrete adjoint of
    /// every Runge–Kutta step, checkpointed as `checkpointing` says.
    ///
    /// ```swift
    /// let g = try solution.gradient(of: .finalState { $0.halfSquaredNorm() },
    ///                               checkpointing: .revolve(memory: .megabytes(64)))
    /// ```
    ///
    /// The driver reverses the map z_i ↦ z_{i+1} on the augmented state z = (y, q), where q
    /// accumulates the running cost's quadrature and the observation terms at the end of each
    /// step: q_{i+1} = q_i + h_i Σ_j b_j g(t_i + c_j h_i, Y_j) + Σ_{τ_k = t_{i+1}} ℓ_k(y_{i+1}).
    /// The loss is Φ(y_n) + q_n (+ the terms observed at t₀). Each step's pullback is
    /// the method's stepper's ``ODEStepper/pullback(time:size:state:parameters:stateAdjoint:parameterAdjoint:runningCost:costWeight:endState:stagesAreCurrent:incoming:)``
    /// (``RungeKuttaStepper``, ``DiagonallyImplicitStepper``, ``RosenbrockStepper``), one
    /// right-hand-side VJP per stage (plus, for implicit stages, a transposed LU solve); the taped execution keeps its stages, so a reverse
    /// costs one step's stages plus s VJPs.
    ///
    /// A checkpointed gradient is bitwise equal to the store-all gradient: recomputation
    /// replays the same grid (recorded step sizes for adaptive runs) with the same arithmetic.
    ///
    /// - Parameters:
    ///   - loss: the loss: final-state, observation and running-cost terms (``ODELoss``).
    ///   - checkpointing: how to checkpoint the augmented states (Revolve within 256 MB by
    ///     default). The adjoint's own working set (the stepper's stage buffers, for adaptive
    ///     runs the recorded step sizes, and k − 1 group states) is declared as
    ///     `CheckpointingOptions.reservedBytes`, so a byte budget covers it.
    ///   - group: `stepsPerCheckpoint`, k: groups k Runge–Kutta steps into one step of the driver: the
    ///     driver checkpoints every k-th state, and a group is reversed by recording its k − 1
    ///     inner states and reversing them one by one. k > 1 trades one extra forward sweep for
    ///     k times fewer driver steps, which pays for tiny states (N ≲ 100) whose steps are
    ///     cheaper than the driver's per-step bookkeeping. The state gradient is bitwise the
    ///     same for every k; the parameter gradient is summed in a different order.
    ///   - options: the driver's options (determinism check, trace, progress). Its
    ///     `workspaceStates` and `reservedBytes` are replaced by the stepper's own, and
    ///     `tapesOnRecomputingThread` is turned off: the stepper's forward and pullback share
    ///     its stage workspace, so two threads must not run them at once.
    /// - Throws: ``ODEError/timeNotOnGrid(time:)`` for an observation off the grid,
    ///   ``ODEError/checkpointing(_:)`` with the driver's error (a budget too small among them),
    ///   or a stage failure of an implicit method (``ODEError/newtonDidNotConverge(step:time:size:stage:iterations:)``,
    ///   ``ODEError/singularStageMatrix(step:time:size:stage:error:)``) naming the step: the
    ///   driver's closures cannot throw, so the first failure is kept and thrown after the sweep.
    /// - Complexity: with s checkpoint slots, t(n, s) advances (recording sweep included) and
    ///   n reverses (Griewank & Walther 2000, doi:10.1145/347837.347846). With
    ///   `stepsPerCheckpoint` k > 1 the driver reverses ⌈n/k⌉ groups: k·t(⌈n/k⌉, s) + (k − 1)·⌈n/k⌉
    ///   Runge–Kutta advances and n reverses, with k − 1 more states of workspace.
    public func gradient(
        of loss: ODELoss, checkpointing: Checkpointing<Vector> = .default, stepsPerCheckpoint group: Int = 1,
        options: CheckpointingOptions = CheckpointingOptions()
    ) throws(ODEError) -> ODEGradient {
        let stepper = method.makeStepper(rightHandSide: problem.rightHandSide, newton: newton)
        // Concrete types first, so that release builds specialise the per-step calls.
        switch stepper {
        case let explicit as RungeKuttaStepper:
            return try gradient(of: loss, stepper: explicit, checkpointing: checkpointing, stepsPerCheckpoint: group, options: options)
        case let implicit as DiagonallyImplicitStepper:
            return try gradient(of: loss, stepper: implicit, checkpointing: checkpointing, stepsPerCheckpoint: group, options: options)
        default:
            return try gradient(of: loss, stepper: stepper, checkpointing: checkpointing, stepsPerCheckpoint: group, options: options)
        }
    }

    /// The gradient through `stepper` (a fresh stepper of this solution's method).
    private func gradient<Stepper: ODEStepper>(
        of loss: ODELoss, stepper: Stepper, checkpointing: Checkpointing<Vector>, stepsPerCheckpoint group: Int,
        options: CheckpointingOptions
    ) throws(ODEError) -> ODEGradient {
        let n = grid.count
        let dimension = problem.dimension
        let parameterCount = problem.rightHandSide.parameterCount
        precondition(group >= 1, "stepsPerCheckpoint must be at least 1, got \(group)")
        let groupSize = Swift.min(group, n)
        let driverSteps = (n + groupSize - 1) / groupSize
        let system = try AugmentedSystem(solution: self, loss: loss, stepper: stepper, groupSize: groupSize)
        let step = system.checkpointedStep
        let finalLoss = system.finalLoss

        var driverOptions = options
        driverOptions.workspaceStates = 0
        driverOptions.tapesOnRecomputingThread = false  // one stage workspace for the forward and the pullback
        driverOptions.reservedBytes = stepper.workspaceBytes + grid.recordedBytes
            + (groupSize > 1 ? groupSize * (dimension + 1) * MemoryLayout<Double>.stride : 0)

        var z0 = problem.initialState.scalars
        z0.append(0)
        var result: CheckpointedGradient<Vector, Vector, Vector>
        do {
            result = try valueWithCheckpointedGradient(
                at: Vector(z0), parameters: problem.parameters, steps: driverSteps, checkpointing: checkpointing,
                options: driverOptions, step: step, losses: [finalLoss])
        } catch {
            throw .checkpointing(error)
        }
        if let failure = system.workspace.failure { throw failure }

        var initialState = result.initialState.count == dimension + 1
            ? Array(result.initialState.scalars[0..<dimension]) : [Double](repeating: 0, count: dimension)
        var value = result.value
        problem.initialState.scalars.withUnsafeBufferPointer { y in
            initialState.withUnsafeMutableBufferPointer { yBar in
                for term in system.initialTerms {
                    value += term.value(y)
                    term.gradient(y, 1, yBar)
                }
            }
        }
        result.value = value
        result.initialState = Vector(initialState)
        if result.parameters.count != parameterCount { result.parameters = Vector(repeating: 0, count: parameterCount) }
        result.finalState = Vector(Array(result.finalState.scalars[0..<dimension]))
        return result
    }
}

extension ODESolution {
    /// The value of `loss` along this solution's step grid, at the problem's own y₀ and p or
    /// at others: the same arithmetic as the gradient's recording sweep, so the value equals
    /// the gradient's `value` bit for bit. With other inputs the grid is replayed unchanged
    /// (the step sizes are constants, as in the adjoint): use it for finite-difference checks
    /// of an adaptive run's gradient.
    ///
    /// - Complexity: n steps, no storage beyond two states.
    public func value(of loss: ODELoss, initialState: Vector? = nil, parameters: Vector? = nil) throws(ODEError) -> Double {
        let stepper = method.makeStepper(rightHandSide: problem.rightHandSide, newton: newton)
        if let explicit = stepper as? RungeKuttaStepper {
            return try value(of: loss, stepper: explicit, initialState: initialState, parameters: parameters)
        }
        return try value(of: loss, stepper: stepper, initialState: initialState, parameters: parameters)
    }

    /// The value through `stepper` (a fresh stepper of this solution's method).
    private func value<Stepper: ODEStepper>(of loss: ODELoss, stepper: Stepper, initialState: Vector?, parameters: Vector?) throws(ODEError) -> Double {
        let system = try AugmentedSystem(solution: self, loss: loss, stepper: stepper)
        let y0 = initialState ?? problem.initialState
        let p = parameters ?? problem.parameters
        precondition(y0.count == problem.dimension && p.count == problem.parameters.count, "y0 has \(y0.count) values and p \(p.count), the problem \(problem.dimension) and \(problem.parameters.count)")
        var z = y0.scalars
        z.append(0)
        var state = Vector(z)
        for i in 0..<grid.count { state = system.forward(state, p, i) }
        if let failure = system.workspace.failure { throw failure }
        var value = system.finalLoss.value(state, p, grid.count)
        y0.scalars.withUnsafeBufferPointer { y in
            for term in system.initialTerms { value += term.value(y) }
        }
        return value
    }
}
