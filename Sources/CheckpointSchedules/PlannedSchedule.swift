/// The schedule a ``CheckpointPlan`` chose: one concrete type for store-all, revolve and
/// the two-level schedule, so that a driver iterates it without existentials.
///
/// ```swift
/// let schedule = try plan.decision.makeSchedule(steps: n)
/// let stats = try ScheduleSimulator.run(schedule, costModel: plan.decision.costModel)
/// ```
///
/// - Complexity: that of the wrapped schedule; one `switch` per action.
public enum PlannedSchedule: CheckpointSchedule {
    /// Every state in memory.
    case storeAll(StoreAll)
    /// Binomial checkpointing in memory.
    case revolve(Revolve)
    /// The optimal memory + disk schedule (or codec-aware memory-only revolve).
    case twoLevel(TwoLevelRevolve)
    /// The optimal schedule over plain memory, compressed memory and disk.
    case hRevolve(HRevolve)

    /// n: the number of steps.
    public var steps: Int {
        switch self {
        case let .storeAll(s): s.steps
        case let .revolve(s): s.steps
        case let .twoLevel(s): s.steps
        case let .hRevolve(s): s.steps
        }
    }

    /// The wrapped schedule's capacity at `level`.
    public func capacity(of level: StorageLevel) -> Int {
        switch self {
        case let .storeAll(s): s.capacity(of: level)
        case let .revolve(s): s.capacity(of: level)
        case let .twoLevel(s): s.capacity(of: level)
        case let .hRevolve(s): s.capacity(of: level)
        }
    }

    /// A fresh generator of the wrapped schedule's actions.
    public func makeIterator() -> Iterator {
        switch self {
        case let .storeAll(s): Iterator(storeAll: s.makeIterator())
        case let .revolve(s): Iterator(revolve: s.makeIterator())
        case let .twoLevel(s): Iterator(twoLevel: s.makeIterator())
        case let .hRevolve(s): Iterator(hRevolve: s.makeIterator())
        }
    }

    /// The wrapped schedule's iterator (exactly one field is set; each is advanced in
    /// place, never copied).
    public struct Iterator: IteratorProtocol {
        var storeAll: Periodic.Iterator?
        var revolve: Revolve.Iterator?
        var twoLevel: TwoLevelRevolve.Iterator?
        var hRevolve: HRevolve.Iterator?

        init(storeAll: Periodic.Iterator? = nil, revolve: Revolve.Iterator? = nil,
             twoLevel: TwoLevelRevolve.Iterator? = nil, hRevolve: HRevolve.Iterator? = nil) {
            self.storeAll = storeAll
            self.revolve = revolve
            self.twoLevel = twoLevel
            self.hRevolve = hRevolve
        }

        /// The wrapped iterator's next action.
        public mutating func next() -> CheckpointAction? {
            if storeAll != nil { return storeAll?.next() ?? nil }
            if revolve != nil { return revolve?.next() ?? nil }
            if twoLevel != nil { return twoLevel?.next() ?? nil }
            return hRevolve?.next() ?? nil
        }
    }
}
