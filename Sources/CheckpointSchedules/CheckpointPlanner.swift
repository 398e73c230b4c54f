/// Chooses how to checkpoint from byte budgets and speeds: which levels, how many slots
/// and which codec, by least predicted time.
///
/// Every combination of a memory codec (identity or one of the problem's codecs) with no
/// disk or a disk codec is turned into slots — ⌊(memory − reserved) / stored size⌋ and
/// ⌊disk / stored size⌋ — and into a ``CostModel`` in seconds: an advance and a reverse
/// cost their measured times; storing costs compression plus transfer (for disk, latency +
/// stored size / bandwidth; for memory, stored size / ``PlanningProblem/memoryBandwidth``);
/// restoring costs transfer plus decompression. Each combination is then priced exactly:
///
/// - memory only, no codec cost: store-all if n − 1 states fit (n − 1 advances), else
///   revolve with t(n, s) advances (Griewank & Walther 2000, doi:10.1145/347837.347846);
/// - memory with a codec (a compressed memory level: more slots, but each store and
///   restore costs codec time): the cost-aware optimum of ``TwoLevelRevolve`` with no disk,
///   or, when its table exceeds `workLimit`, revolve's stream priced by the simulator;
/// - memory plus disk: ``TwoLevelRevolve`` (Aupy, Herrmann, Hovland & Robert 2016,
///   doi:10.1137/15M1019222), exact, or periodic for very long chains.
///
/// - plain memory, compressed memory and, with or without disk, a hierarchy: ``HRevolve``
///   (Herrmann & Pallez 2020, doi:10.1145/3378672) over the best split of the memory budget
///   between plain slots and compressed slots (the `.compressedMemory` level), one option
///   per codec and disk assignment (`hierarchyOptions`). Its splits include all-plain and
///   all-compressed, so it is never slower than the two-level options with the same codecs;
///   it wins when the codec's ratio buys many slots and its time is small beside a step's.
///
/// The decision is the feasible option with the least predicted time (ties go to the one
/// using less disk, then less memory, then the one listed first: store-all, revolve,
/// two-level before H-Revolve). Without the hierarchy a compressed memory level is modelled
/// as the `.memory` level with scaled capacity and codec costs.
///
/// - Complexity: one ``TwoLevelRevolve`` or ``HRevolve`` table per option using a codec or
///   disk, each bounded by `workLimit` (default 2·10⁸ elementary steps, well under a second
///   in a release build; an H-Revolve option's tables by half of it); (1 + c)·(2 + c) + c·(2 + c)
///   options for c codecs.
public enum CheckpointPlanner {
    /// The default bound on each option's dynamic-program work.
    public static let defaultWorkLimit = 200_000_000
    /// An H-Revolve option's tables get half the work limit (10⁸ elementary steps by
    /// default, about 0.2 s in a release build): with c codecs there are c·(2 + c) of them.
    static let hierarchyWorkShare = 2

    /// Plans `problem`.
    ///
    /// - Throws: ``PlanningError/stateDoesNotFit(stateSize:memory:disk:reserved:)`` when not
    ///   even one (compressed) state fits; ``PlanningError/invalidProblem(_:)`` for
    ///   non-positive counts, times or speeds; ``PlanningError/noFeasiblePlan(_:)`` when
    ///   every option failed for another reason (each reason is listed).
    public static func plan(_ problem: PlanningProblem, workLimit: Int = defaultWorkLimit) throws(PlanningError) -> CheckpointPlan {
        try validate(problem)
        let n = problem.steps
        let reserved = ByteCount(problem.reservedStates * problem.stateSize.bytes)
        guard reserved <= problem.memory else {
            throw .stateDoesNotFit(stateSize: problem.stateSize, memory: problem.memory, disk: problem.disk, reserved: reserved)
        }
        let codecs = [CodecProfile.identity] + problem.codecs.filter { !$0.isIdentity }
        let memoryLevels = codecs.map { memoryAssignment(problem, codec: $0, reserved: reserved) }
        let diskLevels: [CheckpointPlan.LevelAssignment?] = [nil] + (problem.disk == nil ? [] : codecs.map { diskAssignment(problem, codec: $0) })
        let anyRoom = memoryLevels.contains { $0.slots >= 1 } || diskLevels.contains { ($0?.slots ?? 0) >= 1 }
        guard n == 1 || anyRoom else {
            throw .stateDoesNotFit(stateSize: problem.stateSize, memory: problem.memory, disk: problem.disk, reserved: reserved)
        }
        var options: [CheckpointPlan.Option] = []
        for memory in memoryLevels {
            for disk in diskLevels {
                // A disk option needs a disk slot; store-all and revolve need a memory slot.
                if let disk, disk.slots == 0 && n > 1 {
                    options.append(infeasible(memory, disk, reserved: reserved, "no \(disk.codec.name) state of \(disk.bytesPerSlot) fits on the \(problem.disk!) disk"))
                    continue
                }
                options.append(price(problem, memory: memory, disk: disk, reserved: reserved, workLimit: workLimit))
            }
        }
        options += hierarchyOptions(problem, codecs: codecs, disks: diskLevels, reserved: reserved,
                                    workLimit: Swift.max(1, workLimit / hierarchyWorkShare))
        // Times within a relative 10⁻⁹ are ties (sums in another order round differently):
        // then less disk, less memory, and the simpler strategy win.
        let ordered = options.enumerated().sorted { a, b in
            switch (a.element.predictedTime, b.element.predictedTime) {
            case let (x?, y?):
                if abs(x - y) > 1e-9 * Swift.max(abs(x), abs(y)) { return x < y }
                let (p, q) = (a.element, b.element)
                return (p.predictedDisk, p.predictedMemory, a.offset) < (q.predictedDisk, q.predictedMemory, b.offset)
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
        guard let decision = ordered.first, decision.isFeasible else {
            throw .noFeasiblePlan(options.map(\.summary))
        }
        return CheckpointPlan(problem: problem, decision: decision, alternatives: Array(ordered.dropFirst()))
    }

    static func validate(_ p: PlanningProblem) throws(PlanningError) {
        guard p.steps >= 1 else { throw .invalidProblem("the number of steps must be at least 1, got \(p.steps)") }
        guard p.stateSize.bytes >= 1 else { throw .invalidProblem("the state size must be at least 1 byte, got \(p.stateSize)") }
        guard p.reservedStates >= 0 else { throw .invalidProblem("reserved states must be at least 0, got \(p.reservedStates)") }
        guard !p.reservedStates.multipliedReportingOverflow(by: p.stateSize.bytes).overflow else {
            throw .invalidProblem("\(p.reservedStates) reserved states of \(p.stateSize) exceed 2^63 − 1 bytes; reserve fewer working states")
        }
        for (name, value) in [("advance time", p.advanceTime), ("reverse time", p.reverseTime),
                              ("disk write latency", p.diskWriteLatency), ("disk read latency", p.diskReadLatency)]
        where !(value >= 0 && value.isFinite) {
            throw .invalidProblem("the \(name) must be a non-negative number of seconds, got \(value)")
        }
        for (name, value) in [("disk write bandwidth", p.diskWriteBandwidth), ("disk read bandwidth", p.diskReadBandwidth), ("memory bandwidth", p.memoryBandwidth ?? 1)]
        where !(value > 0 && value.isFinite) {
            throw .invalidProblem("the \(name) must be a positive number of bytes per second, got \(value)")
        }
    }

    static func memoryAssignment(_ p: PlanningProblem, codec: CodecProfile, reserved: ByteCount) -> CheckpointPlan.LevelAssignment {
        let stored = codec.storedSize(of: p.stateSize)
        let copy = p.memoryBandwidth.map { Double(stored.bytes) / $0 } ?? 0
        return CheckpointPlan.LevelAssignment(
            level: .memory, slots: (p.memory.bytes - reserved.bytes) / stored.bytes, codec: codec, bytesPerSlot: stored,
            writeTime: codec.compressionTime(of: p.stateSize) + copy, readTime: copy + codec.decompressionTime(of: p.stateSize))
    }

    static func diskAssignment(_ p: PlanningProblem, codec: CodecProfile) -> CheckpointPlan.LevelAssignment {
        let stored = codec.storedSize(of: p.stateSize)
        return CheckpointPlan.LevelAssignment(
            level: .disk, slots: (p.disk?.bytes ?? 0) / stored.bytes, codec: codec, bytesPerSlot: stored,
            writeTime: codec.compressionTime(of: p.stateSize)
                + CostModel.transferTime(of: stored, latency: p.diskWriteLatency, bandwidth: p.diskWriteBandwidth),
            readTime: CostModel.transferTime(of: stored, latency: p.diskReadLatency, bandwidth: p.diskReadBandwidth)
                + codec.decompressionTime(of: p.stateSize))
    }

    static func costModel(_ p: PlanningProblem, _ memory: CheckpointPlan.LevelAssignment, _ disk: CheckpointPlan.LevelAssignment?) -> CostModel {
        var write: [StorageLevel: Double] = [.memory: memory.writeTime]
        var read: [StorageLevel: Double] = [.memory: memory.readTime]
        if let disk {
            write[.disk] = disk.writeTime
            read[.disk] = disk.readTime
        }
        return CostModel(advance: p.advanceTime, reverse: p.reverseTime, write: write, read: read)
    }

    /// Memory and disk the option may occupy: at most n − 1 slots per level are ever used.
    static func footprint(_ level: CheckpointPlan.LevelAssignment?, steps: Int) -> ByteCount {
        guard let level else { return 0 }
        return ByteCount(Swift.min(level.slots, Swift.max(0, steps - 1)) * level.bytesPerSlot.bytes)
    }

    static func infeasible(
        _ memory: CheckpointPlan.LevelAssignment, _ disk: CheckpointPlan.LevelAssignment?, reserved: ByteCount, _ note: String
    ) -> CheckpointPlan.Option {
        CheckpointPlan.Option(
            strategy: disk == nil ? .revolve : .twoLevel, memory: memory, disk: disk, costModel: CostModel(),
            predictedTime: nil, predictedMemory: reserved, predictedDisk: 0, note: note, period: nil)
    }

    /// Prices one combination of levels exactly.
    static func price(
        _ p: PlanningProblem, memory: CheckpointPlan.LevelAssignment, disk: CheckpointPlan.LevelAssignment?,
        reserved: ByteCount, workLimit: Int
    ) -> CheckpointPlan.Option {
        let n = p.steps
        let costs = costModel(p, memory, disk)
        var option = CheckpointPlan.Option(
            strategy: .twoLevel, memory: memory, disk: disk, costModel: costs, predictedTime: nil,
            predictedMemory: ByteCount(reserved.bytes + footprint(memory, steps: n).bytes),
            predictedDisk: footprint(disk, steps: n), note: "", period: nil, workLimit: workLimit)
        let freeMemory = memory.writeTime == 0 && memory.readTime == 0
        if disk == nil && freeMemory {
            if n == 1 || memory.slots >= n - 1 {
                option.strategy = .storeAll
                option.predictedTime = Double(n - 1) * p.advanceTime + Double(n) * p.reverseTime
                option.note = "n − 1 = \(n - 1) advances: every state fits"
            } else if memory.slots == 0 {
                option.strategy = .revolve
                option.note = "not one \(memory.codec.name) state of \(memory.bytesPerSlot) fits in the memory left (\(ByteCount(p.memory.bytes - reserved.bytes)))"
            } else {
                option.strategy = .revolve
                let t = (try? BinomialCheckpointing.minimalAdvances(steps: n, slots: memory.slots)) ?? Int.max
                option.predictedTime = Double(t) * p.advanceTime + Double(n) * p.reverseTime
                option.note = "t(n, s) = \(t) advances"
            }
            return option
        }
        do {
            let diskSlots = disk.map { $0.slots >= n - 1 ? nil : $0.slots } ?? 0
            let schedule = try TwoLevelRevolve(steps: n, memorySlots: memory.slots, diskSlots: diskSlots, costModel: costs, workLimit: workLimit)
            option.predictedTime = schedule.predictedTime
            option.period = schedule.period
            option.note = schedule.method.description
        } catch {
            option.note = error.description
            // Memory with codec costs but too many slots for the exact table: revolve's own
            // stream, counted in closed form and priced with the codec's costs (optimal in
            // advances, not in codec time). Counting is O(r·s), not O(actions), so any n answers at once.
            if disk == nil, memory.slots >= 1, let revolve = try? Revolve(steps: n, slots: memory.slots),
               let stats = try? revolve.statistics(costModel: costs) {
                option.strategy = .revolve
                option.predictedTime = stats.predictedTime
                option.note = "revolve priced by its counts (the cost-aware table exceeds the work limit)"
            }
        }
        return option
    }
}

/// A planning request that cannot be answered.
public enum PlanningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A count, time or speed is out of range; the text names it and its value.
    case invalidProblem(String)
    /// Not even one checkpoint fits in the memory left after the reserved states, nor on disk.
    case stateDoesNotFit(stateSize: ByteCount, memory: ByteCount, disk: ByteCount?, reserved: ByteCount)
    /// Every option failed; one line per option.
    case noFeasiblePlan([String])
    /// Building the chosen schedule failed.
    case scheduleFailed(String)

    /// What went wrong and what to change.
    public var description: String {
        switch self {
        case let .invalidProblem(text):
            "invalid planning problem: \(text)"
        case let .stateDoesNotFit(state, memory, disk, reserved):
            "not one checkpoint of \(state) fits: the memory budget \(memory) holds \(reserved) of reserved working states"
                + (reserved > memory ? " (more than the budget)" : "") + " and "
                + (disk.map { "the disk budget \($0) is too small" } ?? "no disk was given")
                + "; give at least \(ByteCount(reserved.bytes + state.bytes)) of memory, a disk budget of at least \(state), or a compressing codec"
        case let .noFeasiblePlan(lines):
            "no option can run:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
        case let .scheduleFailed(text):
            "the planned schedule could not be built: \(text)"
        }
    }
}
