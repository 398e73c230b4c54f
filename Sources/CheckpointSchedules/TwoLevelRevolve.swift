/// The two-level schedule: memory slots plus disk slots, each level with its own write and
/// read cost; the exact optimum while its dynamic program fits the work limit, the best of
/// several scalable forms beyond it (disk-revolve, Aupy, Herrmann, Hovland & Robert 2016, SIAM J. Sci.
/// Comput. 38(3), C232–C255, doi:10.1137/15M1019222).
///
/// With memory alone, revolve is optimal. When memory is small, checkpoints can spill to a
/// second, larger and slower level: writing a state to disk costs w_d and reading it back
/// r_d. Aupy et al. find by dynamic programming which states go to disk (Disk-Revolve: the
/// functions Opt^∞, Opt₁ᴰ and Opt₀ of their Section 3) and prove the result optimal.
/// ``TwoLevelRevolve`` solves the same problem for any ``CostModel`` — memory writes and
/// reads may cost too (a compressed memory level), the disk may hold a limited number of
/// slots — with the recurrences documented on `TwoLevelCostTable`
/// (`Papers/AupyHerrmannHovlandRobert2016.md`). Its ``predictedTime`` is what the
/// ``ScheduleSimulator`` measures for the stream, and for small n it equals the optimum of an
/// exhaustive search over every legal stream of ``CheckpointAction``s (the tests).
///
/// ```swift
/// let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 5], read: [.disk: 5])
/// let schedule = try TwoLevelRevolve(steps: 1000, memorySlots: 4, diskSlots: 64, costModel: costs)
/// let stats = try ScheduleSimulator.run(schedule, costModel: costs)
/// assert(stats.predictedTime == schedule.predictedTime)
/// ```
///
/// **Where it is optimal.** The table has (n + 1)·(s_m + 1)·(s_d + 1)·4 cells (a level
/// with at least n − 1 slots never runs out and counts 1) and costs O(n) work per cell.
/// While that work stays within `workLimit` (default 10⁹ elementary steps, about a CPU
/// second in a release build) the schedule is the exact optimum (``Method/exact``).
/// Beyond it, the schedule is the best of these, by predicted time (``method`` says which):
///
/// - ``Method/diskSegments(longestSegment:)``: disk-revolve whose top-level disk
///   checkpoints are at most L steps apart, the segments reversed with the exact table
///   (`DiskSegmentPlan`, O(n·L)). L is the period bound of Aupy & Herrmann 2017 (Optim.
///   Methods Softw. 32(3), doi:10.1080/10556788.2016.1230612;
///   `periodBound(memorySlots:costModel:)`)
///   unless the work limit caps it. It contains every periodic disk-revolve schedule
///   with period ≤ L, their asymptotically optimal form. Used with an unlimited disk, and
///   with a limited one when its peak number of disk checkpoints fits.
/// - ``Method/periodic(period:)``: periodic disk-revolve whose period is long enough for a
///   limited disk to hold x₀, x_p, x_2p, ….
/// - ``Method/hierarchical(segment:)``: revolve with the disk slots over segments of p
///   steps, each segment reversed in memory by the exact table (`HierarchicalRevolvePlan`):
///   the form for a disk too small for a checkpoint per segment.
/// - ``Method/multistage(diskSlots:)``: Stumm & Walther's placement (``MultistageRevolve``)
///   with the disk slots given (with an unlimited disk: 1, 4, 16, … disk slots).
/// - ``Method/memoryRevolve``: revolve with the memory slots alone.
///
/// So beyond the exact range it is never slower, in predicted time, than memory-only
/// revolve or the multistage placement (whose plays must fit a tenth of the work limit:
/// n up to about 10⁷ by default); it is proved optimal only in exact mode. Where both can
/// be computed it matched the optimum with an unlimited disk and stayed within 4% of it
/// with a small disk (`twolevel-report`, `Papers/AupyHerrmann2017.md`).
///
/// - Complexity: building: O(n²·s_m·s_d) time and O(n·s_m·s_d) memory in exact mode;
///   beyond it O(L²·s_m + n·L) for the disk segments plus one play of revolve's stream per
///   multistage candidate (collapsed levels count 1). Generating the actions: O(1) per
///   action with no search (every cell records its choice), O(recursion depth + live
///   slots + top-level disk checkpoints) memory beyond the shared table.
public struct TwoLevelRevolve: CheckpointSchedule {
    /// n: the number of steps to reverse.
    public let steps: Int
    /// s_m: the memory slots available.
    public let memorySlots: Int
    /// s_d: the disk slots available, or `nil` for an unlimited disk.
    public let diskSlots: Int?
    /// The prices the schedule minimises.
    public let costModel: CostModel
    /// The time the cost model predicts for this schedule: equals
    /// ``ScheduleSimulator``'s `predictedTime` under ``costModel``.
    public let predictedTime: Double
    /// How the schedule was found: the exact optimum or, beyond the work limit, which of
    /// the scalable forms won.
    public let method: Method
    /// The distance between the disk checkpoints when ``method`` is periodic, else `nil`.
    public var period: Int? {
        if case let .periodic(period) = method { return period }
        return nil
    }
    /// What the iterator replays.
    let source: Source

    /// The ways a two-level schedule is found, best first where each applies.
    public enum Method: Hashable, Sendable, CustomStringConvertible {
        /// The full dynamic program: the optimum.
        case exact
        /// Disk-revolve with top-level disk checkpoints at most `longestSegment` steps
        /// apart, each segment reversed optimally.
        case diskSegments(longestSegment: Int)
        /// Periodic disk-revolve: a disk checkpoint every `period` steps.
        case periodic(period: Int)
        /// Revolve over disk checkpoints every `segment` steps, each segment reversed in
        /// memory (H-Revolve's structure with one segment length).
        case hierarchical(segment: Int)
        /// Stumm & Walther's multistage placement with `diskSlots` disk slots.
        case multistage(diskSlots: Int)
        /// Revolve with the memory slots alone.
        case memoryRevolve

        /// A short phrase such as `exact optimum` or `periodic disk-revolve, a disk
        /// checkpoint every 70 steps`.
        public var description: String {
            switch self {
            case .exact: "exact optimum"
            case let .diskSegments(longest): "disk-revolve, disk checkpoints at most \(longest) steps apart"
            case let .periodic(period): "periodic disk-revolve, a disk checkpoint every \(period) steps"
            case let .hierarchical(segment): "revolve over disk checkpoints every \(segment) steps, segments in memory"
            case let .multistage(disk): "Stumm & Walther multistage placement, \(disk) disk slots"
            case .memoryRevolve: "revolve in memory alone"
            }
        }
    }

    /// The action streams a two-level schedule replays.
    enum Source: Sendable {
        /// The table's choices; first the top-level disk segments (lengths, each reversed
        /// with the memory slots and its entry of `segmentDiskFree` free disk slots), then
        /// the rest from the table with `tailFree` free slots per level.
        case table(TwoLevelCostTable, segments: [Int], segmentDiskFree: [Int], tailFree: [Int])
        case hierarchical(HierarchicalRevolvePlan)
        case multistage(MultistageRevolve)
        case revolve(Revolve)
    }

    /// The default bound on the dynamic program's work before the scalable forms are used.
    public static let defaultWorkLimit = 1_000_000_000

    /// The optimal schedule for `steps` steps with `memorySlots` memory slots and
    /// `diskSlots` disk slots (`nil` for unlimited), priced by `costModel`.
    ///
    /// - Parameters:
    ///   - steps: n, at least 1.
    ///   - memorySlots: s_m, the memory slots available.
    ///   - diskSlots: s_d, the disk slots, or `nil` for an unlimited disk.
    ///   - costModel: the prices of a step, a reverse and each level's writes and reads.
    ///   - workLimit: the most elementary steps spent on the exact table; above it the best
    ///     scalable form is used, each form within the same limit.
    /// - Throws: ``TwoLevelRevolveError`` for a non-positive step count, negative slot
    ///   counts, no slot at all while n ≥ 2, or when neither the exact table nor any
    ///   scalable form fits in `workLimit`.
    public init(
        steps: Int, memorySlots: Int, diskSlots: Int?, costModel: CostModel = CostModel(),
        workLimit: Int = TwoLevelRevolve.defaultWorkLimit
    ) throws(TwoLevelRevolveError) {
        try self.init(steps: steps, memorySlots: memorySlots, diskSlots: diskSlots, costModel: costModel,
                      workLimit: workLimit, allowExact: true)
    }

    /// The schedule this type builds past the exact table's work limit, built even where
    /// the exact table would fit: to compare the scalable forms with the optimum.
    ///
    /// - Throws: as ``init(steps:memorySlots:diskSlots:costModel:workLimit:)``.
    public static func scalable(
        steps: Int, memorySlots: Int, diskSlots: Int?, costModel: CostModel = CostModel(),
        workLimit: Int = TwoLevelRevolve.defaultWorkLimit
    ) throws(TwoLevelRevolveError) -> TwoLevelRevolve {
        try TwoLevelRevolve(steps: steps, memorySlots: memorySlots, diskSlots: diskSlots, costModel: costModel,
                            workLimit: workLimit, allowExact: false)
    }

    init(
        steps: Int, memorySlots: Int, diskSlots: Int?, costModel: CostModel, workLimit: Int, allowExact: Bool
    ) throws(TwoLevelRevolveError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        guard memorySlots >= 0, (diskSlots ?? 0) >= 0 else {
            throw .invalidSlotCount(memory: memorySlots, disk: diskSlots)
        }
        guard steps == 1 || memorySlots + (diskSlots ?? 1) >= 1 else {
            throw .invalidSlotCount(memory: memorySlots, disk: diskSlots)
        }
        self.steps = steps
        self.memorySlots = memorySlots
        self.diskSlots = diskSlots
        self.costModel = costModel
        // A level with n − 1 slots or more never runs out: collapse its dimension.
        let collapse = { (slots: Int?) -> Int? in slots.flatMap { $0 >= steps - 1 ? nil : $0 } }
        let capacities = [collapse(memorySlots), collapse(diskSlots)]
        if steps == 1 || (allowExact && Self.work(maximumLength: steps, capacities: capacities) <= workLimit) {
            let table = TwoLevelCostTable(maximumLength: steps, capacities: capacities, costModel: costModel)
            predictedTime = table.currentCost(length: steps, free: [memorySlots, diskSlots ?? 0], held: 0)
            method = .exact
            source = .table(table, segments: [], segmentDiskFree: [], tailFree: [memorySlots, diskSlots ?? 0])
        } else {
            let best = try Self.bestScalable(steps: steps, memorySlots: memorySlots, diskSlots: diskSlots,
                                             capacities: capacities, costModel: costModel, workLimit: workLimit)
            predictedTime = best.time
            method = best.method
            source = best.source
        }
        guard predictedTime.isFinite else { throw .invalidSlotCount(memory: memorySlots, disk: diskSlots) }
    }

    /// The elementary steps of a table: cells times the segment length scanned per cell.
    static func work(maximumLength: Int, capacities: [Int?]) -> Int {
        let cells = TwoLevelCostTable.cellCount(maximumLength: maximumLength, capacities: capacities)
        let (work, overflow) = cells.multipliedReportingOverflow(by: Swift.max(1, maximumLength / 2))
        return overflow ? Int.max : work
    }

    /// The held-set bit of the disk level in the table (memory is bit 1).
    static let diskHeld = 2

    /// `memorySlots` for memory; `diskSlots` for disk (n when unlimited: never more are used).
    public func capacity(of level: StorageLevel) -> Int {
        switch level {
        case .memory: memorySlots
        case .compressedMemory: 0
        case .disk: diskSlots ?? steps
        }
    }

    /// A fresh generator of the schedule's actions.
    public func makeIterator() -> Iterator { Iterator(schedule: self) }
}

/// A two-level schedule that cannot be built.
public enum TwoLevelRevolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of steps must be at least 1.
    case invalidStepCount(Int)
    /// Slot counts must be non-negative, and at least one slot is needed for n ≥ 2.
    case invalidSlotCount(memory: Int, disk: Int?)
    /// The exact table exceeds the work limit, and so does every scalable form.
    case tooLarge(steps: Int, memorySlots: Int, diskSlots: Int?, workLimit: Int)

    /// What went wrong and how to fix the call.
    public var description: String {
        switch self {
        case let .invalidStepCount(n):
            "the number of steps must be at least 1, got \(n); pass a positive step count"
        case let .invalidSlotCount(m, d):
            "a two-level schedule needs non-negative slot counts and at least one slot in all, got \(m) memory and \(d.map(String.init) ?? "unlimited") disk slots; give memory or disk room for one state"
        case let .tooLarge(n, m, d, limit):
            "the optimal two-level table for \(n) steps, \(m) memory and \(d.map(String.init) ?? "unlimited") disk slots needs more than \(limit) steps of work, and so does every scalable form (disk segments, periodic, multistage, memory revolve); raise workLimit or give fewer steps"
        }
    }
}
