/// The optimal two-level schedule: memory slots plus disk slots, each level with its own
/// write and read cost (disk-revolve, Aupy, Herrmann, Hovland & Robert 2016, SIAM J. Sci.
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
/// **Exact and periodic modes.** The table has (n + 1)·(s_m + 1)·(s_d + 1)·4 cells (a level
/// with at least n − 1 slots never runs out and counts 1) and costs O(n) work per cell.
/// When that work exceeds `workLimit` (default 10⁹ elementary steps, about a CPU second in
/// a release build) the schedule switches to *periodic disk-revolve* (Aupy & Herrmann 2017,
/// Optim. Methods Softw. 32(3), doi:10.1080/10556788.2016.1230612, asymptotically optimal):
/// x₀, x_p, x_2p, … go to disk during the recording sweep, each period is reversed with the
/// exact table, and p is the best period up to twice their bound m_max (at least 64). For
/// n = 10⁴, 10 memory slots and w_d = r_d = 5 it is 0.17 % slower than the exact optimum.
/// ``period`` tells which mode was used. The periodic mode needs an unlimited disk or
/// ⌈(n − 1)/p⌉ disk slots; otherwise the initialiser throws
/// ``TwoLevelRevolveError/tooLarge(steps:memorySlots:diskSlots:workLimit:)``.
///
/// - Complexity: building: O(n²·s_m·s_d) time and O(n·s_m·s_d) memory in exact mode,
///   O(p_max²·s_m) in periodic mode (collapsed levels count 1). Generating the actions: O(1)
///   per action with no search (every cell records its choice), O(recursion depth + live
///   slots) memory beyond the shared table.
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
    /// `nil` when the schedule is the exact optimum; otherwise the distance between the
    /// disk checkpoints of the periodic mode.
    public let period: Int?
    let table: TwoLevelCostTable

    /// The default bound on the dynamic program's work before the periodic mode is used.
    public static let defaultWorkLimit = 1_000_000_000

    /// The optimal schedule for `steps` steps with `memorySlots` memory slots and
    /// `diskSlots` disk slots (`nil` for unlimited), priced by `costModel`.
    ///
    /// - Parameters:
    ///   - steps: n, at least 1.
    ///   - memorySlots: s_m, the memory slots available.
    ///   - diskSlots: s_d, the disk slots, or `nil` for an unlimited disk.
    ///   - costModel: the prices of a step, a reverse and each level's writes and reads.
    ///   - workLimit: the most elementary DP steps spent on the exact table; above it an
    ///     unlimited disk switches to the periodic mode.
    /// - Throws: ``TwoLevelRevolveError`` for a non-positive step count, negative slot
    ///   counts, no slot at all while n ≥ 2, or a limited disk whose exact table would
    ///   exceed `workLimit` and whose slots are too few for a periodic plan.
    public init(
        steps: Int, memorySlots: Int, diskSlots: Int?, costModel: CostModel = CostModel(),
        workLimit: Int = TwoLevelRevolve.defaultWorkLimit
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
        if Self.work(maximumLength: steps, capacities: capacities) <= workLimit {
            table = TwoLevelCostTable(maximumLength: steps, capacities: capacities, costModel: costModel)
            predictedTime = table.currentCost(length: steps, free: [memorySlots, diskSlots ?? 0], held: 0)
            period = nil
        } else {
            let plan = try Self.periodicPlan(steps: steps, memory: capacities[0], disk: diskSlots, costModel: costModel, workLimit: workLimit)
            table = plan.table
            predictedTime = plan.time
            period = plan.period
        }
        guard predictedTime.isFinite else { throw .invalidSlotCount(memory: memorySlots, disk: diskSlots) }
    }

    /// The elementary steps of a table: cells times the segment length scanned per cell.
    static func work(maximumLength: Int, capacities: [Int?]) -> Int {
        let cells = TwoLevelCostTable.cellCount(maximumLength: maximumLength, capacities: capacities)
        let (work, overflow) = cells.multipliedReportingOverflow(by: Swift.max(1, maximumLength / 2))
        return overflow ? Int.max : work
    }

    /// Chooses the period of the periodic mode and tabulates its segments.
    static func periodicPlan(
        steps n: Int, memory: Int?, disk: Int?, costModel: CostModel, workLimit: Int
    ) throws(TwoLevelRevolveError) -> (table: TwoLevelCostTable, period: Int, time: Double) {
        // Segments use every memory slot; with a limited disk they keep one disk slot (the
        // one their own checkpoint frees), with an unlimited disk as many as they like.
        let capacities: [Int?] = [memory, disk == nil ? nil : 1]
        var longest = n
        while longest > 1 && work(maximumLength: longest, capacities: capacities) > workLimit { longest /= 2 }
        // Periods beyond Aupy & Herrmann's bound m_max are not worth tabulating; a limited
        // disk needs p ≥ ⌈(n − 1) / s_d⌉ so that its checkpoints fit.
        let needed = disk.map { $0 >= 1 ? (n - 1) / $0 + ((n - 1) % $0 == 0 ? 0 : 1) : n } ?? 1
        longest = Swift.min(longest, Swift.max(needed, periodBound(memorySlots: memory, costModel: costModel)))
        // The disk must hold the ⌈n / p⌉ − 1 checkpoints x0, x_p, …
        guard longest >= 2, disk.map({ $0 >= 1 && (n - 1) / longest <= $0 }) ?? true else {
            throw .tooLarge(steps: n, memorySlots: memory ?? n, diskSlots: disk, workLimit: workLimit)
        }
        let table = TwoLevelCostTable(maximumLength: longest, capacities: capacities, costModel: costModel)
        let memoryFree = memory ?? 0
        var best = (period: 0, time: Double.infinity)
        for p in 1...longest {
            let k = (n - 1) / p
            if let disk, k > disk { continue }
            let lastFree = disk.map { $0 - k >= 1 ? 1 : 0 } ?? 0
            let segment = costModel.writeCost(.disk) + Double(p) * costModel.advance
                + table.restoreCost(length: p, free: [memoryFree, 0], held: diskHeld)
            let time = Double(k) * segment + table.currentCost(length: n - k * p, free: [memoryFree, lastFree], held: 0)
            if time < best.time { best = (p, time) }
        }
        guard best.time.isFinite else {
            throw .tooLarge(steps: n, memorySlots: memory ?? n, diskSlots: disk, workLimit: workLimit)
        }
        return (table, best.period, best.time)
    }

    /// An upper bound for useful disk periods, after Aupy & Herrmann 2017 (m_max of their
    /// periodic disk-revolve): max(β(c_m, t₁ + 1), 2·β(c_m, t₂) + 1) with t₁ the least t
    /// such that β(c_m, t) > (w_d + r_d)/u_f and t₂ the least with β(c_m, t) > w_d/u_f;
    /// doubled and at least 64 for safety (the period is then chosen exactly below it).
    static func periodBound(memorySlots: Int?, costModel: CostModel) -> Int {
        guard let c = memorySlots, c >= 1, costModel.advance > 0 else { return Int.max }
        func firstRepetition(exceeding x: Double) -> Int {
            var t = 0
            while t < 64, Double((try? BinomialCheckpointing.beta(slots: c, repetitions: t)) ?? Int.max) <= x { t += 1 }
            return t
        }
        let t1 = firstRepetition(exceeding: (costModel.writeCost(.disk) + costModel.readCost(.disk)) / costModel.advance)
        let t2 = firstRepetition(exceeding: costModel.writeCost(.disk) / costModel.advance)
        let beta1 = (try? BinomialCheckpointing.beta(slots: c, repetitions: t1 + 1)) ?? Int.max / 4
        let beta2 = (try? BinomialCheckpointing.beta(slots: c, repetitions: t2)) ?? Int.max / 4
        let bound = Swift.max(beta1, 2 * Swift.min(beta2, Int.max / 4) + 1)
        return Swift.max(64, 2 * Swift.min(bound, Int.max / 4))
    }

    /// The held-set bit of the disk level in the table (memory is bit 1).
    static let diskHeld = 2

    /// `memorySlots` for memory; `diskSlots` for disk (n when unlimited: never more are used).
    public func capacity(of level: StorageLevel) -> Int {
        switch level {
        case .memory: memorySlots
        case .disk: diskSlots ?? steps
        }
    }

    /// A fresh generator of the schedule's actions.
    public func makeIterator() -> Iterator { Iterator(schedule: self) }

    /// Replays the table's choices as actions, one segment at a time.
    public struct Iterator: IteratorProtocol {
        /// Reverse steps `start ..< start + length`; x[start] is held at `held` (slots in
        /// `slots`), current when `isCurrent`; `free` are the table's free-slot indices.
        struct Frame {
            var start: Int
            var length: Int
            var free: [Int]
            var held: Int
            var isCurrent: Bool
            var slots: [Int]
        }

        let table: TwoLevelCostTable
        var frames: [Frame] = []
        var pending: [CheckpointAction] = []
        var pendingIndex = 0
        /// Released slot indices per level (reused last-in first-out); `nextSlot` numbers
        /// slots never used before.
        var freeSlots: [[Int]]
        var nextSlot: [Int]
        var forwardEnded = false
        var finished = false

        init(schedule: TwoLevelRevolve) {
            table = schedule.table
            // Slots are numbered on first use; the table never needs more than the capacity.
            freeSlots = [[], []]
            nextSlot = [0, 0]
            let free = [schedule.memorySlots, schedule.diskSlots ?? 0]
            guard let p = schedule.period else {
                frames = [Frame(start: 0, length: schedule.steps, free: free, held: 0, isCurrent: true, slots: [-1, -1])]
                return
            }
            // Periodic mode: the recording sweep writes x0, x_p, … to disk first.
            let n = schedule.steps
            let k = (n - 1) / p
            for i in 0..<k {
                let slot = allocate(level: 1)
                pending.append(.store(step: i * p, level: .disk, slot: slot))
                pending.append(.advance(from: i * p, to: (i + 1) * p))
                frames.append(Frame(start: i * p, length: p, free: [free[0], 0], held: TwoLevelRevolve.diskHeld, isCurrent: false, slots: [-1, slot]))
            }
            let lastFree = schedule.diskSlots.map { $0 - k >= 1 ? 1 : 0 } ?? 0
            frames.append(Frame(start: k * p, length: n - k * p, free: [free[0], lastFree], held: 0, isCurrent: true, slots: [-1, -1]))
        }

        /// The next action, or nil after `endReverse`.
        public mutating func next() -> CheckpointAction? {
            while pendingIndex == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                guard let frame = frames.popLast() else {
                    if finished { return nil }
                    finished = true
                    return .endReverse
                }
                expand(frame)
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }

        mutating func allocate(level: Int) -> Int {
            if let slot = freeSlots[level].popLast() { return slot }
            defer { nextSlot[level] += 1 }
            return nextSlot[level]
        }

        /// Turns one frame into its next action and the frames that follow.
        mutating func expand(_ frame: Frame) {
            var frame = frame
            let levels = StorageLevel.allCases
            if !frame.isCurrent {
                let choice = table.restoreChoice[table.index(length: frame.length, free: frame.free, held: frame.held)]
                guard let (level, release) = TwoLevelCostTable.Choice.restored(choice) else {
                    preconditionFailure("no finite restore for segment \(frame.start)+\(frame.length), held \(frame.held)")
                }
                pending.append(.restore(step: frame.start, level: levels[level], slot: frame.slots[level], release: release))
                if release {
                    freeSlots[level].append(frame.slots[level])
                    frame.held &= ~(1 << level)
                    if table.capacities[level] != nil { frame.free[level] += 1 }
                }
                frame.isCurrent = true
                frames.append(frame)
                return
            }
            let choice = table.currentChoice[table.index(length: frame.length, free: frame.free, held: frame.held)]
            if choice == TwoLevelCostTable.Choice.reverse {
                if !forwardEnded {
                    forwardEnded = true
                    pending.append(.endForward)
                }
                pending.append(.reverse(step: frame.start))
            } else if let level = TwoLevelCostTable.Choice.storedLevel(choice) {
                let slot = allocate(level: level)
                pending.append(.store(step: frame.start, level: levels[level], slot: slot))
                frame.slots[level] = slot
                frame.held |= 1 << level
                if table.capacities[level] != nil { frame.free[level] -= 1 }
                frames.append(frame)
            } else {
                precondition(choice > 0, "no finite schedule for segment \(frame.start)+\(frame.length), held \(frame.held)")
                let j = Int(choice)
                pending.append(.advance(from: frame.start, to: frame.start + j))
                frames.append(Frame(start: frame.start, length: j, free: frame.free, held: frame.held, isCurrent: false, slots: frame.slots))
                frames.append(Frame(start: frame.start + j, length: frame.length - j, free: frame.free, held: 0, isCurrent: true, slots: [-1, -1]))
            }
        }
    }
}

/// A two-level schedule that cannot be built.
public enum TwoLevelRevolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of steps must be at least 1.
    case invalidStepCount(Int)
    /// Slot counts must be non-negative, and at least one slot is needed for n ≥ 2.
    case invalidSlotCount(memory: Int, disk: Int?)
    /// The exact table exceeds the work limit and the limited disk cannot hold a periodic plan.
    case tooLarge(steps: Int, memorySlots: Int, diskSlots: Int?, workLimit: Int)

    /// What went wrong and how to fix the call.
    public var description: String {
        switch self {
        case let .invalidStepCount(n):
            "the number of steps must be at least 1, got \(n); pass a positive step count"
        case let .invalidSlotCount(m, d):
            "a two-level schedule needs non-negative slot counts and at least one slot in all, got \(m) memory and \(d.map(String.init) ?? "unlimited") disk slots; give memory or disk room for one state"
        case let .tooLarge(n, m, d, limit):
            "the optimal two-level table for \(n) steps, \(m) memory and \(d.map(String.init) ?? "unlimited") disk slots needs more than \(limit) steps of work and the disk is too small for a periodic plan; allow more disk slots (an unlimited disk always works) or raise workLimit"
        }
    }
}
