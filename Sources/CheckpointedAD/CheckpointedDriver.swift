import CheckpointSchedules
import CheckpointStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checkpointed reverse sweep: plays any ``CheckpointSchedules/CheckpointSchedule``'s
/// action stream against a step function and its pullback, storing only the checkpoints the
/// schedule asks for, to compute the vector-Jacobian product of x[n] = F_{n−1}(…F_0(x[0])…)
/// with respect to x[0] and the parameters p.
///
/// ```swift
/// let driver = try CheckpointedDriver(at: x0, parameters: p, steps: 10_000,
///                                     memory: .megabytes(100), step: CheckpointedStep(f))
/// let xn = try driver.forward()                 // recording sweep; x[n] is known
/// let (x0bar, pbar) = try driver.pullback(xnbar) // reverse sweep with recomputation
/// print(driver.statistics.advances, driver.statistics.reverses)
/// ```
///
/// Most users call ``valueWithCheckpointedPullback(at:parameters:steps:memory:schedule:stores:options:step:)``
/// or ``gradient(at:parameters:steps:memory:schedule:stores:options:step:loss:)`` instead.
///
/// **The sweep.** ``forward()`` plays the schedule up to its first `reverse(step: n−1)`,
/// and runs that step taped, keeping its pullback (revolve's convention), so x[n] is known
/// before any pullback. ``pullback(_:)`` seeds the adjoint x̄[n], applies that pullback and
/// plays the rest of the stream: each `reverse(step: i)` runs step i taped from x[i] and
/// moves the adjoint from x̄[i+1] to x̄[i], adding p̄ᵢ to the parameter gradient and the
/// gradients of any loss term at x[i] (``CheckpointedLoss``).
///
/// **Calling the pullback twice** is allowed and correct: the first call consumes the
/// checkpoints, so a later call replays the whole schedule from x[0] (a full recording
/// sweep again, counted in ``statistics``) before sweeping back with the new seed.
///
/// **Stores**: one ``CheckpointStorage/CheckpointStore`` per ``StorageLevel`` the schedule
/// uses. Memory defaults to a `MemoryCheckpointStore`; other levels must be given. Before
/// each restore the driver calls `prefetch` for the next restore it can see ahead in the
/// stream (up to 64 actions ahead), so a slow store can read ahead.
///
/// - Complexity: exactly the schedule's advances and reverses (t(n, s) and n for Revolve);
///   O(1) driver work per action; memory: the stores' slots plus three states (current,
///   produced, adjoint) plus what one taped step holds.
public final class CheckpointedDriver<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    /// The step type the driver runs.
    public typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
    /// The loss-term type the driver injects.
    public typealias Loss = CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>

    /// n: the number of steps.
    public let steps: Int
    /// x[0].
    public let initialState: State
    /// p.
    public let parameters: Parameters
    /// The schedule being played (nil when n = 0).
    public let schedule: (any CheckpointSchedule)?
    /// What the run did so far.
    public private(set) var statistics: CheckpointingStatistics
    /// Every action with its timing, when ``CheckpointingOptions/recordsTrace`` is on.
    public private(set) var trace: ScheduleTrace?
    /// L = Σ of every loss term's value, evaluated on the recording sweep (0 without losses).
    public private(set) var lossValue = 0.0

    let step: Step
    let losses: [Loss]
    let options: CheckpointingOptions
    /// One store per level, indexed by `StorageLevel.index`.
    let stores: [(any CheckpointStore<State>)?]
    let observes: Bool
    let timed: Bool

    // The state of the current pass over the stream.
    enum Phase { case fresh, taped, consumed }
    var phase = Phase.fresh
    var actions: (any IteratorProtocol<CheckpointAction>)?
    var lookahead: [CheckpointAction] = []
    var lookaheadHead = 0
    var actionIndex = 0
    var current: State?
    var currentStep = -1
    var forwardEnded = false
    var nextReverse = 0
    var finalState: State?
    var taped: (state: State, pullback: Step.Pullback)?
    var adjoint = StateCotangent.zero
    var parameterAdjoint = ParameterCotangent.zero
    var highestReached = -1
    var fingerprints: [UInt64] = []
    var storeCounts = [Int](repeating: 0, count: StorageLevel.allCases.count)
    var restoreCounts = [Int](repeating: 0, count: StorageLevel.allCases.count)
    var progressEvery = 1
    var runStart = 0.0
    var lastTime = 0.0

    /// A driver for n = `steps` steps from `x0` with parameters `p`.
    ///
    /// - Parameters:
    ///   - memory: the budget; ignored for choosing when `schedule` is given, but a byte
    ///     budget is still checked against the schedule's memory slots.
    ///   - schedule: the schedule to play; by default Revolve with the slots `memory` allows
    ///     (or store-all for ``MemoryBudget/unlimited``).
    ///   - stores: a store per level; memory defaults to a `MemoryCheckpointStore`.
    ///   - losses: loss terms whose gradients are injected during the reverse sweep.
    /// - Throws: ``CheckpointingError`` for a negative step count, a budget too small, an
    ///   unmeasurable state with a byte budget, a schedule for another step count, or a
    ///   missing store.
    public init(
        at x0: State, parameters p: Parameters, steps n: Int,
        memory: MemoryBudget = .unlimited, schedule: (any CheckpointSchedule)? = nil,
        stores: [StorageLevel: any CheckpointStore<State>] = [:], options: CheckpointingOptions = CheckpointingOptions(),
        step: Step, losses: [Loss] = []
    ) throws(CheckpointingError) {
        AllocatorTuning.apply()
        guard n >= 0 else { throw .negativeStepCount(n) }
        if options.checksDeterminism || options.checksFiniteness {
            guard x0 is any CheckpointVerifiable else { throw .unverifiableState(type: "\(State.self)") }
        }
        let measured = (x0 as? any CheckpointSized)?.checkpointByteCount
        let plan = try Self.plan(steps: n, memory: memory, schedule: schedule, stateBytes: measured, options: options)
        let stateBytes = measured ?? MemoryLayout<State>.size
        var storesByLevel: [(any CheckpointStore<State>)?] = Array(repeating: nil, count: StorageLevel.allCases.count)
        var capacities: [StorageLevel: Int] = [:]
        if let plan {
            for level in StorageLevel.allCases {
                let capacity = plan.capacity(of: level)
                if capacity > 0 { capacities[level] = capacity }
                if let given = stores[level] {
                    storesByLevel[level.index] = given
                } else if capacity > 0 {
                    guard level == .memory else { throw .missingStore(level: level, slots: capacity) }
                    storesByLevel[level.index] = MemoryCheckpointStore<State>(capacity: capacity, bytesPerState: stateBytes)
                }
            }
        }
        self.steps = n
        self.initialState = x0
        self.parameters = p
        self.schedule = plan
        self.step = step
        self.losses = losses
        self.options = options
        self.stores = storesByLevel
        self.observes = options.checksDeterminism || options.checksFiniteness || !losses.isEmpty
        self.timed = options.measuresTime || options.recordsTrace
        var statistics = CheckpointingStatistics(steps: n, stateBytes: measured ?? 0)
        statistics.capacities = capacities
        statistics.schedule = plan.map { "\($0)" } ?? "none (0 steps)"
        self.statistics = statistics
        if options.recordsTrace {
            trace = ScheduleTrace(steps: n, stateBytes: measured ?? 0, capacities: capacities)
        }
        if options.checksDeterminism { fingerprints = Array(repeating: 0, count: n + 1) }
        progressEvery = Swift.max(1, n / 100)
    }

    deinit {
        for store in stores { store?.removeAll() }
    }

    /// The schedule for a budget: the given one (checked), Revolve with the slots the budget
    /// allows, or store-all.
    static func plan(
        steps n: Int, memory: MemoryBudget, schedule: (any CheckpointSchedule)?, stateBytes: Int?,
        options: CheckpointingOptions
    ) throws(CheckpointingError) -> (any CheckpointSchedule)? {
        if n == 0 { return nil }
        if let schedule, schedule.steps != n { throw .scheduleStepMismatch(scheduleSteps: schedule.steps, steps: n) }
        var slots: Int?
        switch memory {
        case .unlimited:
            break
        case let .slots(s):
            slots = s
        case let .bytes(budget):
            guard let stateBytes else { throw .unmeasurableState(type: "\(State.self)") }
            let working = workingBytes(steps: n, stateBytes: stateBytes, options: options)
            let minimum = working + stateBytes
            guard budget >= minimum else {
                throw .budgetTooSmall(budgetBytes: budget, minimumBytes: minimum, stateBytes: stateBytes)
            }
            let affordable = stateBytes == 0 ? n : (budget - working) / stateBytes
            if let schedule, schedule.capacity(of: .memory) > affordable {
                let needed = working + schedule.capacity(of: .memory) * stateBytes
                throw .budgetTooSmall(budgetBytes: budget, minimumBytes: needed, stateBytes: stateBytes)
            }
            slots = Swift.min(affordable, n)
        }
        if let schedule { return schedule }
        do {
            if let slots { return try Revolve(steps: n, slots: slots) }
            return try StoreAll(steps: n)
        } catch {
            throw .schedule(error)
        }
    }

    /// The bytes the driver itself needs besides checkpoints: current state, produced state,
    /// adjoint, the taped step's workspace, and the determinism fingerprints.
    static func workingBytes(steps n: Int, stateBytes: Int, options: CheckpointingOptions) -> Int {
        (3 + Swift.max(0, options.workspaceStates)) * stateBytes + (options.checksDeterminism ? 8 * (n + 1) : 0)
    }

    // MARK: The two halves

    /// Runs the recording sweep and the taped last step; returns x[n]. Calling it again
    /// returns the same x[n] without running anything.
    public func forward() throws(CheckpointingError) -> State {
        if let finalState { return finalState }
        try startPass()
        try play()
        guard let finalState else {
            throw .invalidAction(index: actionIndex, action: .endReverse, reason: "the stream ended before reversing step \(steps - 1)")
        }
        return finalState
    }

    /// The vector-Jacobian product: maps x̄[n] to (x̄[0], p̄), plus the gradients of the loss
    /// terms. May be called more than once (later calls replay the schedule).
    public func pullback(_ seed: StateCotangent) throws(CheckpointingError) -> (state: StateCotangent, parameters: ParameterCotangent) {
        _ = try forward()
        if phase == .consumed {
            try startPass()
            try play()
        }
        adjoint = seed
        parameterAdjoint = .zero
        defer { adjoint = .zero; parameterAdjoint = .zero }
        if let finalState { try injectLosses(at: steps, state: finalState) }
        if let (state, pullback) = taped {
            taped = nil
            let start = timed ? Self.now() : 0
            try reverse(pullback, state: state, step: steps - 1)
            if timed {
                // The taped step's event was recorded by forward(); add the pullback's time to it.
                let elapsed = Self.now() - start
                statistics.reverseSeconds += elapsed
                if let index = trace?.events.lastIndex(where: { $0.kind == .reverse }) { trace?.events[index].duration += elapsed }
            }
            try play()
        }
        phase = .consumed
        report(stepsReversed: steps)
        return (adjoint, parameterAdjoint)
    }

    // MARK: Playing the stream

    /// Resets the pass: x[0] current, a fresh action stream, empty stores.
    func startPass() throws(CheckpointingError) {
        if phase == .consumed { for store in stores { store?.removeAll() } }
        phase = .fresh
        actions = schedule?.makeIterator()
        lookahead.removeAll(keepingCapacity: true)
        lookaheadHead = 0
        actionIndex = 0
        current = initialState
        currentStep = 0
        forwardEnded = false
        nextReverse = steps - 1
        runStart = Self.now()
        lastTime = runStart
        try observe(initialState, at: 0)
        if steps == 0 {
            finalState = initialState
            phase = .taped
        }
    }

    /// Plays actions until the first reverse is taped (during ``forward()``) or the stream
    /// ends (during ``pullback(_:)``).
    func play() throws(CheckpointingError) {
        if timed { lastTime = Self.now() }
        while let action = nextAction() {
            let index = actionIndex
            actionIndex += 1
            var bytes = 0
            switch action {
            case let .advance(from, to):
                guard currentStep == from, from < to, to <= steps, var x = current else {
                    throw invalid(index, action, "the current state is \(describeCurrent()), not x\(from), or \(from)→\(to) leaves 0…\(steps)")
                }
                current = nil
                if observes {
                    for i in from..<to {
                        x = step.forward(x, parameters, i)
                        try observe(x, at: i + 1)
                    }
                } else {
                    for i in from..<to { x = step.forward(x, parameters, i) }
                }
                current = x
                currentStep = to
                if forwardEnded {
                    statistics.recomputationAdvances += to - from
                } else {
                    statistics.recordingAdvances += to - from
                }
            case let .store(stepIndex, level, slot):
                guard currentStep == stepIndex, let x = current else {
                    throw invalid(index, action, "the current state is \(describeCurrent()), not x\(stepIndex)")
                }
                let target = try store(level, index, action)
                do throws(CheckpointStoreError) { try target.store(x, step: stepIndex, slot: slot) } catch { throw .storage(error) }
                storeCounts[level.index] += 1
                bytes = statistics.stateBytes
                let live = stores.reduce(0) { $0 + ($1?.bytesInUse ?? 0) }
                statistics.peakCheckpointBytes = Swift.max(statistics.peakCheckpointBytes, live)
            case let .restore(stepIndex, level, slot, release):
                current = nil
                let source = try store(level, index, action)
                do throws(CheckpointStoreError) {
                    current = try source.restore(step: stepIndex, slot: slot, release: release)
                } catch { throw .storage(error) }
                currentStep = stepIndex
                restoreCounts[level.index] += 1
                bytes = statistics.stateBytes
                prefetchNextRestore()
            case let .reverse(stepIndex):
                guard forwardEnded, stepIndex == nextReverse, currentStep == stepIndex, let x = current else {
                    throw invalid(index, action, forwardEnded
                        ? "step \(nextReverse) must be reversed next, from x\(nextReverse); the current state is \(describeCurrent())"
                        : "endForward must come before the first reverse")
                }
                current = nil
                currentStep = -1
                let (y, pullback) = step.valueWithPullback(x, parameters, stepIndex)
                if phase == .fresh {
                    // Revolve's convention: the forward sweep ends with step n−1 taped, so x[n]
                    // is known before the pullback is called. Keep its pullback and stop.
                    try observe(y, at: steps)
                    if finalState == nil { finalState = y }
                    taped = (x, pullback)
                    phase = .taped
                    if timed { finishAction(action, bytes: 0) }
                    return
                }
                try reverse(pullback, state: x, step: stepIndex)
            case .endForward:
                forwardEnded = true
                prefetchNextRestore()
                report(stepsReversed: 0)
            case .endReverse:
                guard nextReverse < 0 else { throw invalid(index, action, "steps \(nextReverse)…0 are not reversed yet") }
            }
            if timed { finishAction(action, bytes: bytes) }
            if case .endReverse = action { break }
        }
        if phase != .fresh && nextReverse >= 0 {
            throw invalid(actionIndex, .endReverse, "the stream ended before steps \(nextReverse)…0 were reversed")
        }
        updateCountStatistics()
    }

    /// Applies one step's pullback at the adjoint, then the loss terms at x[step].
    func reverse(_ pullback: Step.Pullback, state x: State, step stepIndex: Int) throws(CheckpointingError) {
        let (stateBar, parameterBar) = pullback(adjoint)
        adjoint = stateBar
        parameterAdjoint += parameterBar
        try injectLosses(at: stepIndex, state: x)
        nextReverse -= 1
        statistics.reverses += 1
        if (steps - 1 - nextReverse) % progressEvery == 0 { report(stepsReversed: steps - 1 - nextReverse) }
    }

    /// Adds the gradients of the loss terms at x[step] to the adjoints.
    func injectLosses(at stepIndex: Int, state x: State) throws(CheckpointingError) {
        for loss in losses where loss.steps.contains(stepIndex, steps: steps) {
            let (_, stateBar, parameterBar) = loss.valueWithGradient(x, parameters, stepIndex)
            adjoint += stateBar
            parameterAdjoint += parameterBar
        }
    }

    /// Sees x[stepIndex]: on its first computation evaluates the loss terms, checks
    /// finiteness and records its fingerprint; on recomputation compares the fingerprint.
    func observe(_ x: State, at stepIndex: Int) throws(CheckpointingError) {
        guard observes else { return }
        if stepIndex > highestReached {
            highestReached = stepIndex
            if options.checksFiniteness, !(x as! any CheckpointVerifiable).isCheckpointFinite {
                throw .nonFiniteState(step: stepIndex)
            }
            if options.checksDeterminism { fingerprints[stepIndex] = (x as! any CheckpointVerifiable).checkpointFingerprint }
            for loss in losses where loss.steps.contains(stepIndex, steps: steps) {
                lossValue += loss.value(x, parameters, stepIndex)
            }
        } else if options.checksDeterminism {
            guard fingerprints[stepIndex] == (x as! any CheckpointVerifiable).checkpointFingerprint else {
                throw .nonDeterministicStep(step: stepIndex)
            }
        }
    }

    // MARK: Helpers

    func nextAction() -> CheckpointAction? {
        if lookaheadHead < lookahead.count {
            let action = lookahead[lookaheadHead]
            lookaheadHead += 1
            if lookaheadHead == lookahead.count {
                lookahead.removeAll(keepingCapacity: true)
                lookaheadHead = 0
            }
            return action
        }
        return actions?.next()
    }

    /// Finds the next restore in the stream (reading at most 64 actions ahead) and asks its
    /// store to prefetch it.
    func prefetchNextRestore() {
        func prefetch(_ action: CheckpointAction) -> Bool {
            guard case let .restore(stepIndex, level, slot, _) = action else { return false }
            stores[level.index]?.prefetch(step: stepIndex, slot: slot)
            return true
        }
        for action in lookahead[lookaheadHead...] where prefetch(action) { return }
        while lookahead.count - lookaheadHead < 64, let action = actions?.next() {
            lookahead.append(action)
            if prefetch(action) { return }
        }
    }

    func store(_ level: StorageLevel, _ index: Int, _ action: CheckpointAction) throws(CheckpointingError) -> any CheckpointStore<State> {
        guard let store = stores[level.index] else { throw invalid(index, action, "no store was given for the \(level) level") }
        return store
    }

    func invalid(_ index: Int, _ action: CheckpointAction, _ reason: String) -> CheckpointingError {
        .invalidAction(index: index, action: action, reason: reason)
    }

    func describeCurrent() -> String { currentStep < 0 ? "undefined" : "x\(currentStep)" }

    /// Charges the time since the last action to `action`'s phase and records it in the trace.
    func finishAction(_ action: CheckpointAction, bytes: Int) {
        let time = Self.now()
        let elapsed = time - lastTime
        switch action {
        case .advance: if forwardEnded { statistics.recomputationSeconds += elapsed } else { statistics.recordingSeconds += elapsed }
        case .reverse: statistics.reverseSeconds += elapsed
        case .store, .restore: statistics.storageSeconds += elapsed
        case .endForward, .endReverse: break
        }
        if options.recordsTrace {
            trace?.events.append(TraceEvent(action: action, start: lastTime - runStart, duration: elapsed, bytes: bytes))
        }
        lastTime = time
    }

    func updateCountStatistics() {
        for level in StorageLevel.allCases {
            if storeCounts[level.index] > 0 { statistics.stores[level] = storeCounts[level.index] }
            if restoreCounts[level.index] > 0 { statistics.restores[level] = restoreCounts[level.index] }
        }
    }

    func report(stepsReversed: Int) {
        guard let progress = options.progress else { return }
        progress(CheckpointingProgress(
            steps: steps, stepsReversed: stepsReversed, advances: statistics.advances, elapsedSeconds: Self.now() - runStart))
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
