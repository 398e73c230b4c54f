import _Differentiation
import CheckpointSchedules
import CheckpointStorage

/// The result of a checkpointed gradient or pullback: the loss, its gradients with respect
/// to x[0] and p, the final state, and what the run cost (counts, times, and when asked
/// for, the trace; for a planned run, the plan and the stores' I/O).
public struct CheckpointedGradient<State, StateCotangent, ParameterCotangent> {
    /// L, the total loss (0 for a pullback without loss terms).
    public var value: Double
    /// ∂L/∂x[0] (for a pullback, x̄[0]).
    public var initialState: StateCotangent
    /// ∂L/∂p (for a pullback, p̄).
    public var parameters: ParameterCotangent
    /// x[n].
    public var finalState: State
    /// Counts and times of the run; `steps` is n (for an online run, as found out).
    public var statistics: CheckpointingStatistics
    /// Every action with its timing, when ``CheckpointingOptions/recordsTrace`` is on.
    public var trace: ScheduleTrace?
    /// The planner's decision, prediction and alternatives, for a
    /// ``Checkpointing/planned(memory:disk:compression:stepTimes:)`` run.
    public var plan: CheckpointPlan?
    /// Encoding and I/O statistics of the stores that report them (disk, compressed memory).
    public var storage: [StorageLevel: CheckpointIOStatistics]

    /// A result with the given fields.
    public init(
        value: Double, initialState: StateCotangent, parameters: ParameterCotangent, finalState: State,
        statistics: CheckpointingStatistics, trace: ScheduleTrace? = nil, plan: CheckpointPlan? = nil,
        storage: [StorageLevel: CheckpointIOStatistics] = [:]
    ) {
        self.value = value
        self.initialState = initialState
        self.parameters = parameters
        self.finalState = finalState
        self.statistics = statistics
        self.trace = trace
        self.plan = plan
        self.storage = storage
    }
}

/// The loss L = loss(x[n]) of x[n] = F_{n−1}(…F_0(x[0], p)…, p) and its gradient with
/// respect to x[0] and p, computed with checkpointing as `checkpointing` says; the step's
/// and the loss's derivatives come from Swift AD.
///
/// ```swift
/// let g = try valueWithCheckpointedGradient(
///     at: x0, parameters: 8.0, steps: 10_000, checkpointing: .revolve(memory: .megabytes(100)),
///     step: { x, F, i in lorenz96RK4(x, F, dt) }, loss: { x in x.halfSquaredNorm() })
/// print(g.value, g.initialState, g.parameters, g.statistics.advances)
/// ```
///
/// The gradient equals the store-all gradient bit for bit, whatever the strategy.
///
/// - Parameters:
///   - x0: the initial state x[0].
///   - p: the parameters every step reads.
///   - n: the number of steps, n ≥ 0 (for an online strategy, the most it may take).
///   - checkpointing: how to checkpoint (``Checkpointing``); Revolve within 256 MB by default.
///   - options: checks, trace, progress, reserved memory (``CheckpointingOptions``).
///   - step: x[i+1] = step(x[i], p, i).
///   - loss: L as a function of x[n].
/// - Throws: ``CheckpointingError``: a budget that cannot work, a missing store, a failed
///   or corrupt checkpoint, a failed check.
/// - Complexity: Revolve with s slots: t(n, s) = r·n − β(s+1, r−1) advances and n reverses
///   (Griewank & Walther 2000, doi:10.1145/347837.347846).
@inlinable
public func valueWithCheckpointedGradient<State: Differentiable, Parameters: Differentiable>(
    at x0: State, parameters p: Parameters, steps n: Int,
    checkpointing: Checkpointing<State> = .default, options: CheckpointingOptions = CheckpointingOptions(),
    step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State,
    loss: @escaping @differentiable(reverse) (State) -> Double
) throws(CheckpointingError) -> CheckpointedGradient<State, State.TangentVector, Parameters.TangentVector> {
    try valueWithCheckpointedGradient(
        at: x0, parameters: p, steps: n, checkpointing: checkpointing, options: options,
        step: CheckpointedStep(step), losses: [.final(loss)])
}

/// The loss L = Σ over each term's steps of ℓ(x[i], p, i) (a final-state loss, a running
/// cost, observations) and its gradient with respect to x[0] and p, for any step: Swift AD
/// (`CheckpointedStep(f)`) or hand-written (``CheckpointedStep/init(forward:valueWithPullback:pullback:)``).
///
/// ```swift
/// let misfit = CheckpointedLoss<Vector, Double, Vector, Double>(at: .every(100)) { x, _, i in
///     (x - observations[i / 100]).halfSquaredNorm()
/// }
/// let g = try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: 10_000,
///                                           checkpointing: .revolve(memory: .slots(64)),
///                                           step: CheckpointedStep(rk4), losses: [misfit])
/// ```
///
/// Each term's value is evaluated once, on the recording sweep; its gradient is added to
/// the adjoint as the reverse sweep passes x̄[i]. Parameters and complexity as the Swift AD
/// form above.
@inlinable
public func valueWithCheckpointedGradient<State, Parameters, StateCotangent, ParameterCotangent>(
    at x0: State, parameters p: Parameters, steps n: Int,
    checkpointing: Checkpointing<State> = .default, options: CheckpointingOptions = CheckpointingOptions(),
    step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>,
    losses: [CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>]
) throws(CheckpointingError) -> CheckpointedGradient<State, StateCotangent, ParameterCotangent> {
    let driver = try CheckpointedDriver(
        at: x0, parameters: p, steps: n, checkpointing: checkpointing, options: options, step: step, losses: losses)
    let finalState = try driver.forward()
    let (stateBar, parameterBar) = try driver.pullback(.zero)
    return driver.result(stateBar, parameterBar, finalState: finalState)
}

extension CheckpointedDriver {
    /// The run's result, with the given gradients.
    @usableFromInline
    func result(_ stateBar: StateCotangent, _ parameterBar: ParameterCotangent, finalState: State)
        -> CheckpointedGradient<State, StateCotangent, ParameterCotangent>
    {
        CheckpointedGradient(
            value: lossValue, initialState: stateBar, parameters: parameterBar, finalState: finalState,
            statistics: statistics, trace: trace, plan: plan, storage: storage)
    }
}
