import CheckpointSchedules

/// The schedules the inspector can build by name, as the CLI's `--schedule` spells them.
public enum ScheduleKind: String, CaseIterable, Hashable, Sendable {
    /// `Revolve`: optimal binomial checkpointing (Griewank & Walther 2000).
    case revolve
    /// `TwoLevelRevolve`: memory + disk schedule, the exact optimum while its table fits the work
    /// limit (Aupy, Herrmann, Hovland & Robert 2016), the best scalable form beyond it.
    case twoLevel = "two-level"
    /// `HRevolve`: the optimal schedule over memory, compressed memory and disk, each with
    /// its own slots and costs (Herrmann & Pallez 2020).
    case hRevolve = "h-revolve"
    /// `OnlineStummWalther`: n unknown while recording (Stumm & Walther 2010).
    case online
    /// `OnlineWang`: n unknown, the dynamic scheme of Wang, Moin & Iaccarino 2009.
    case onlineWang = "online-wang"
    /// `Periodic`: a checkpoint every k steps, CVODES-style.
    case periodic
    /// `StoreAll`: every state stored, no recomputation.
    case storeAll = "store-all"
}

/// Which schedule to build, for how many steps, under which slot budget: the common input
/// of every inspector report.
///
/// `slots` is a *budget* counting every stored state, x0 included, and a schedule fits it
/// when the slots it declares (`CheckpointSchedule.capacity(of:)`, summed over levels) do:
/// the simulator holds every schedule to its declaration. Revolve uses all of it;
/// periodic, without an explicit period, picks the period with the fewest advances that
/// fits it; store-all needs n − 1 slots. A schedule that does not fit the budget throws
/// ``InspectorError/doesNotFit(schedule:steps:slots:needed:)``.
///
/// ```swift
/// let request = ScheduleRequest(kind: .revolve, steps: 50, slots: 7)
/// let schedule = try request.makeSchedule()   // any CheckpointSchedule
/// ```
public struct ScheduleRequest: Hashable, Sendable {
    /// Which schedule.
    public var kind: ScheduleKind
    /// n: the number of steps to reverse.
    public var steps: Int
    /// s: the slot budget (x0 included), or nil for "whatever the schedule needs".
    public var slots: Int?
    /// k: the periodic schedule's distance between checkpoints, or nil for the fastest that fits `slots`.
    public var period: Int?
    /// The two-level and H-Revolve schedules' disk slots (nil: unlimited); `slots` are then
    /// their (plain) memory slots.
    public var diskSlots: Int?
    /// H-Revolve's compressed memory slots (nil: none).
    public var compressedSlots: Int?
    /// The prices the two-level and H-Revolve schedules minimise (other schedules ignore it).
    public var costModel: CostModel

    /// A request; see the type's documentation for how `slots` and `period` are used.
    public init(
        kind: ScheduleKind, steps: Int, slots: Int? = nil, period: Int? = nil, diskSlots: Int? = nil, compressedSlots: Int? = nil,
        costModel: CostModel = CostModel()
    ) {
        self.kind = kind
        self.compressedSlots = compressedSlots
        self.steps = steps
        self.slots = slots
        self.period = period
        self.diskSlots = diskSlots
        self.costModel = costModel
    }

    /// Untaped step executions the action stream leaves out: an online schedule's run
    /// discovers its end by computing x[n] (`OnlineScheduleReplay.discoveryAdvances`).
    public var discoveryAdvances: Int {
        switch kind {
        case .online, .onlineWang: OnlineScheduleReplay<OnlineWang>.discoveryAdvances
        default: 0
        }
    }

    /// The work the two-level schedule's table may take, as the planner allows
    /// (``/CheckpointSchedules/CheckpointPlanner/defaultWorkLimit``, 2·10⁸ elementary steps:
    /// a few seconds in a debug build); beyond it the best scalable form is used.
    public static let twoLevelWorkLimit = CheckpointPlanner.defaultWorkLimit

    /// The default limit on actions enumerated by one command: about ten seconds of simulation.
    public static let defaultMaxActions = 100_000_000

    /// Refuses to enumerate a schedule for `steps` steps past `maxActions`: every step is
    /// reversed once, so any schedule has at least n + 2 actions (endForward, endReverse).
    /// - Throws: ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` naming `--max-actions`.
    public static func checkWork(steps: Int, maxActions: Int) throws(InspectorError) {
        try checkWork(steps: steps, schedules: 1, maxActions: maxActions)
    }

    /// Refuses to enumerate `schedules` schedules for `steps` steps each when their
    /// (n + 2)·schedules actions together exceed `maxActions`.
    /// - Throws: ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` naming `--max-actions`.
    public static func checkWork(steps: Int, schedules: Int, maxActions: Int) throws(InspectorError) {
        let (each, overflow) = steps.addingReportingOverflow(2)
        let (estimate, productOverflow) = each.multipliedReportingOverflow(by: Swift.max(1, schedules))
        if overflow || productOverflow || estimate > maxActions {
            let what = schedules > 1 ? "enumerating \(schedules) schedules for \(steps) steps" : "enumerating a schedule for \(steps) steps"
            throw .tooMuchWork(what: what, estimate: overflow || productOverflow ? Int.max : estimate, unit: "actions", limit: maxActions,
                               option: "--max-actions")
        }
    }

    /// The schedule's name as the CLI spells it.
    public var name: String { kind.rawValue }

    /// Checks the numbers; builds the schedule except a two-level one, whose table (up to
    /// ``twoLevelWorkLimit`` steps of work) is built once, by the command.
    /// - Throws: ``InspectorError`` saying which number to change.
    public func validate() throws(InspectorError) {
        guard kind == .twoLevel else {
            _ = try makeSchedule()
            return
        }
        guard steps >= 1 else { throw .twoLevel(.invalidStepCount(steps)) }
        guard let slots else { throw .missingSlots(schedule: name) }
        guard slots >= 0, (diskSlots ?? 0) >= 0, steps == 1 || slots + (diskSlots ?? 1) >= 1 else {
            throw .twoLevel(.invalidSlotCount(memory: slots, disk: diskSlots))
        }
    }

    /// Builds the schedule.
    /// - Throws: ``InspectorError`` for non-positive numbers, a missing budget, or a
    ///   schedule that does not fit the budget.
    /// - Complexity: O(min(s, n)) to choose a periodic schedule's period; O(1) otherwise.
    public func makeSchedule() throws(InspectorError) -> any CheckpointSchedule {
        guard steps >= 1 else { throw .schedule(.invalidStepCount(steps)) }
        if let slots, slots < (kind == .twoLevel || kind == .hRevolve ? 0 : 1) { throw .schedule(.invalidSlotCount(slots)) }
        if let period, period < 1 { throw .schedule(.invalidPeriod(period)) }
        switch kind {
        case .revolve:
            guard let slots else { throw .missingSlots(schedule: name) }
            return try wrap { () throws(ScheduleError) in try Revolve(steps: steps, slots: slots) }
        case .twoLevel:
            guard let slots else { throw .missingSlots(schedule: name) }
            do {
                return try TwoLevelRevolve(steps: steps, memorySlots: slots, diskSlots: diskSlots, costModel: costModel,
                                           workLimit: Self.twoLevelWorkLimit)
            } catch { throw .twoLevel(error) }
        case .hRevolve:
            guard let slots else { throw .missingSlots(schedule: name) }
            // Levels with no slot are left out: each level doubles the table.
            let levels = [HRevolve.Level(.memory, slots: slots), HRevolve.Level(.compressedMemory, slots: compressedSlots ?? 0),
                          HRevolve.Level(.disk, slots: diskSlots)].filter { $0.slots != 0 }
            do {
                return try HRevolve(steps: steps, levels: levels.isEmpty ? [HRevolve.Level(.memory, slots: 0)] : levels, costModel: costModel)
            } catch { throw .hRevolve(error) }
        case .online:
            guard let slots else { throw .missingSlots(schedule: name) }
            return try wrap { () throws(ScheduleError) in try OnlineScheduleReplay(OnlineStummWalther(slots: slots), steps: steps) }
        case .onlineWang:
            guard let slots else { throw .missingSlots(schedule: name) }
            return try wrap { () throws(ScheduleError) in try OnlineScheduleReplay(OnlineWang(slots: slots), steps: steps) }
        case .periodic:
            let schedule: Periodic
            if let period {
                schedule = try wrap { () throws(ScheduleError) in try Periodic(steps: steps, period: period) }
            } else {
                guard let slots else { throw .missingSlots(schedule: name) }
                guard let fitting = Self.periodicFitting(steps: steps, slots: slots) else {
                    throw .doesNotFit(schedule: name, steps: steps, slots: slots, needed: Self.periodicMinimumSlots(steps: steps))
                }
                schedule = fitting
            }
            try checkFits(schedule)
            return schedule
        case .storeAll:
            let schedule = try wrap { () throws(ScheduleError) in try StoreAll(steps: steps) }
            try checkFits(schedule)
            return schedule
        }
    }

    /// The slot budget to report: `slots` if given, else what the schedule uses; for the
    /// two-level and H-Revolve schedules, the slots of every level together.
    public func budget(of schedule: any CheckpointSchedule) -> Int {
        let declared = StorageLevel.allCases.reduce(0) { $0 + schedule.capacity(of: $1) }
        return kind == .twoLevel || kind == .hRevolve ? declared : slots ?? declared
    }

    private func checkFits(_ schedule: any CheckpointSchedule) throws(InspectorError) {
        let needed = StorageLevel.allCases.reduce(0) { $0 + schedule.capacity(of: $1) }
        if let slots, needed > slots {
            throw .doesNotFit(schedule: name, steps: steps, slots: slots, needed: needed)
        }
    }

    private func wrap<T>(_ body: () throws(ScheduleError) -> T) throws(InspectorError) -> T {
        do { return try body() } catch { throw .schedule(error) }
    }

    /// The periodic schedule with the fewest advances whose ⌈n/k⌉ + max(0, k − 2) slots fit
    /// in `slots` (ties go to fewer slots), or nil when none does.
    ///
    /// Its advances are n − 1 + (⌈n/k⌉ − 1)(k − 1): every segment but the last is recomputed
    /// once. That is not monotone in k (k = n recomputes nothing), so every fitting k is tried.
    /// - Complexity: O(min(s, n)).
    public static func periodicFitting(steps n: Int, slots s: Int) -> Periodic? {
        guard n >= 1, s >= 1 else { return nil }
        var best: (advances: Int, slots: Int, period: Int)?
        var k = Swift.max(1, (n + s - 1) / s)  // ⌈n/k⌉ ≤ s needs k ≥ ⌈n/s⌉
        while k <= Swift.min(n, s + 2) {
            let segments = (n + k - 1) / k
            let needed = segments + Swift.max(0, k - 2)
            let advances = n - 1 + (segments - 1) * (k - 1)
            if needed <= s, best.map({ (advances, needed) < ($0.advances, $0.slots) }) ?? true {
                best = (advances, needed, k)
            }
            k += 1
        }
        return best.flatMap { try? Periodic(steps: n, period: $0.period) }
    }

    /// The fewest slots any periodic schedule for n steps needs: min over k of ⌈n/k⌉ + max(0, k − 2).
    /// - Complexity: O(√n).
    public static func periodicMinimumSlots(steps n: Int) -> Int {
        var best = n
        var k = 1
        while k <= n, (k - 2) <= best {
            best = Swift.min(best, (n + k - 1) / k + Swift.max(0, k - 2))
            k += 1
        }
        return best
    }
}
