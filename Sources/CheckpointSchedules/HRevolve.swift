/// The optimal schedule over a hierarchy of storage levels — memory, compressed memory,
/// disk, … — each with its own capacity and write and read costs: H-Revolve (Herrmann &
/// Pallez 2020, *H-Revolve: a framework for adjoint computation on synchronous hierarchical
/// platforms*, ACM Trans. Math. Softw. 46(2), doi:10.1145/3378672).
///
/// Revolve (one level, free) and the two-level Disk-Revolve of Aupy, Herrmann, Hovland &
/// Robert 2016 are its cases L = 1 and L = 2. Here every level k has c_k slots (or is
/// unlimited), a store there costs w_k and a restore r_k (``CostModel`` keyed by the
/// level), and the dynamic program of `HRevolveCostTable` finds the least predicted time
/// over every schedule that reverses the chain recursively: store x₀ at some levels,
/// advance j steps, reverse the right part, restore x₀ from the level cheapest to read.
/// Its ``predictedTime`` is what the ``ScheduleSimulator`` measures for the stream, and for
/// small n and capacities it equals the optimum of an exhaustive search over every legal
/// stream of ``CheckpointAction``s (`HRevolveTests`), so it is optimal among *all* schedules
/// there, not only recursive ones.
///
/// ```swift
/// let costs = CostModel(advance: 1, reverse: 2, write: [.compressedMemory: 0.5, .disk: 5],
///                       read: [.compressedMemory: 0.3, .disk: 5])
/// let schedule = try HRevolve(steps: 200, levels: [.init(.memory, slots: 3), .init(.compressedMemory, slots: 8),
///                                                  .init(.disk, slots: nil)], costModel: costs)
/// let stats = try ScheduleSimulator.run(schedule, costModel: costs)
/// assert(stats.predictedTime == schedule.predictedTime)
/// ```
///
/// **Where it is tractable.** The table has (n + 1)·2^L·Π_k(c_k + 1) cells (a level with at
/// least n − 1 slots counts 1) and costs about n/2 elementary steps per cell. While that fits
/// `workLimit` (default 10⁹, 0.6–1.7 s in a release build) and `cellLimit` (default 10⁷,
/// 240 MB) the schedule is the exact optimum (``Method/exact``). Beyond, when the last
/// (slowest) level is unlimited, it is the optimum among schedules whose checkpoints on that
/// level are at most L steps apart, L the longest that fits the limits
/// (``Method/segmented(longestSegment:)``, `HRevolveSegmentPlan`: O(L²) table plus O(n·L));
/// otherwise building is refused with
/// ``HRevolveError/tooLarge(steps:work:workLimit:cells:cellLimit:)``: nothing runs silently
/// for minutes. ``work(steps:levels:)`` says in advance.
///
/// - Complexity: building: O(n²·2^L·Π_k(c_k + 1)) time, 24 bytes per cell. Generating the
///   actions: O(L) per action with no search, O(recursion depth + live slots) memory
///   beyond the shared table.
public struct HRevolve: CheckpointSchedule {
    /// One level of the hierarchy and its slots.
    public struct Level: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The storage level (each appears once in a hierarchy).
        public var level: StorageLevel
        /// The slots it holds, or `nil` for unlimited.
        public var slots: Int?

        /// A level with `slots` slots (`nil`: unlimited).
        public init(_ level: StorageLevel, slots: Int?) {
            self.level = level
            self.slots = slots
        }

        /// `3 memory` or `unlimited disk`.
        public var description: String { "\(slots.map(String.init) ?? "unlimited") \(level)" }
    }

    /// n: the number of steps to reverse.
    public let steps: Int
    /// The hierarchy, in the order given.
    public let levels: [Level]
    /// The prices the schedule minimises.
    public let costModel: CostModel
    /// The time the cost model predicts for this schedule: equals ``ScheduleSimulator``'s
    /// `predictedTime` under ``costModel``.
    public let predictedTime: Double
    /// How the schedule was found: the exact optimum, or segments over the slowest level.
    public let method: Method
    let table: HRevolveCostTable
    /// With ``Method/segmented(longestSegment:)``: the top-level segment lengths, first to last.
    let segments: [Int]

    /// The ways an H-Revolve schedule is found.
    public enum Method: Hashable, Sendable, CustomStringConvertible {
        /// The full dynamic program: the optimum.
        case exact
        /// Checkpoints on the slowest (unlimited) level at most `longestSegment` steps
        /// apart, each segment reversed optimally with every level.
        case segmented(longestSegment: Int)

        /// `exact optimum` or `segments of at most L steps over the slowest level`.
        public var description: String {
            switch self {
            case .exact: "exact optimum"
            case let .segmented(longest): "segments of at most \(longest) steps over the slowest level"
            }
        }
    }

    /// The default bound on the dynamic program's elementary steps.
    public static let defaultWorkLimit = 1_000_000_000
    /// The default bound on the dynamic program's cells (24 bytes each).
    public static let defaultCellLimit = 10_000_000

    /// The optimal schedule for `steps` steps over `levels`, priced by `costModel`.
    ///
    /// - Parameters:
    ///   - steps: n, at least 1.
    ///   - levels: 1 to 3 distinct levels with non-negative slot counts, at least one slot
    ///     in all when n ≥ 2.
    ///   - costModel: u_f (`advance`), u_b (`reverse`), each level's w_k and r_k.
    ///   - workLimit: the most elementary steps the dynamic program may take.
    ///   - cellLimit: the most cells it may hold.
    /// - Throws: ``HRevolveError`` for a bad step count or hierarchy, or a table beyond the limits.
    public init(
        steps: Int, levels: [Level], costModel: CostModel = CostModel(),
        workLimit: Int = HRevolve.defaultWorkLimit, cellLimit: Int = HRevolve.defaultCellLimit
    ) throws(HRevolveError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        try Self.validate(levels, steps: steps)
        let capacities = Self.collapsed(levels, steps: steps)
        let work = HRevolveCostTable.work(maximumLength: steps, capacities: capacities)
        let cells = HRevolveCostTable.cellCount(maximumLength: steps, capacities: capacities)
        if work <= workLimit, cells <= cellLimit {
            let table = HRevolveCostTable(maximumLength: steps, levels: levels.map(\.level), capacities: capacities, costModel: costModel)
            self.init(steps: steps, levels: levels, costModel: costModel, table: table)
        } else {
            let longest = levels.last?.slots == nil
                ? HRevolveSegmentPlan.longestSegment(steps: steps, levels: levels, workLimit: workLimit, cellLimit: cellLimit) : 0
            guard longest >= 2 else {
                throw .tooLarge(steps: steps, work: work, workLimit: workLimit, cells: cells, cellLimit: cellLimit)
            }
            let plan = HRevolveSegmentPlan(steps: steps, levels: levels, costModel: costModel, longestSegment: longest)
            self.init(steps: steps, levels: levels, costModel: costModel, table: plan.table, segments: plan.segments,
                      method: .segmented(longestSegment: plan.longestSegment), predictedTime: plan.time)
        }
        guard predictedTime.isFinite else { throw .noSlot(levels) }
    }

    /// The schedule read from an existing table whose capacities are at least `levels`'
    /// (for the planner, which prices many splits of one budget with one table).
    init(steps: Int, levels: [Level], costModel: CostModel, table: HRevolveCostTable) {
        precondition(steps <= table.maximumLength, "the table reaches \(table.maximumLength) steps, not \(steps)")
        self.init(steps: steps, levels: levels, costModel: costModel, table: table, segments: [], method: .exact,
                  predictedTime: table.currentCost(length: steps, free: levels.map { $0.slots ?? 0 }, held: 0))
    }

    /// Every stored property, as found.
    init(
        steps: Int, levels: [Level], costModel: CostModel, table: HRevolveCostTable, segments: [Int], method: Method, predictedTime: Double
    ) {
        self.steps = steps
        self.levels = levels
        self.costModel = costModel
        self.table = table
        self.segments = segments
        self.method = method
        self.predictedTime = predictedTime
    }

    /// The exact dynamic program's elementary steps for this problem: compare with a work
    /// limit before building (past it, only a hierarchy whose last level is unlimited is
    /// built, in segments).
    public static func work(steps: Int, levels: [Level]) -> Int {
        HRevolveCostTable.work(maximumLength: steps, capacities: collapsed(levels, steps: steps))
    }

    /// Capacities for the table: a level with n − 1 slots or more never runs out.
    static func collapsed(_ levels: [Level], steps: Int) -> [Int?] {
        levels.map { level in level.slots.flatMap { $0 >= steps - 1 ? nil : $0 } }
    }

    static func validate(_ levels: [Level], steps: Int) throws(HRevolveError) {
        guard !levels.isEmpty, levels.count <= StorageLevel.allCases.count,
              Set(levels.map(\.level)).count == levels.count else { throw .invalidLevels(levels) }
        guard levels.allSatisfy({ ($0.slots ?? 0) >= 0 }) else { throw .invalidLevels(levels) }
        guard steps == 1 || levels.contains(where: { ($0.slots ?? 1) >= 1 }) else { throw .noSlot(levels) }
    }

    /// The level's slots (n when unlimited: never more are used), 0 for a level not in the hierarchy.
    public func capacity(of level: StorageLevel) -> Int {
        guard let entry = levels.first(where: { $0.level == level }) else { return 0 }
        return entry.slots.map { Swift.min($0, Swift.max(steps - 1, 0)) } ?? steps
    }

    /// A fresh generator of the schedule's actions.
    public func makeIterator() -> Iterator { Iterator(self) }
}

extension HRevolve: CustomStringConvertible {
    /// `H-Revolve(n: 200, 3 memory + 8 compressedMemory + unlimited disk)`.
    public var description: String {
        "H-Revolve(n: \(steps), \(levels.map(\.description).joined(separator: " + ")))"
    }
}

/// An H-Revolve schedule that cannot be built.
public enum HRevolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of steps must be at least 1.
    case invalidStepCount(Int)
    /// The levels must be 1 to 3 distinct storage levels with non-negative slot counts.
    case invalidLevels([HRevolve.Level])
    /// No level has a slot while n ≥ 2.
    case noSlot([HRevolve.Level])
    /// The dynamic program exceeds its work or cell limit.
    case tooLarge(steps: Int, work: Int, workLimit: Int, cells: Int, cellLimit: Int)

    /// What went wrong and how to fix the call.
    public var description: String {
        switch self {
        case let .invalidStepCount(n):
            "the number of steps must be at least 1, got \(n); pass a positive step count"
        case let .invalidLevels(levels):
            "H-Revolve needs 1 to \(StorageLevel.allCases.count) distinct levels with non-negative slot counts, got \(levels.map(\.description)); name each level once"
        case let .noSlot(levels):
            "no level of \(levels.map(\.description)) has a slot; give one level room for a state"
        case let .tooLarge(n, work, workLimit, cells, cellLimit):
            "the H-Revolve table for \(n) steps needs \(work) steps of work (limit \(workLimit)) and \(cells) cells (limit \(cellLimit)); use fewer slots on the limited levels, make a level unlimited, raise the limits, or use the two-level schedule"
        }
    }
}
