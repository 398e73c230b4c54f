import _Differentiation
import CheckpointSchedules
import CheckpointStorage

/// The result of ``gradient(at:parameters:steps:memory:schedule:stores:options:step:loss:)``:
/// the loss, its gradients with respect to x[0] and p, the final state and what it cost.
public struct CheckpointedGradient<State, StateCotangent, ParameterCotangent> {
    /// L, the total loss.
    public var value: Double
    /// ∂L/∂x[0].
    public var state: StateCotangent
    /// ∂L/∂p.
    public var parameters: ParameterCotangent
    /// x[n].
    public var finalState: State
    /// Counts and times of the run.
    public var statistics: CheckpointingStatistics
    /// Every action with its timing, when ``CheckpointingOptions/recordsTrace`` is on.
    public var trace: ScheduleTrace?

    @usableFromInline
    init(value: Double, state: StateCotangent, parameters: ParameterCotangent, finalState: State,
         statistics: CheckpointingStatistics, trace: ScheduleTrace?) {
        self.value = value
        self.state = state
        self.parameters = parameters
        self.finalState = finalState
        self.statistics = statistics
        self.trace = trace
    }
}

/// The gradient of a scalar loss of the final state, L = loss(x[n]), with respect to x[0]
/// and p, computed with checkpointing inside a memory budget (seed x̄[n] = ∂L/∂x[n]).
///
/// ```swift
/// let g = try gradient(at: x0, parameters: 8.0, steps: 10_000, memory: .megabytes(100),
///                      step: { x, F, i in lorenz96RK4(x, F, dt) },
///                      loss: { x in x.halfSquaredNorm() })
/// print(g.value, g.parameters, g.statistics.advances)
/// ```
///
/// - Parameters: as ``valueWithCheckpointedPullback(at:parameters:steps:memory:schedule:stores:options:step:)``,
///   plus `loss`, a differentiable function of x[n].
/// - Complexity: as the pullback: t(n, s) advances and n reverses for Revolve.
@inlinable
public func gradient<State: Differentiable, Parameters: Differentiable>(
    at x0: State, parameters p: Parameters, steps n: Int,
    memory: MemoryBudget = .unlimited, schedule: (any CheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:], options: CheckpointingOptions = CheckpointingOptions(),
    step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State,
    loss: @escaping @differentiable(reverse) (State) -> Double
) throws(CheckpointingError) -> CheckpointedGradient<State, State.TangentVector, Parameters.TangentVector> {
    try gradient(
        at: x0, parameters: p, steps: n, memory: memory, schedule: schedule, stores: stores, options: options,
        step: CheckpointedStep(step), losses: [.final(loss)])
}

/// The gradient of a sum of loss terms at many steps (a running cost, observations), with
/// respect to x[0] and p: L = Σ over each term's steps of ℓ(x[i], p, i).
///
/// ```swift
/// let misfit = CheckpointedLoss<Vector, Double, Vector, Double>(at: .every(100)) { x, _, i in
///     (x - observations[i / 100]).halfSquaredNorm()
/// }
/// let g = try gradient(at: x0, parameters: 8.0, steps: 10_000, memory: .slots(64),
///                      step: CheckpointedStep(rk4), losses: [misfit])
/// ```
///
/// Works with Swift AD steps and losses and with hand-written ones alike. Each term's value
/// is evaluated once, on the recording sweep; its gradient is added to the adjoint as the
/// reverse sweep passes x̄[i].
@inlinable
public func gradient<State, Parameters, StateCotangent, ParameterCotangent>(
    at x0: State, parameters p: Parameters, steps n: Int,
    memory: MemoryBudget = .unlimited, schedule: (any CheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:], options: CheckpointingOptions = CheckpointingOptions(),
    step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>,
    losses: [CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>]
) throws(CheckpointingError) -> CheckpointedGradient<State, StateCotangent, ParameterCotangent> {
    let driver = try CheckpointedDriver(
        at: x0, parameters: p, steps: n, memory: memory, schedule: schedule, stores: stores, options: options,
        step: step, losses: losses)
    let finalState = try driver.forward()
    let (stateBar, parameterBar) = try driver.pullback(.zero)
    return CheckpointedGradient(
        value: driver.lossValue, state: stateBar, parameters: parameterBar, finalState: finalState,
        statistics: driver.statistics, trace: driver.trace)
}
