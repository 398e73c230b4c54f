import _Differentiation
import CheckpointSchedules
import CheckpointStorage

// Checkpointed pullbacks and gradients of computations whose number of steps is found out
// while they run: x[i+1] = F_i(x[i], p) until a condition on the state (or a step count
// discovered on the way) says the run is over. An online schedule (``OnlineStummWalther``
// by default) decides, step by step, which states to keep in the budget's slots; once the
// end is known, the gaps between the kept states are reversed binomially.

/// x[n] and its pullback for a computation that runs until `shouldStop(x[i], i)` is true,
/// with a hand-written step (see ``CheckpointedStep``).
///
/// ```swift
/// let run = try valueWithCheckpointedPullback(
///     at: x0, parameters: 0.5, until: { x, i in x[0] > 1 || i == 10_000 },
///     memory: .slots(20), step: step)
/// print(run.steps)                                  // n, discovered while running
/// let (x0bar, pbar) = try run.pullback(seedAtXn)
/// ```
///
/// The condition is checked on x[0] and after every step; n is the first i for which it
/// holds (or `maximalSteps`). The driver keeps x[n−1] as its current state when it learns
/// that x[n] was the last one (see ``OnlineCheckpointSchedule``), so the run costs n
/// untaped steps on the recording sweep, one more than an offline schedule would, plus the
/// reverse sweep's recomputation: ``OnlineCheckpointLayout/simulatedAdvances(steps:)`` + 1
/// advances in all, and n reverses.
///
/// The pullback may be called more than once: the first call's reverse sweep consumes the
/// online checkpoints, so every later call, n now being known, replays the computation
/// from x[0] with the offline optimum, ``CheckpointSchedules/Revolve`` on the same slots
/// and level (t(n, s) advances, n reverses). `memory` must be `.slots` or `.bytes` (a byte budget needs a
/// ``CheckpointSized`` state); it sizes the default schedule and any memory-level
/// schedule. Checkpoints of a schedule at another level (say
/// `OnlineStummWalther(slots: 500, level: .disk)`) go to the store given for that level.
///
/// - Parameters:
///   - x0: the initial state x[0].
///   - p: the parameters every step reads.
///   - shouldStop: true when the run ends at this state; gets x[i] and i.
///   - maximalSteps: a hard limit on n.
///   - memory: the budget for checkpoints and working copies (``MemoryBudget``).
///   - schedule: the online schedule; by default ``OnlineStummWalther`` with the budget's slots.
///   - stores: a checkpoint store per level; memory defaults to an array of slots.
///   - step: x[i+1] = step(x[i], p, i).
/// - Complexity: s slots of memory; for n ≤ β(s, 2), at most t(n, s) + 2 advances
///   (Stumm & Walther 2010, doi:10.1137/080742439); n reverses.
public func valueWithCheckpointedPullback<State, Parameters, StateCotangent, ParameterCotangent>(
    at x0: State, parameters p: Parameters, until shouldStop: (State, Int) -> Bool, maximalSteps: Int = Int.max,
    memory: MemoryBudget, schedule: (any OnlineCheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:],
    step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
) throws(CheckpointingError) -> (
    value: State, steps: Int,
    pullback: (StateCotangent) throws(CheckpointingError) -> (StateCotangent, ParameterCotangent)
) {
    let run = try OnlineCheckpointedRun(
        at: x0, parameters: p, until: shouldStop, maximalSteps: maximalSteps, memory: memory, schedule: schedule,
        stores: stores, step: step)
    return (run.finalState, run.steps, { seed throws(CheckpointingError) in try run.pullback(seed) })
}

/// x[n] and its pullback for a computation that runs until `shouldStop(x[i], i)` is true;
/// the step's derivative comes from Swift AD. See the hand-written form for the details.
///
/// ```swift
/// let run = try valueWithCheckpointedPullback(
///     at: x0, parameters: 8.0, until: { x, _ in x.halfSquaredNorm() > 100 },
///     maximalSteps: 100_000, memory: .megabytes(50)) { x, F, i in rk4Step(x, F) }
/// ```
public func valueWithCheckpointedPullback<State: Differentiable, Parameters: Differentiable>(
    at x0: State, parameters p: Parameters, until shouldStop: (State, Int) -> Bool, maximalSteps: Int = Int.max,
    memory: MemoryBudget, schedule: (any OnlineCheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:],
    step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State
) throws(CheckpointingError) -> (
    value: State, steps: Int,
    pullback: (State.TangentVector) throws(CheckpointingError) -> (State.TangentVector, Parameters.TangentVector)
) {
    try valueWithCheckpointedPullback(
        at: x0, parameters: p, until: shouldStop, maximalSteps: maximalSteps, memory: memory, schedule: schedule,
        stores: stores, step: CheckpointedStep(step))
}

/// The gradient of L = loss(x[n]) with respect to x[0] and p, for a computation that runs
/// until `shouldStop(x[i], i)` is true, with checkpointing inside a memory budget.
///
/// ```swift
/// let g = try gradient(at: x0, parameters: 8.0, until: { _, t in t >= 2_000 }, memory: .slots(30),
///                      step: { x, F, i in rk4Step(x, F) }, loss: { x in x.halfSquaredNorm() })
/// print(g.value, g.parameters, g.statistics.advances)
/// ```
///
/// - Parameters: as ``valueWithCheckpointedPullback(at:parameters:until:maximalSteps:memory:schedule:step:)``,
///   plus `loss`, a differentiable function of x[n].
/// - Complexity: as the pullback. `statistics.steps` is the n the run turned out to have.
public func gradient<State: Differentiable, Parameters: Differentiable>(
    at x0: State, parameters p: Parameters, until shouldStop: (State, Int) -> Bool, maximalSteps: Int = Int.max,
    memory: MemoryBudget, schedule: (any OnlineCheckpointSchedule)? = nil,
    stores: [StorageLevel: any CheckpointStore<State>] = [:],
    step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State,
    loss: @escaping @differentiable(reverse) (State) -> Double
) throws(CheckpointingError) -> CheckpointedGradient<State, State.TangentVector, Parameters.TangentVector> {
    let run = try OnlineCheckpointedRun(
        at: x0, parameters: p, until: shouldStop, maximalSteps: maximalSteps, memory: memory, schedule: schedule,
        stores: stores, step: CheckpointedStep(step))
    let (value, lossPullback) = _Differentiation.valueWithPullback(at: run.finalState, of: loss)
    let (stateBar, parameterBar) = try run.pullback(lossPullback(1))
    return CheckpointedGradient(
        value: value, state: stateBar, parameters: parameterBar, finalState: run.finalState,
        statistics: run.statistics, trace: nil)
}

/// One online run: the recording sweep happens in `init`, the reverse sweep in
/// ``pullback(_:)``. Checkpoints live in an array of slots.
final class OnlineCheckpointedRun<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>

    let initialState: State
    let parameters: Parameters
    let step: Step
    let schedule: any OnlineCheckpointSchedule
    /// The stores the run was given, for a replay.
    let givenStores: [StorageLevel: any CheckpointStore<State>]
    /// n, found out while running.
    let steps: Int
    /// x[n].
    let finalState: State
    /// x[n−1], the driver's current state when the run ended (x[0] when n = 0).
    var current: State?
    var slots: [(step: Int, state: State)?]
    /// The store for the schedule's level, when one was given; else `slots` holds the checkpoints.
    let store: (any CheckpointStore<State>)?
    var statistics: CheckpointingStatistics
    var consumed = false

    init(
        at x0: State, parameters p: Parameters, until shouldStop: (State, Int) -> Bool, maximalSteps: Int,
        memory: MemoryBudget, schedule: (any OnlineCheckpointSchedule)?,
        stores: [StorageLevel: any CheckpointStore<State>], step: Step
    ) throws(CheckpointingError) {
        precondition(maximalSteps >= 0, "maximalSteps must not be negative, got \(maximalSteps)")
        let stateBytes = (x0 as? CheckpointSized)?.checkpointByteCount
        let slotCount: Int
        switch memory {
        case let .slots(s):
            precondition(s >= 1, "an online run needs at least one slot (for x0), got \(s)")
            slotCount = s
        case let .bytes(budget):
            guard let stateBytes else { throw .unmeasurableState(type: "\(State.self)") }
            let working = CheckpointedDriver<State, Parameters, StateCotangent, ParameterCotangent>.workingBytes(
                steps: 0, stateBytes: stateBytes, options: CheckpointingOptions())
            guard budget >= working + stateBytes else {
                throw .budgetTooSmall(budgetBytes: budget, minimumBytes: working + stateBytes, stateBytes: stateBytes)
            }
            slotCount = stateBytes == 0 ? 1 << 20 : (budget - working) / stateBytes
        case .unlimited:
            preconditionFailure("an online run needs a budget, .slots(s) or .bytes(b), because n is not known in advance")
        }
        var online = schedule ?? OnlineStummWalther(slots: slotCount)
        store = stores[online.level]
        if online.level == .memory && store == nil {
            precondition(online.slots <= slotCount, "the schedule uses \(online.slots) slots but the budget allows \(slotCount)")
        } else if store == nil {
            throw .missingStore(level: online.level, slots: online.slots)
        }
        initialState = x0
        parameters = p
        self.step = step
        givenStores = stores
        slots = store == nil ? Array(repeating: nil, count: online.slots) : []
        var stats = CheckpointingStatistics(steps: 0, stateBytes: stateBytes ?? 0)
        stats.capacities = [online.level: online.slots]
        stats.schedule = "\(online)"

        // The recording sweep: ask the schedule before each step, stop when told.
        var x = x0
        var i = 0
        var last = x0
        if !shouldStop(x0, 0) && maximalSteps > 0 {
            while true {
                for action in online.actionsBeforeAdvancing(from: i) {
                    switch action {
                    case let .store(stepIndex, level, slot):
                        precondition(stepIndex == i, "online schedule stored x\(stepIndex) at step \(i)")
                        try Self.put(x, step: i, slot: slot, slots: &slots, store: store)
                        stats.stores[level, default: 0] += 1
                        let live = store?.bytesInUse ?? slots.lazy.filter { $0 != nil }.count * (stateBytes ?? 0)
                        stats.peakCheckpointBytes = Swift.max(stats.peakCheckpointBytes, live)
                    case let .discard(stepIndex, _, slot):
                        _ = try Self.take(step: stepIndex, slot: slot, release: true, slots: &slots, store: store)
                    default:
                        preconditionFailure("an online schedule may only store and discard while the run goes on, got \(action)")
                    }
                }
                let next = step.forward(x, p, i)
                stats.recordingAdvances += 1
                i += 1
                if i == maximalSteps || shouldStop(next, i) {
                    last = next
                    break
                }
                x = next
            }
        }
        steps = i
        finalState = last
        current = x
        stats.steps = i
        statistics = stats
        self.schedule = online
    }

    /// The reverse sweep from x̄[n]: plays the schedule's reversal with x[n−1] current the
    /// first time, and replays from x[0] with Revolve afterwards.
    func pullback(_ seed: StateCotangent) throws(CheckpointingError) -> (StateCotangent, ParameterCotangent) {
        guard steps > 0 else { return (seed, .zero) }
        if consumed {
            for store in givenStores.values { store.removeAll() }
            return try replayedPullback(seed)
        }
        consumed = true
        var adjoint = seed
        var parameterAdjoint = ParameterCotangent.zero
        var index = 0
        for action in schedule.reversal(steps: steps) {
            defer { index += 1 }
            switch action {
            case let .advance(from, to):
                guard var x = current else { throw .invalidAction(index: index, action: action, reason: "no current state") }
                current = nil
                for i in from..<to { x = step.forward(x, parameters, i) }
                current = x
                statistics.recomputationAdvances += to - from
            case let .store(stepIndex, level, slot):
                guard let x = current else { throw .invalidAction(index: index, action: action, reason: "no current state") }
                try Self.put(x, step: stepIndex, slot: slot, slots: &slots, store: store)
                statistics.stores[level, default: 0] += 1
            case let .restore(stepIndex, level, slot, release):
                current = nil
                current = try Self.take(step: stepIndex, slot: slot, release: release, slots: &slots, store: store)
                statistics.restores[level, default: 0] += 1
            case let .discard(stepIndex, _, slot):
                _ = try Self.take(step: stepIndex, slot: slot, release: true, slots: &slots, store: store)
            case let .reverse(stepIndex):
                guard let x = current else { throw .invalidAction(index: index, action: action, reason: "no current state") }
                current = nil
                let pullback = step.pullback?(x, parameters, stepIndex) ?? step.valueWithPullback(x, parameters, stepIndex).pullback
                let (stateBar, parameterBar) = pullback(adjoint)
                adjoint = stateBar
                parameterAdjoint += parameterBar
                statistics.reverses += 1
            case .endForward, .endReverse:
                break
            }
        }
        return (adjoint, parameterAdjoint)
    }

    /// A later pullback: n is known now, so the offline optimum replays the run from x[0]
    /// in the online schedule's slots and level; its counts are added to ``statistics``.
    func replayedPullback(_ seed: StateCotangent) throws(CheckpointingError) -> (StateCotangent, ParameterCotangent) {
        let replay: Revolve
        do { replay = try Revolve(steps: steps, slots: schedule.slots, level: schedule.level) } catch { throw .schedule(error) }
        let driver = try CheckpointedDriver(
            at: initialState, parameters: parameters, steps: steps, schedule: replay, stores: givenStores, step: step)
        _ = try driver.forward()
        let result = try driver.pullback(seed)
        let replayed = driver.statistics
        statistics.recordingAdvances += replayed.recordingAdvances
        statistics.recomputationAdvances += replayed.recomputationAdvances
        statistics.reverses += replayed.reverses
        for (level, count) in replayed.stores { statistics.stores[level, default: 0] += count }
        for (level, count) in replayed.restores { statistics.restores[level, default: 0] += count }
        return (result.state, result.parameters)
    }

    /// Saves x[step] into `slot`: the given store, or the slot array.
    static func put(
        _ x: State, step: Int, slot: Int, slots: inout [(step: Int, state: State)?], store: (any CheckpointStore<State>)?
    ) throws(CheckpointingError) {
        if let store {
            do throws(CheckpointStoreError) { try store.store(x, step: step, slot: slot) } catch { throw .storage(error) }
            return
        }
        guard slots.indices.contains(slot) else { throw .storage(.slotOutOfRange(slot: slot, capacity: slots.count)) }
        if let held = slots[slot] { throw .storage(.slotOccupied(slot: slot, heldStep: held.step)) }
        slots[slot] = (step, x)
    }

    /// Loads x[step] from `slot`, freeing it when `release` is true.
    static func take(
        step: Int, slot: Int, release: Bool, slots: inout [(step: Int, state: State)?], store: (any CheckpointStore<State>)?
    ) throws(CheckpointingError) -> State {
        if let store {
            do throws(CheckpointStoreError) { return try store.restore(step: step, slot: slot, release: release) } catch { throw .storage(error) }
        }
        guard slots.indices.contains(slot), let held = slots[slot], held.step == step else {
            throw .storage(.missingCheckpoint(step: step, slot: slot, heldStep: slots.indices.contains(slot) ? slots[slot]?.step : nil))
        }
        if release { slots[slot] = nil }
        return held.state
    }
}
