extension CheckpointPlanner {
    /// The three-level options: plain memory, compressed memory and (when given) disk, one
    /// per memory codec and disk assignment, each priced by ``HRevolve``'s dynamic program.
    ///
    /// The memory budget B (after the reserved states) is split between k plain slots of S
    /// bytes and ⌊(B − k·S)/S_c⌋ compressed slots of S_c bytes. One table with the largest
    /// capacities prices every split at once — C(n, f, ∅) is known for every free vector f
    /// up to them — and the option takes the fastest split, k = 0 (all compressed) and
    /// k = ⌊B/S⌋ (all plain) included, so it is never slower than the two-level options
    /// with the same codecs. When the table for every k up to ⌊B/S⌋ exceeds `workLimit`,
    /// the splits with the fewest plain slots (from 0) and with the most (up to ⌊B/S⌋) that
    /// fit half of it each are priced, so all-compressed and all-plain stay covered as far
    /// as their own tables fit; with an unlimited disk, up to 8 splits are priced in
    /// segments over the disk instead (`segmentedHierarchyOption`); when nothing fits, the
    /// option is impossible with a note naming the work.
    ///
    /// - Complexity: one table of O(n²·(k + 1)·(c + 1)·(d + 1)·8) elementary steps per
    ///   option, at most `workLimit`; O(k) to read the splits.
    static func hierarchyOptions(
        _ p: PlanningProblem, codecs: [CodecProfile], disks: [CheckpointPlan.LevelAssignment?],
        reserved: ByteCount, workLimit: Int
    ) -> [CheckpointPlan.Option] {
        let n = p.steps
        guard n >= 3 else { return [] }
        let plain = memoryAssignment(p, codec: .identity, reserved: reserved)
        // Every state fits in plain, free memory: store-all, which no hierarchy beats.
        guard plain.slots < n - 1 || plain.writeTime > 0 || plain.readTime > 0 else { return [] }
        var options: [CheckpointPlan.Option] = []
        for codec in codecs where !codec.isIdentity {
            var compressed = memoryAssignment(p, codec: codec, reserved: reserved)
            compressed.level = .compressedMemory
            guard compressed.slots >= 1 else { continue }
            for disk in disks where disk.map({ $0.slots >= 1 }) ?? true {
                options.append(hierarchyOption(p, plain: plain, compressed: compressed, disk: disk, reserved: reserved, workLimit: workLimit))
            }
        }
        return options
    }

    /// The best split of the memory budget for one codec and disk assignment.
    static func hierarchyOption(
        _ p: PlanningProblem, plain: CheckpointPlan.LevelAssignment, compressed: CheckpointPlan.LevelAssignment,
        disk: CheckpointPlan.LevelAssignment?, reserved: ByteCount, workLimit: Int
    ) -> CheckpointPlan.Option {
        let n = p.steps
        var costs = costModel(p, plain, disk)
        costs.write[.compressedMemory] = compressed.writeTime
        costs.read[.compressedMemory] = compressed.readTime
        let budget = p.memory.bytes - reserved.bytes
        let compressedCapacity = Swift.min(compressed.slots, n - 1)
        // The table's levels: the disk only when the option has one (then unlimited when it
        // holds n − 1 states); each further level doubles the held sets.
        let levels: [StorageLevel] = disk == nil ? [.memory, .compressedMemory] : [.memory, .compressedMemory, .disk]
        let diskCapacity: [Int?] = disk.map { [$0.slots >= n - 1 ? nil : $0.slots] } ?? []
        func capacities(_ plainSlots: Int, _ compressedSlots: Int) -> [Int?] { [plainSlots, compressedSlots] + diskCapacity }
        var option = CheckpointPlan.Option(
            strategy: .hRevolve, memory: plain, disk: disk, compressedMemory: compressed, costModel: costs, predictedTime: nil,
            predictedMemory: reserved, predictedDisk: footprint(disk, steps: n), note: "", period: nil, workLimit: workLimit)
        let largestPlain = Swift.min(plain.slots, n - 2)
        // c(k): the compressed slots left beside k plain ones (at most n − 1 are ever used).
        func compressedSlots(_ k: Int) -> Int {
            Swift.min((budget - k * plain.bytesPerSlot.bytes) / compressed.bytesPerSlot.bytes, compressedCapacity)
        }
        func fits(_ plainSlots: Int, _ compressedSlots: Int, _ limit: Int) -> Bool {
            let table = capacities(plainSlots, compressedSlots)
            return HRevolveCostTable.work(maximumLength: n, capacities: table) <= limit
                && HRevolveCostTable.cellCount(maximumLength: n, capacities: table) <= HRevolve.defaultCellLimit
        }
        // The splits to price, as ranges of k each read from one table with capacities
        // (last k, c(first k)): every split when that fits the limit, else the fewest plain
        // slots (0 … a) and the most (b … ⌊B/S⌋) that fit half of it each.
        var ranges: [ClosedRange<Int>] = []
        if fits(largestPlain, compressedCapacity, workLimit) {
            ranges = [0...largestPlain]
        } else if diskCapacity == [nil] {
            // An unlimited disk: H-Revolve's segmented form prices a few splits at any n.
            return segmentedHierarchyOption(option, steps: n, plain: plain, compressed: compressed, largestPlain: largestPlain,
                                            compressedSlots: compressedSlots, workLimit: workLimit)
        } else {
            let half = Swift.max(1, workLimit / 2)
            if fits(0, compressedCapacity, half) {
                var (low, high) = (0, largestPlain)  // fits(low), not fits(high)
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if fits(middle, compressedCapacity, half) { low = middle } else { high = middle }
                }
                ranges.append(0...low)
            }
            if fits(largestPlain, Swift.max(0, compressedSlots(largestPlain)), half) {
                var (low, high) = (-1, largestPlain)  // not fits(low + …), fits(high)
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if fits(largestPlain, Swift.max(0, compressedSlots(middle)), half) { high = middle } else { low = middle }
                }
                if let first = ranges.first, high <= first.upperBound { ranges = [0...largestPlain] } else { ranges.append(high...largestPlain) }
            }
        }
        guard !ranges.isEmpty else {
            let work = Swift.min(HRevolveCostTable.work(maximumLength: n, capacities: capacities(0, compressedCapacity)),
                                 HRevolveCostTable.work(maximumLength: n, capacities: capacities(largestPlain, Swift.max(0, compressedSlots(largestPlain)))))
            option.note = "the H-Revolve tables for \(n) steps need at least \(work) steps of work, over the limit \(Swift.max(1, workLimit / 2)) per table"
            return option
        }
        var best: (plain: Int, compressed: Int, time: Double)?
        for range in ranges {
            let table = HRevolveCostTable(
                maximumLength: n, levels: levels, capacities: capacities(range.upperBound, Swift.max(0, compressedSlots(range.lowerBound))),
                costModel: costs)
            for k in range {
                let c = compressedSlots(k)
                guard c >= 0 else { break }
                let time = table.currentCost(length: n, free: [k, c] + diskCapacity.map { $0 ?? 0 }, held: 0)
                if time < (best?.time ?? .infinity) { best = (k, c, time) }
            }
        }
        let priced = ranges.map(\.count).reduce(0, +)
        guard let best, best.time.isFinite else {
            option.note = "no split of the memory between plain and compressed slots can reverse \(n) steps"
            return option
        }
        option.memory.slots = best.plain
        option.compressedMemory?.slots = best.compressed
        option.predictedTime = best.time
        option.predictedMemory = ByteCount(
            reserved.bytes + best.plain * plain.bytesPerSlot.bytes + best.compressed * compressed.bytesPerSlot.bytes)
        option.note = "H-Revolve optimum over \(best.plain) plain + \(best.compressed) compressed memory slots"
            + (disk == nil ? "" : " + disk") + " (best of \(priced) of \(largestPlain + 1) splits of the memory)"
        return option
    }
}

extension CheckpointPlanner {
    /// At most 8 splits of the memory (evenly spread from all-compressed to all-plain), each
    /// priced by ``HRevolve`` with an eighth of `workLimit`: past the exact table it segments
    /// over the unlimited disk. The option keeps that work limit, so that its schedule is
    /// rebuilt exactly as priced.
    static func segmentedHierarchyOption(
        _ option: CheckpointPlan.Option, steps n: Int, plain: CheckpointPlan.LevelAssignment,
        compressed: CheckpointPlan.LevelAssignment, largestPlain: Int, compressedSlots: (Int) -> Int, workLimit: Int
    ) -> CheckpointPlan.Option {
        var option = option
        let splits = Swift.min(8, largestPlain + 1)
        let perSplit = Swift.max(1, workLimit / splits)
        let candidates = Set((0..<splits).map { i in splits == 1 ? 0 : i * largestPlain / (splits - 1) }).sorted()
        var best: (plain: Int, compressed: Int, schedule: HRevolve)?
        for k in candidates {
            let c = compressedSlots(k)
            guard c >= 0 else { continue }
            var trial = option
            trial.memory.slots = k
            trial.compressedMemory?.slots = c
            guard let schedule = try? HRevolve(steps: n, levels: trial.hierarchy(steps: n), costModel: option.costModel, workLimit: perSplit)
            else { continue }
            if schedule.predictedTime < (best?.schedule.predictedTime ?? .infinity) { best = (k, c, schedule) }
        }
        guard let best else {
            option.note = "no H-Revolve table for \(n) steps fits \(perSplit) steps of work, even in segments over the disk"
            return option
        }
        option.memory.slots = best.plain
        option.compressedMemory?.slots = best.compressed
        option.predictedTime = best.schedule.predictedTime
        option.workLimit = perSplit
        option.predictedMemory = ByteCount(
            option.predictedMemory.bytes + best.plain * plain.bytesPerSlot.bytes + best.compressed * compressed.bytesPerSlot.bytes)
        option.note = "H-Revolve over \(best.plain) plain + \(best.compressed) compressed memory slots + disk, "
            + "\(best.schedule.method) (best of \(candidates.count) of \(largestPlain + 1) splits of the memory)"
        return option
    }
}

extension CheckpointPlan.Option {
    /// The storage hierarchy of an H-Revolve option: plain memory, compressed memory (when
    /// the option has it) and disk (when it has one; unlimited when it holds n − 1 states).
    public func hierarchy(steps: Int) -> [HRevolve.Level] {
        var levels = [HRevolve.Level(.memory, slots: memory.slots)]
        if let compressedMemory { levels.append(HRevolve.Level(.compressedMemory, slots: compressedMemory.slots)) }
        if let disk { levels.append(HRevolve.Level(.disk, slots: disk.slots >= steps - 1 ? nil : disk.slots)) }
        return levels
    }
}
