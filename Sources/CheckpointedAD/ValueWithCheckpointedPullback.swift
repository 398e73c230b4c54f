import _Differentiation
import CheckpointSchedules
import CheckpointStorage

/// x[n] = F_{n−1}(…F_0(x[0], p)…, p) and its pullback x̄[n] ↦ (x̄[0], p̄), computed with
/// checkpointing inside a memory budget; the step's derivative comes from Swift AD.
///
/// ```swift
/// let (xn, pullback) = try valueWithCheckpointedPullback(
///     at: x0, parameters: forcing, steps: 10_000, memory: .megabytes(100)
/// ) { x, F, i in rk4Step(x, F) }
/// let (x0bar, forcingBar) = try pullback(xn)     // gradient of ½‖x[n]‖²
/// ```
///
/// The recording sweep and the taped last step run before this returns (revolve's
/// convention), so `value` is x[n]. The pullback runs the reverse sweep; it may be called
/// again with another seed, which replays the schedule from x[0] (see ``CheckpointedDriver``).
/// n = 0 gives x[0] and the identity pullback.
///
/// - Parameters:
///   - x0: the initial state x[0].
///   - p: the parameters every step reads.
///   - n: the number of steps, n ≥ 0.
///   - memory: the budget for checkpoints and working copies (``MemoryBudget``).
///   - schedule: any schedule for n steps, instead of the one the budget picks (Revolve).
///   - stores: a checkpoint store per level; memory defaults to a `MemoryCheckpointStore`.
///   - options: checks, trace, progress (``CheckpointingOptions``).
///   - step: x[i+1] = step(x[i], p, i).
/// - Complexity: Revolve with s slots: t(n, s) = r·n − β(s+1, r−1) advances and n reverses
///   (Griewank & Walther 2000, doi:10.1145/347837.347846); s slots of memory.
@inlinable
public func valueWithCheckpointedPullback<State: Differentiable, Parameters: Differentiable>(
    at x0: State, parameters p: Parameters, steps n: Int,
    memory: MemoryBudget = .unlimited, schedule: (any CheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:], options: CheckpointingOptions = CheckpointingOptions(),
    step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State
) throws(CheckpointingError) -> (
    value: State,
    pullback: (State.TangentVector) throws(CheckpointingError) -> (State.TangentVector, Parameters.TangentVector)
) {
    try valueWithCheckpointedPullback(
        at: x0, parameters: p, steps: n, memory: memory, schedule: schedule, stores: stores, options: options,
        step: CheckpointedStep(step))
}

/// x[n] and its pullback x̄[n] ↦ (x̄[0], p̄) for a step with a hand-written pullback
/// (no `_Differentiation` needed; see ``CheckpointedStep``).
///
/// ```swift
/// let step = CheckpointedStep<[Double], Double, [Double], Double>(forward: f, valueWithPullback: fVJP)
/// let (xn, pullback) = try valueWithCheckpointedPullback(at: x0, parameters: 0.5, steps: 1000,
///                                                        memory: .slots(10), step: step)
/// ```
///
/// Same behaviour and parameters as the Swift AD form above.
@inlinable
public func valueWithCheckpointedPullback<State, Parameters, StateCotangent, ParameterCotangent>(
    at x0: State, parameters p: Parameters, steps n: Int,
    memory: MemoryBudget = .unlimited, schedule: (any CheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:], options: CheckpointingOptions = CheckpointingOptions(),
    step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
) throws(CheckpointingError) -> (
    value: State,
    pullback: (StateCotangent) throws(CheckpointingError) -> (StateCotangent, ParameterCotangent)
) {
    let driver = try CheckpointedDriver(
        at: x0, parameters: p, steps: n, memory: memory, schedule: schedule, stores: stores, options: options, step: step)
    let value = try driver.forward()
    return (value, { seed throws(CheckpointingError) in
        let result = try driver.pullback(seed)
        return (result.state, result.parameters)
    })
}
