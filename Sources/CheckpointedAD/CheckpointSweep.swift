import CheckpointSchedules
import CheckpointStorage

/// The engine of ``CheckpointedDriver``: a value that plays a schedule's action stream
/// against a step, offline or online (the only player of action streams in the package). It is a struct with `@inlinable` methods so that a client's call is
/// specialised for its state type: the hot loop then runs without generic metadata lookups
/// or dynamic exclusivity checks (a class property access costs both). Measured with a
/// trivial scalar step: 2.4 µs of driver work per step as an unspecialised class, ~0.1 µs
/// as this struct (see `Benchmarks/Reports/gradient-report`, mode `overhead`).
///
/// The memory level is built in (a slot array, the same bookkeeping as
/// `MemoryCheckpointStore`) unless a store is given for it; every other level goes through
/// the ``CheckpointStorage/CheckpointStore`` it was given.
@usableFromInline
struct CheckpointSweep<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    @usableFromInline typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
    @usableFromInline typealias Loss = CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>

    @usableFromInline enum Phase { case fresh, taped, consumed }
    /// Where measured time is charged.
    @usableFromInline enum TimeCategory { case recording, recomputation, reverse }

    // What the run is.
    /// n; for an online run, the most steps it may take until it has stopped.
    @usableFromInline var steps: Int
    @usableFromInline let initialState: State
    @usableFromInline let parameters: Parameters
    /// The offline schedule; for an online run, nil until its first pass is over (later
    /// passes replay it with Revolve on the same slots).
    @usableFromInline var schedule: (any CheckpointSchedule)?
    /// An online run's schedule, until its first pass is over.
    @usableFromInline var online: OnlineActionStream?
    /// An online run's stop condition.
    @usableFromInline let shouldStop: ((State, Int) -> Bool)?
    @usableFromInline let step: Step
    @usableFromInline let losses: [Loss]
    @usableFromInline let options: CheckpointingOptions
    /// Given stores, by `StorageLevel.index`; nil for the built-in memory level.
    @usableFromInline let stores: [CheckpointStoreBox<State>?]
    @usableFromInline let hasGivenStores: Bool
    @usableFromInline let stateBytes: Int
    @usableFromInline let observes: Bool
    @usableFromInline let timed: Bool
    @usableFromInline var progressEvery: Int

    // Where the current pass is.
    @usableFromInline var phase = Phase.fresh
    @usableFromInline var actions: AnyIterator<CheckpointAction>?
    @usableFromInline var lookahead: [CheckpointAction] = []
    @usableFromInline var lookaheadHead = 0
    @usableFromInline var actionIndex = 0
    @usableFromInline var current: State?
    @usableFromInline var currentStep = -1
    @usableFromInline var forwardEnded = false
    @usableFromInline var nextReverse = 0
    @usableFromInline var finalState: State?
    @usableFromInline var taped: (state: State, pullback: Step.Pullback)?
    @usableFromInline var adjoint = StateCotangent.zero
    @usableFromInline var parameterAdjoint = ParameterCotangent.zero
    /// The built-in memory level: x[step] per slot.
    @usableFromInline var memorySlots: [(step: Int, state: State)?]
    @usableFromInline var liveMemorySlots = 0
    @usableFromInline var highestReached = -1
    @usableFromInline var fingerprints: [UInt64] = []
    @usableFromInline var storeCounts = [Int](repeating: 0, count: StorageLevel.allCases.count)
    @usableFromInline var restoreCounts = [Int](repeating: 0, count: StorageLevel.allCases.count)
    @usableFromInline var statistics: CheckpointingStatistics
    @usableFromInline var trace: ScheduleTrace?
    @usableFromInline var lossValue = 0.0
    @usableFromInline var runStart = 0.0
    @usableFromInline var lastTime = 0.0
    @usableFromInline var timeCategory = TimeCategory.recording
    /// With a trace: where this pass's events start.
    @usableFromInline var passFirstEvent = 0
    /// With a trace: seconds the current action spent asking stores to read ahead.
    @usableFromInline var readAheadRequestInAction: Double?
    /// With a trace: seconds spent asking for the read-ahead of the next restore.
    @usableFromInline var readAheadRequestForNextRestore: Double?

    @usableFromInline
    init(
        initialState: State, parameters: Parameters, steps: Int, source: CheckpointingResolution<State>.Source,
        stores: [CheckpointStoreBox<State>?], memorySlots: Int, stateBytes: Int, measuredBytes: Int,
        options: CheckpointingOptions, step: Step, losses: [Loss]
    ) {
        var capacities: [StorageLevel: Int] = [:]
        switch source {
        case .none, .parallel, .pipelined:
            // A parallel layout is played by ParallelReversal, never by this sweep.
            self.steps = 0
            self.shouldStop = nil
        case let .offline(schedule):
            self.steps = steps
            self.schedule = schedule
            self.shouldStop = nil
            for level in StorageLevel.allCases where schedule.capacity(of: level) > 0 {
                capacities[level] = schedule.capacity(of: level)
            }
        case let .online(schedule, until):
            self.steps = steps
            self.online = OnlineActionStream(schedule)
            self.shouldStop = until
            capacities[schedule.level] = schedule.slots
        }
        self.initialState = initialState
        self.parameters = parameters
        self.step = step
        self.losses = losses
        self.options = options
        self.stores = stores
        self.hasGivenStores = stores.contains { $0 != nil }
        self.stateBytes = stateBytes
        self.observes = options.checksDeterminism || options.checksFiniteness || !losses.isEmpty
        self.timed = options.measuresTime || options.recordsTrace
        self.progressEvery = Swift.max(1, steps / 100)
        self.memorySlots = Array(repeating: nil, count: memorySlots)
        var statistics = CheckpointingStatistics(steps: self.steps, stateBytes: measuredBytes)
        statistics.capacities = capacities
        statistics.reservedBytes = options.reservedBytes
        statistics.schedule = online.map { "\($0.schedule)" } ?? schedule.map { "\($0)" } ?? "none (0 steps)"
        self.statistics = statistics
        if options.recordsTrace {
            trace = ScheduleTrace(steps: self.steps, stateBytes: measuredBytes, capacities: capacities)
            for store in stores { store?.startRecordingOperations() }
        }
        if options.checksDeterminism { fingerprints.reserveCapacity(Swift.min(self.steps, 1 << 20) + 1) }
    }

    // MARK: The two halves

    /// The recording sweep up to the taped step n−1; returns x[n].
    @inlinable
    mutating func forward() throws(CheckpointingError) -> State {
        if let finalState { return finalState }
        try startPass()
        try play()
        guard let finalState else {
            throw .invalidAction(index: actionIndex, action: .endReverse, reason: "the stream ended before reversing step \(steps - 1)")
        }
        return finalState
    }

    /// The reverse sweep from the seed x̄[n]; a second call replays the schedule first.
    @inlinable
    mutating func pullback(_ seed: StateCotangent) throws(CheckpointingError) -> (initialState: StateCotangent, parameters: ParameterCotangent) {
        _ = try forward()
        if phase == .consumed {
            try startPass()
            try play()
        }
        adjoint = seed
        parameterAdjoint = .zero
        defer { adjoint = .zero; parameterAdjoint = .zero }
        if let finalState { injectLosses(at: steps, state: finalState) }
        if taped != nil {
            reverseTapedStep()   // releases the taped step (its tape may hold several states)
            try play()
        }
        if options.recordsTrace { attachStoreRecords() }
        phase = .consumed
        report(stepsReversed: steps)
        return (adjoint, parameterAdjoint)
    }

    /// Applies the pullback of step n−1, taped by ``forward()``, and releases it.
    @inlinable
    mutating func reverseTapedStep() {
        guard let (state, pullback) = taped else { return }
        taped = nil
        let start = timed ? Self.now() : 0
        reverse(pullback, state: state, step: steps - 1)
        if timed {
            // The taped step's event was recorded by forward(); add the pullback's time to it.
            let elapsed = Self.now() - start
            statistics.reverseSeconds += elapsed
            addToLastReverseEvent(elapsed)
            timeCategory = .reverse
        }
    }

    // MARK: Playing the stream

    /// x[0] current, a fresh action stream, empty stores.
    @inlinable
    mutating func startPass() throws(CheckpointingError) {
        if phase == .consumed {
            removeAllCheckpoints()
            try replaceOnlineScheduleWithRevolve()
        }
        phase = .fresh
        if let online {
            actions = AnyIterator(online)
        } else if let schedule {
            actions = actionStream(of: schedule)
        } else {
            actions = nil
        }
        lookahead.removeAll(keepingCapacity: true)
        lookaheadHead = 0
        actionIndex = 0
        current = initialState
        currentStep = 0
        forwardEnded = false
        nextReverse = steps - 1
        runStart = Self.now()
        lastTime = runStart
        timeCategory = .recording
        passFirstEvent = trace?.events.count ?? 0
        readAheadRequestInAction = nil
        readAheadRequestForNextRestore = nil
        if online != nil, steps > 0, shouldStop?(initialState, 0) == true { endOnlineRun(steps: 0) }
        try observe(initialState, at: 0)
        if steps == 0 {
            finalState = initialState
            phase = .taped
            actions = nil
        }
    }

    /// Plays actions until the first reverse is taped (in ``forward()``) or the stream ends.
    @inlinable
    mutating func play() throws(CheckpointingError) {
        if timed { lastTime = Self.now() }
        defer { if timed && !options.recordsTrace { chargeTime(until: Self.now()) } }
        while let action = nextAction() {
            let index = actionIndex
            actionIndex += 1
            var bytes = 0
            if timed { startTiming(action) }
            switch action {
            case let .advance(from, to):
                guard currentStep == from, from < to, to <= steps, var x = current else {
                    throw invalid(index, action, "the current state is \(describeCurrent()), not x\(from), or \(from)→\(to) leaves 0…\(steps)")
                }
                current = nil
                if online != nil, !forwardEnded {
                    try advanceOnline(from: from, state: x)
                } else {
                    try advance(&x, from: from, to: to)
                    current = x
                    currentStep = to
                    if forwardEnded {
                        statistics.recomputationAdvances += to - from
                    } else {
                        statistics.recordingAdvances += to - from
                    }
                }
            case let .store(stepIndex, level, slot):
                guard currentStep == stepIndex, let x = current else {
                    throw invalid(index, action, "the current state is \(describeCurrent()), not x\(stepIndex)")
                }
                try store(x, step: stepIndex, level: level, slot: slot, index: index, action: action)
                storeCounts[level.index] += 1
                bytes = stateBytes
                statistics.peakCheckpointBytes = Swift.max(statistics.peakCheckpointBytes, liveCheckpointBytes())
            case let .restore(stepIndex, level, slot, release):
                current = nil
                current = try restore(step: stepIndex, level: level, slot: slot, release: release, index: index, action: action)
                currentStep = stepIndex
                restoreCounts[level.index] += 1
                bytes = stateBytes
                prefetchNextRestore()
            case let .discard(stepIndex, level, slot):
                try discard(step: stepIndex, level: level, slot: slot, index: index, action: action)
            case let .reverse(stepIndex):
                guard forwardEnded, stepIndex == nextReverse, currentStep == stepIndex, let x = current else {
                    throw invalid(index, action, forwardEnded
                        ? "step \(nextReverse) must be reversed next, from x\(nextReverse); the current state is \(describeCurrent())"
                        : "endForward must come before the first reverse")
                }
                current = nil
                currentStep = -1
                if phase == .fresh {
                    // Revolve's convention: the forward sweep ends with step n−1 taped, so x[n]
                    // is known before the pullback is called. Keep its pullback and stop.
                    let (value, pullback) = step.valueWithPullback(x, parameters, stepIndex)
                    try observe(value, at: steps)
                    if finalState == nil { finalState = value }
                    taped = (x, pullback)
                    phase = .taped
                    if timed { finishAction(action, bytes: 0) }
                    return
                }
                if let pullbackOnly = step.pullback {
                    reverse(pullbackOnly(x, parameters, stepIndex), state: x, step: stepIndex)
                } else {
                    reverse(step.valueWithPullback(x, parameters, stepIndex).pullback, state: x, step: stepIndex)
                }
            case .endForward:
                forwardEnded = true
                prefetchNextRestore()
                report(stepsReversed: 0)
            case .endReverse:
                guard nextReverse < 0 else { throw invalid(index, action, "steps \(nextReverse)…0 are not reversed yet") }
            }
            if timed { finishAction(action, bytes: bytes) }
        }
        if phase != .fresh && nextReverse >= 0 {
            throw invalid(actionIndex, .endReverse, "the stream ended before steps \(nextReverse)…0 were reversed")
        }
        updateCountStatistics()
    }

    /// Runs steps `from` ..< `to` untaped from x[from], observing each new state.
    @inlinable
    mutating func advance(_ x: inout State, from: Int, to: Int) throws(CheckpointingError) {
        if observes {
            for i in from..<to {
                x = step.forward(x, parameters, i)
                try observe(x, at: i + 1)
            }
        } else {
            for i in from..<to { x = step.forward(x, parameters, i) }
        }
    }

    /// Applies one step's pullback to the adjoint, then the loss terms at x[step].
    @inlinable
    mutating func reverse(_ pullback: Step.Pullback, state x: State, step stepIndex: Int) {
        let (stateBar, parameterBar) = pullback(adjoint)
        adjoint = stateBar
        parameterAdjoint += parameterBar
        injectLosses(at: stepIndex, state: x)
        nextReverse -= 1
        statistics.reverses += 1
        if options.progress != nil, (steps - 1 - nextReverse) % progressEvery == 0 { report(stepsReversed: steps - 1 - nextReverse) }
    }

    /// Adds the gradients of the loss terms at x[step] to the adjoints.
    @inlinable
    mutating func injectLosses(at stepIndex: Int, state x: State) {
        for loss in losses where loss.steps.contains(stepIndex, steps: steps) {
            let (_, stateBar, parameterBar) = loss.valueWithGradient(x, parameters, stepIndex)
            adjoint += stateBar
            parameterAdjoint += parameterBar
        }
    }

    /// Sees x[step]: the first time, evaluates the loss terms, checks finiteness and keeps
    /// a fingerprint; on recomputation, compares the fingerprint.
    @inlinable
    mutating func observe(_ x: State, at stepIndex: Int) throws(CheckpointingError) {
        guard observes else { return }
        if stepIndex > highestReached {
            highestReached = stepIndex
            if options.checksFiniteness, !(x as! any CheckpointVerifiable).isCheckpointFinite {
                throw .nonFiniteState(step: stepIndex)
            }
            if options.checksDeterminism { fingerprints.append((x as! any CheckpointVerifiable).checkpointFingerprint) }
            for loss in losses where loss.steps.contains(stepIndex, steps: steps) {
                lossValue += loss.value(x, parameters, stepIndex)
            }
        } else if options.checksDeterminism {
            guard fingerprints[stepIndex] == (x as! any CheckpointVerifiable).checkpointFingerprint else {
                throw .nonDeterministicStep(step: stepIndex)
            }
        }
    }
}
