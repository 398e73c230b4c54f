import CheckpointSchedules
import CheckpointStorage

/// x[n] = F_{n−1}(…F_0(x[0], p)…, p) and its checkpointed pullback x̄[n] ↦ (x̄[0], p̄), the
/// shape of the standard library's `valueWithPullback(at:of:)`.
///
/// ```swift
/// let (xn, pullback) = try valueWithCheckpointedPullback(
///     at: x0, parameters: forcing, steps: 10_000, checkpointing: .revolve(memory: .megabytes(100)),
///     step: CheckpointedStep { x, F, i in rk4Step(x, F) })
/// let g = try pullback(xn)                 // the gradient of ½‖x[n]‖²
/// print(g.initialState, g.parameters, pullback.steps)
/// ```
///
/// The recording sweep and the taped last step run before this returns (revolve's
/// convention), so `value` is x[n] (for an online strategy, n is ``CheckpointedPullback/steps``).
/// The pullback runs the reverse sweep; it may be called again with another seed, which
/// replays the schedule from x[0]. Loss terms, if any, add their gradients to the seed's as
/// the sweep passes them. n = 0 gives x[0] and the identity pullback.
///
/// Parameters as ``valueWithCheckpointedGradient(at:parameters:steps:checkpointing:options:step:losses:)``.
///
/// - Complexity: the recording sweep here; each pullback call the reverse sweep (with
///   Revolve: t(n, s) advances in all, n reverses).
@inlinable
public func valueWithCheckpointedPullback<State, Parameters, StateCotangent, ParameterCotangent>(
    at x0: State, parameters p: Parameters, steps n: Int,
    checkpointing: Checkpointing<State> = .default, options: CheckpointingOptions = CheckpointingOptions(),
    step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>,
    losses: [CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>] = []
) throws(CheckpointingError) -> (
    value: State, pullback: CheckpointedPullback<State, Parameters, StateCotangent, ParameterCotangent>
) {
    let driver = try CheckpointedDriver(
        at: x0, parameters: p, steps: n, checkpointing: checkpointing, options: options, step: step, losses: losses)
    let value = try driver.forward()
    return (value, CheckpointedPullback(driver: driver, finalState: value))
}

/// The pullback of a checkpointed computation: call it with x̄[n] to get (x̄[0], p̄) and
/// what the reverse sweep cost, as a ``CheckpointedGradient``. It owns the run's
/// checkpoints until it is released.
public struct CheckpointedPullback<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    @usableFromInline let driver: CheckpointedDriver<State, Parameters, StateCotangent, ParameterCotangent>
    @usableFromInline let finalState: State

    @usableFromInline
    init(driver: CheckpointedDriver<State, Parameters, StateCotangent, ParameterCotangent>, finalState: State) {
        self.driver = driver
        self.finalState = finalState
    }

    /// n: the number of steps (for an online strategy, as found out by the recording sweep).
    public var steps: Int { driver.statistics.steps }

    /// What the run has done so far (the recording sweep, and every pullback call).
    public var statistics: CheckpointingStatistics { driver.statistics }

    /// The reverse sweep from the seed x̄[n]: x̄[0] and p̄ (plus the loss terms' gradients),
    /// with the run's statistics so far.
    ///
    /// - Throws: ``CheckpointingError`` when a checkpoint cannot be read back or a check fails.
    @inlinable
    public func callAsFunction(_ seed: StateCotangent) throws(CheckpointingError)
        -> CheckpointedGradient<State, StateCotangent, ParameterCotangent>
    {
        let (stateBar, parameterBar) = try driver.pullback(seed)
        return driver.result(stateBar, parameterBar, finalState: finalState)
    }
}
