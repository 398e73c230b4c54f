import CheckpointSchedules
import CheckpointStorage

/// A ``Checkpointing`` strategy made concrete for one run: the schedule to play, the stores
/// to play it on, the built-in memory level's slots, and the plan when one was made.
///
/// The one place where bytes become slots: every front door goes through
/// ``Checkpointing/resolve(steps:initialState:stateBytes:options:stepTimes:)``.
@usableFromInline
struct CheckpointingResolution<State> {
    /// What the sweep plays.
    @usableFromInline
    enum Source {
        /// Nothing: n = 0 (or an online run told to stop at x[0]).
        case none
        /// An offline schedule for the known n.
        case offline(any CheckpointSchedule)
        /// An online schedule; n is found out while running.
        case online(any OnlineCheckpointSchedule, until: ((State, Int) -> Bool)?)
        /// Segments reversed on two threads (``ParallelReversal``).
        case parallel(ParallelReversalLayout)
        /// A checkpoint tree reversed on two threads (``PipelinedParallelReversal``).
        case pipelined(PipelinedReversal)
    }

    var source: Source
    /// Given or created stores, by level; a level without one uses the built-in slots.
    var stores: [StorageLevel: any CheckpointStore<State>] = [:]
    /// Slots of the built-in memory level.
    var memorySlots = 0
    /// The planner's decision, for a planned strategy.
    var plan: CheckpointPlan?
    /// What the statistics' schedule should add: why two threads were declined.
    var note: String?
}

extension Checkpointing {
    /// Turns the strategy into a schedule, stores and slots for a run of `n` steps (for an
    /// online strategy, at most `n`).
    ///
    /// Byte budgets are split the same way for every strategy: the driver's working bytes
    /// (``CheckpointingOptions/workingBytes(steps:stateBytes:)``, which include
    /// ``CheckpointingOptions/reservedBytes``) come off first; what is left is checkpoints.
    ///
    /// - Parameters:
    ///   - stateBytes: the measured size of a state (nil when it cannot be measured).
    ///   - stepTimes: measures the step, for a planned strategy that was given no times.
    /// - Throws: ``CheckpointingError`` when the budget cannot work, a state cannot be
    ///   measured, a schedule does not match n, or a store is missing.
    func resolve(
        steps n: Int, initialState x0: State, stateBytes: Int?, options: CheckpointingOptions,
        stepTimes: () -> StepTimes
    ) throws(CheckpointingError) -> CheckpointingResolution<State> {
        guard n >= 0 else { throw .negativeStepCount(n) }
        switch choice {
        case .storeAll:
            guard n > 0 else { return CheckpointingResolution(source: .none) }
            return try offline(Self.built { () throws(ScheduleError) in try StoreAll(steps: n) }, stores: [:])
        case let .revolve(memory):
            guard n > 0 else { return CheckpointingResolution(source: .none) }
            guard let slots = try Self.memorySlots(memory, steps: n, stateBytes: stateBytes, options: options) else {
                return try offline(Self.built { () throws(ScheduleError) in try StoreAll(steps: n) }, stores: [:])
            }
            return try offline(Self.built { () throws(ScheduleError) in try Revolve(steps: n, slots: slots) }, stores: [:])
        case let .parallelRevolve(memory, threads, times):
            guard threads == 2 else { throw .unsupportedThreadCount(threads) }
            guard n > 0 else { return CheckpointingResolution(source: .none) }
            let rho = try Self.reverseCost(times)
            // The step is measured (unless its times are given) to decide whether two threads
            // pay and how long the tree may take to choose; with the minimum at 0 and no times,
            // neither is asked, and the full search runs.
            let minimum = options.minimumAdvanceSecondsForSecondThread
            let speed = times ?? (minimum > 0 ? stepTimes() : nil)
            if let speed, speed.advance < minimum {
                var resolution = try Checkpointing.revolve(memory: memory).resolve(
                    steps: n, initialState: x0, stateBytes: stateBytes, options: options, stepTimes: { speed })
                resolution.note = Self.secondThreadDeclined(advance: speed.advance, minimum: minimum)
                return resolution
            }
            return try resolveParallel(
                memory: memory, threads: threads, steps: n, stateBytes: stateBytes, options: options, reverseCost: rho,
                walks: speed.map(Self.planningWalks))
        case let .schedule(schedule, stores):
            guard schedule.steps == n || n == 0 else { throw .scheduleStepMismatch(scheduleSteps: schedule.steps, steps: n) }
            guard n > 0 else { return CheckpointingResolution(source: .none) }
            return try offline(schedule, stores: stores)
        case let .online(online):
            return try resolveOnline(online, steps: n, stateBytes: stateBytes, options: options)
        case let .planned(planned):
            guard n > 0 else { return CheckpointingResolution(source: .none) }
            let made = try planned.plan(x0, n, options, planned.stepTimes ?? stepTimes())
            var resolution = try offline(made.schedule, stores: made.stores)
            resolution.plan = made.plan
            return resolution
        }
    }

    /// An offline schedule on the given stores; the memory level is built in unless given.
    private func offline(
        _ schedule: any CheckpointSchedule, stores: [StorageLevel: any CheckpointStore<State>]
    ) throws(CheckpointingError) -> CheckpointingResolution<State> {
        var resolution = CheckpointingResolution<State>(source: .offline(schedule), stores: stores)
        for level in StorageLevel.allCases where stores[level] == nil {
            let capacity = schedule.capacity(of: level)
            if level == .memory {
                resolution.memorySlots = capacity
            } else if capacity > 0 {
                throw .missingStore(level: level, slots: capacity)
            }
        }
        return resolution
    }

    private func resolveOnline(
        _ online: OnlineChoice, steps n: Int, stateBytes: Int?, options: CheckpointingOptions
    ) throws(CheckpointingError) -> CheckpointingResolution<State> {
        let schedule: any OnlineCheckpointSchedule
        if let given = online.schedule {
            schedule = given
        } else {
            let memory = online.memory ?? .unlimited
            guard memory != .unlimited else { throw .onlineRunNeedsBudget }
            // n is unknown: the determinism fingerprints (8 bytes a step) are not budgeted, and
            // no run of at most n steps needs more than n slots.
            let affordable = try Self.memorySlots(memory, steps: 0, stateBytes: stateBytes, options: options) ?? 0
            let slots = Swift.min(affordable, Swift.max(n, 1))
            guard slots >= 1 else { throw .schedule(.invalidSlotCount(slots)) }
            schedule = OnlineStummWalther(slots: slots)
        }
        guard schedule.slots >= 1 else { throw .schedule(.invalidSlotCount(schedule.slots)) }
        var resolution = CheckpointingResolution<State>(source: .online(schedule, until: online.until), stores: online.stores)
        if online.stores[schedule.level] == nil {
            guard schedule.level == .memory else { throw .missingStore(level: schedule.level, slots: schedule.slots) }
            resolution.memorySlots = schedule.slots
        }
        return resolution
    }

    /// A reversal on two threads: the second thread's working states come off a byte budget
    /// first (``parallelWorkingStates``); the states left (or the slots of a budget in
    /// slots) hold checkpoints and the hand-off queue. The pipelined checkpoint tree
    /// (`PipelinedReversal.rememberedBest(steps:states:reverseCost:walks:)`, for the reverse
    /// cost ρ in advances, walking at most `walks` candidate streams) is used whenever one fits;
    /// below its minimum the segment layout (`ParallelReversalLayout`), which supports no
    /// trace or checks.
    private func resolveParallel(
        memory: MemoryBudget, threads: Int, steps n: Int, stateBytes: Int?, options: CheckpointingOptions, reverseCost rho: Double,
        walks: Int?
    ) throws(CheckpointingError) -> CheckpointingResolution<State> {
        var parallelOptions = options
        parallelOptions.workspaceStates = Swift.max(0, options.workspaceStates) + Self.parallelWorkingStates
        let states: Int
        switch memory {
        case let .slots(s):
            states = s
        case .unlimited:
            states = 2 * n + 2
        case let .bytes(budget):
            states = try Self.memorySlots(memory, steps: n, stateBytes: stateBytes, options: parallelOptions) ?? n
            if states < 2, let stateBytes {
                let minimum = parallelOptions.workingBytes(steps: n, stateBytes: stateBytes) + 2 * stateBytes
                throw .budgetTooSmall(budgetBytes: budget, minimumBytes: minimum, stateBytes: stateBytes, reservedBytes: options.reservedBytes)
            }
        }
        if let pipelined = try Self.built({ () throws(ScheduleError) in try PipelinedReversal.rememberedBest(steps: n, states: states, reverseCost: rho, walks: walks)
        }) {
            var resolution = CheckpointingResolution<State>(source: .pipelined(pipelined))
            resolution.memorySlots = pipelined.peakSlots
            return resolution
        }
        if options.checksDeterminism { throw .unsupportedWithThreads(option: "checksDeterminism") }
        if options.checksFiniteness { throw .unsupportedWithThreads(option: "checksFiniteness") }
        if options.recordsTrace { throw .unsupportedWithThreads(option: "recordsTrace") }
        let layout: ParallelReversalLayout
        let slots: Int
        switch memory {
        case let .slots(s):
            // Slots bound the checkpoints; the queue is working memory, as the driver's own states are.
            slots = s
            layout = try Self.built { () throws(ScheduleError) in try ParallelReversalLayout(steps: n, slots: s) }
        case .unlimited:
            slots = n
            layout = try Self.built { () throws(ScheduleError) in try ParallelReversalLayout(steps: n, slots: n) }
        case .bytes:
            layout = try Self.built { () throws(ScheduleError) in try ParallelReversalLayout(steps: n, states: Swift.max(2, states), reverseCost: rho) }
            slots = Swift.max(2, states) - layout.handOffDepth
        }
        var resolution = CheckpointingResolution<State>(source: .parallel(layout))
        resolution.memorySlots = slots
        return resolution
    }

    /// The share of a one-thread gradient's predicted time, n·(2·advance + reverse), that
    /// choosing a two-thread tree may take: with cheap steps the full search would cost more
    /// than the gradient.
    static var planningShare: Double { 0.05 }

    /// The candidate streams of n steps the tree choice may walk for these step times:
    /// ``planningShare`` of the predicted gradient at `PipelinedReversal.walkedStepsPerSecond`,
    /// at least one (n cancels: a walk and a gradient both grow with n).
    static func planningWalks(_ times: StepTimes) -> Int {
        let walks = planningShare * (2 * times.advance + times.reverse) * PipelinedReversal.walkedStepsPerSecond
        return walks.isFinite ? Int(Swift.min(Swift.max(walks, 1), 1e6)) : 1
    }

    /// The statistics' note when a step advances in less than `minimum` seconds.
    static func secondThreadDeclined(advance: Double, minimum: Double) -> String {
        func microseconds(_ seconds: Double) -> String { "\(Double(Int((seconds * 1e7).rounded())) / 10)" }
        return "one thread: a step advances in \(microseconds(advance)) µs, below the \(microseconds(minimum)) µs "
            + "where a second thread pays for its hand-offs (CheckpointingOptions.minimumAdvanceSecondsForSecondThread)"
    }

    /// ρ, a reverse's cost in advances: the given step times' ratio, else the default 2.5.
    ///
    /// - Throws: ``CheckpointingError/planning(_:)`` when a time is not positive and finite.
    static func reverseCost(_ times: StepTimes?) throws(CheckpointingError) -> Double {
        guard let times else { return ParallelReversalLayout.defaultReverseCost }
        guard times.advance > 0, times.reverse > 0, times.advance.isFinite, times.reverse.isFinite else {
            throw .planning(.invalidProblem(
                "step times must be positive and finite seconds, got advance \(times.advance), reverse \(times.reverse); "
                    + "pass measured times or leave stepTimes out"))
        }
        return times.reverse / times.advance
    }

    /// State-sized buffers a reversal on two threads holds beyond one thread's working set and
    /// its hand-off queue: the state the reversing thread works on, the next segment's current
    /// state, and the state the recomputing thread's step produces while the reversing thread
    /// runs its taped step. Under a byte budget the queue's states come off the rest, shared
    /// with the checkpoints (`ParallelReversalLayout(steps:states:)`).
    static var parallelWorkingStates: Int { 3 }

    /// The memory slots a budget allows after the driver's working bytes, or nil for
    /// ``MemoryBudget/unlimited``.
    static func memorySlots(
        _ memory: MemoryBudget, steps n: Int, stateBytes: Int?, options: CheckpointingOptions
    ) throws(CheckpointingError) -> Int? {
        switch memory {
        case .unlimited:
            return nil
        case let .slots(s):
            return s
        case let .bytes(budget):
            guard let stateBytes else { throw .unmeasurableState(type: "\(State.self)") }
            let working = options.workingBytes(steps: n, stateBytes: stateBytes)
            try checkBudget(budget, holds: working + stateBytes, stateBytes: stateBytes, options: options)
            let affordable = stateBytes == 0 ? Swift.max(n, 1) : (budget - working) / stateBytes
            return n > 0 ? Swift.min(affordable, n) : affordable
        }
    }

    /// Throws ``CheckpointingError/budgetTooSmall(budgetBytes:minimumBytes:stateBytes:reservedBytes:)``
    /// unless `budget` holds `bytes`.
    static func checkBudget(_ budget: Int, holds bytes: Int, stateBytes: Int, options: CheckpointingOptions) throws(CheckpointingError) {
        guard budget >= bytes else {
            throw .budgetTooSmall(budgetBytes: budget, minimumBytes: bytes, stateBytes: stateBytes, reservedBytes: options.reservedBytes)
        }
    }

    private static func built<Made>(_ make: () throws(ScheduleError) -> Made) throws(CheckpointingError) -> Made {
        do throws(ScheduleError) { return try make() } catch { throw .schedule(error) }
    }
}
