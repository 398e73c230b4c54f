import AdjointODE
import CheckpointedAD

/// Single shooting: the control is parameterised on a uniform grid of N intervals, the
/// state is integrated by an explicit Runge–Kutta method with k substeps per interval, and
/// the objective's gradient with respect to every control value comes from the discrete
/// adjoint of that integration (`RungeKuttaStepper`), optionally under a memory budget.
/// L-BFGS-B then minimises over the box of control bounds.
///
/// ```swift
/// let shooting = SingleShooting(problem: VanDerPol.problem, intervals: 20, substeps: 4)
/// let solution = try shooting.solve()
/// solution.objective, solution.iterations
/// ```
/// The gradient is exact for the discretised problem ("discretise, then optimise"), so
/// finite differences of ``objective(controls:)`` agree with it to rounding, and the
/// optimiser converges to the optimum of the discretised problem.
///
/// - Complexity: one objective-and-gradient evaluation costs S = N·k forward steps and S
///   adjoint steps (s dynamics VJPs each, s the number of stages), plus recomputations under
///   a memory budget (Griewank & Walther's t(S, slots)).
public struct SingleShooting {
    /// What to solve.
    public var problem: ControlProblem
    /// N: control intervals.
    public var intervals: Int
    /// k: Runge–Kutta steps per interval.
    public var substeps: Int
    /// Piecewise constant or linear.
    public var parameterization: ControlParameterization
    /// The explicit Runge–Kutta method.
    public var method: ButcherTableau
    /// How the gradient is checkpointed: `.storeAll` keeps every
    /// step's augmented state in one array, (S + 1)(n + 1) doubles, and sweeps back without
    /// the driver (the reference); any other strategy runs the checkpointed driver, whose
    /// gradient is bitwise equal to it. Single shooting's own working set is declared as
    /// `CheckpointingOptions.reservedBytes`, so a byte budget covers it.
    public var checkpointing: Checkpointing<Vector>

    /// A transcription with RK4, piecewise-constant controls and a store-all gradient by default.
    public init(problem: ControlProblem, intervals: Int, substeps: Int = 1,
                parameterization: ControlParameterization = .piecewiseConstant,
                method: ButcherTableau = .rk4, checkpointing: Checkpointing<Vector> = .storeAll) {
        precondition(intervals >= 1 && substeps >= 1, "single shooting needs N ≥ 1 intervals and k ≥ 1 substeps, got \(intervals) and \(substeps)")
        self.problem = problem
        self.intervals = intervals
        self.substeps = substeps
        self.parameterization = parameterization
        self.method = method
        self.checkpointing = checkpointing
    }

    /// S = N·k, the number of Runge–Kutta steps.
    public var stepCount: Int { intervals * substeps }

    /// The number of control values, m·N or m·(N + 1).
    public var controlCount: Int { problem.controlDimension * parameterization.valueCount(intervals: intervals) }

    /// The control bounds repeated for every value.
    public var controlBounds: BoxBounds {
        get throws(OptimizationError) {
            let values = parameterization.valueCount(intervals: intervals)
            return try BoxBounds(lower: Array((0..<values).map { _ in problem.controlLower }.joined()),
                                 upper: Array((0..<values).map { _ in problem.controlUpper }.joined()))
        }
    }

    /// t_0 … t_N.
    public var nodeTimes: [Double] {
        let t0 = problem.horizon.lowerBound
        let delta = (problem.horizon.upperBound - t0) / Double(intervals)
        return (0...intervals).map { t0 + Double($0) * delta }
    }

    /// The time each control value belongs to (interval starts, or nodes).
    public var controlTimes: [Double] {
        parameterization == .piecewiseConstant ? Array(nodeTimes.dropLast()) : nodeTimes
    }

    /// The model L-BFGS-B sees: path constraints and state bounds both as node terms.
    func makeModel() -> ShootingModel {
        var penalized = problem
        penalized.pathConstraint = problem.pathConstraintWithStateBounds
        return ShootingModel(problem: penalized, intervals: intervals, substeps: substeps,
                             parameterization: parameterization, method: method)
    }

    /// φ(x(T)) + ∫ L dt for the given control values (no constraint terms).
    /// - Complexity: S steps, O(n) memory.
    public func objective(controls: [Double]) -> Double {
        ShootingModel(problem: problem.unconstrained, intervals: intervals, substeps: substeps,
                             parameterization: parameterization, method: method).value(controls: controls)
    }

    /// The objective (with path-constraint terms of weight ρ = `penaltyWeight`, μ = 0) and its
    /// gradient with respect to every control value, by the configured ``checkpointing``.
    /// - Throws: ``ControlError/checkpointing(_:)`` if the checkpointed gradient fails (a
    ///   budget too small for the working set among its causes).
    public func objectiveAndGradient(controls: [Double], penaltyWeight: Double = 1) throws(ControlError) -> (value: Double, gradient: [Double]) {
        let result = try objectiveAndGradientWithStatistics(controls: controls, penaltyWeight: penaltyWeight)
        return (result.value, result.gradient)
    }

    /// As ``objectiveAndGradient(controls:penaltyWeight:)``, with the driver's counts (nil
    /// for store-all) and single shooting's working bytes.
    public func objectiveAndGradientWithStatistics(controls: [Double], penaltyWeight: Double = 1,
                                                   options: CheckpointingOptions = CheckpointingOptions())
        throws(ControlError) -> (value: Double, gradient: [Double], statistics: CheckpointingStatistics?, workingBytes: Int)
    {
        let model = makeModel()
        model.penaltyWeight = penaltyWeight
        let (value, gradient, statistics) = try evaluate(model, controls, options: options)
        return (value, gradient, statistics, model.workingBytes)
    }

    /// x(t_k) at the nodes for the given controls.
    public func states(controls: [Double]) -> [[Double]] {
        makeModel().nodeStates(controls: controls)
    }

    func evaluate(_ model: ShootingModel, _ controls: [Double], options: CheckpointingOptions = CheckpointingOptions())
        throws(ControlError) -> (value: Double, gradient: [Double], statistics: CheckpointingStatistics?)
    {
        if checkpointing.isStoreAll {
            let (value, gradient) = model.valueAndGradientStoringAll(controls: controls)
            return (value, gradient, nil)
        }
        let (value, gradient, statistics) = try model.valueAndGradientCheckpointed(
            controls: controls, checkpointing: checkpointing, options: options)
        return (value, gradient, statistics)
    }

    /// max over nodes and components of max(0, c).
    func constraintViolation(_ model: ShootingModel, controls: [Double], nodes: [[Double]]) -> Double {
        guard model.problem.pathConstraint != nil else { return 0 }
        var worst = 0.0
        controls.withUnsafeBufferPointer { u in
            for (k, x) in nodes.enumerated() {
                let c = x.withUnsafeBufferPointer { model.constraintValues(node: k, state: $0, controls: u) }
                for v in c { worst = Swift.max(worst, v) }
            }
        }
        return worst
    }

    /// Minimises the objective over the control bounds with L-BFGS-B, handling path
    /// constraints by `constraints`.
    ///
    /// - Parameters:
    ///   - initialControls: the starting values (default: each component's bound midpoint,
    ///     or 0 if unbounded), projected onto the bounds.
    ///   - optimizer: the L-BFGS-B settings.
    ///   - constraints: penalty or augmented Lagrangian (ignored without path constraints).
    ///   - progress: called after every L-BFGS-B iteration; `.stop` ends the solve.
    /// - Throws: ``OptimizationError`` for inconsistent bounds or a non-finite start; the
    ///   driver's error if the budget is too small.
    public func solve(initialControls: [Double]? = nil, optimizer: LBFGSB = LBFGSB(),
                      constraints: ConstraintHandling = .augmentedLagrangian,
                      progress: (ControlProgress) -> IterationDecision = { _ in .proceed }) throws -> ControlSolution {
        let bounds = try controlBounds
        let start = initialControls ?? defaultControls
        guard start.count == controlCount else {
            throw OptimizationError.dimensionMismatch(expected: controlCount, got: start.count, what: "the initial controls")
        }
        let model = makeModel()
        var outer = 1, iterations = 0, evaluations = 0
        var x = start
        var result: OptimizationResult
        var (weight, growth, tolerance, maxOuter) = (1.0, 1.0, 0.0, 1)
        var augmented = false
        if model.problem.pathConstraint != nil {
            switch constraints {
            case let .penalty(w): weight = w
            case let .augmentedLagrangian(w, g, t, o): (weight, growth, tolerance, maxOuter, augmented) = (w, g, t, o, true)
            }
        }
        var previousViolation = Double.infinity
        var lastStatistics: CheckpointingStatistics?
        var peakCheckpointBytes = 0
        while true {
            model.penaltyWeight = weight
            let currentOuter = outer
            result = try optimizer.minimize(from: x, bounds: bounds, progress: { p in
                progress(ControlProgress(outerIteration: currentOuter, optimizer: p))
            }, objective: { controls in
                let (value, gradient, statistics) = try evaluate(model, controls)
                if let statistics {
                    lastStatistics = statistics
                    peakCheckpointBytes = Swift.max(peakCheckpointBytes, statistics.peakCheckpointBytes)
                }
                return (value, gradient)
            })
            x = result.x
            iterations += result.iterations
            evaluations += result.evaluations
            guard augmented, result.stopReason != .stoppedByCallback else { break }
            let nodes = model.nodeStates(controls: x)
            let violation = constraintViolation(model, controls: x, nodes: nodes)
            if violation <= tolerance || outer >= maxOuter { break }
            // μ ← max(0, μ + ρ c) at every node.
            let count = model.problem.pathConstraint!.count
            x.withUnsafeBufferPointer { u in
                for (k, state) in nodes.enumerated() {
                    let c = state.withUnsafeBufferPointer { model.constraintValues(node: k, state: $0, controls: u) }
                    for j in 0..<count {
                        model.multipliers[k * count + j] = Swift.max(0, model.multipliers[k * count + j] + weight * c[j])
                    }
                }
            }
            if violation > 0.25 * previousViolation { weight *= growth }
            previousViolation = violation
            outer += 1
        }
        let nodes = model.nodeStates(controls: x)
        return ControlSolution(
            controls: x, controlTimes: controlTimes, states: nodes, nodeTimes: nodeTimes,
            objective: objective(controls: x),
            constraintViolation: constraintViolation(model, controls: x, nodes: nodes),
            iterations: iterations, evaluations: evaluations, outerIterations: outer,
            stopReason: result.stopReason, optimization: result,
            gradientStatistics: lastStatistics, peakCheckpointBytes: peakCheckpointBytes,
            workingBytes: model.workingBytes, bytesBesidesCheckpoints: model.bytesBesidesCheckpoints)
    }

    /// Each component's bound midpoint (a finite bound if only one, 0 if none).
    public var defaultControls: [Double] {
        let perValue = zip(problem.controlLower, problem.controlUpper).map { l, u -> Double in
            switch (l.isFinite, u.isFinite) {
            case (true, true): (l + u) / 2
            case (true, false): Swift.max(l, 0)
            case (false, true): Swift.min(u, 0)
            case (false, false): 0
            }
        }
        return Array((0..<parameterization.valueCount(intervals: intervals)).map { _ in perValue }.joined())
    }
}
