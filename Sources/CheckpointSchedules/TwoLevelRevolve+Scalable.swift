/// The forms ``TwoLevelRevolve`` chooses from when the exact table is too large.
extension TwoLevelRevolve {
    /// A scalable candidate: how it was found, its predicted time and its stream.
    struct Candidate {
        var method: Method
        var time: Double
        var source: Source
    }

    /// The fastest of the scalable forms (see ``Method``), each built within `workLimit`.
    ///
    /// - Parameter capacities: memory and disk slots with levels of n − 1 slots or more
    ///   collapsed to nil.
    static func bestScalable(
        steps n: Int, memorySlots: Int, diskSlots: Int?, capacities: [Int?], costModel: CostModel, workLimit: Int
    ) throws(TwoLevelRevolveError) -> Candidate {
        var candidates: [Candidate] = []
        let unlimitedDisk = capacities[1] == nil
        // Disk-revolve with bounded disk segments (needs a disk and, beyond length 1, a slot).
        let disk = unlimitedDisk ? nil : diskSlots
        let longest = segmentBound(steps: n, memory: capacities[0], disk: disk, costModel: costModel, workLimit: workLimit)
        if longest >= 1, (disk ?? 1) >= 1, DiskSegmentPlan.topCells(steps: n, disk: disk) <= topCellLimit {
            let plan = DiskSegmentPlan(steps: n, memory: capacities[0], disk: disk, costModel: costModel, longestSegment: longest)
            if plan.time.isFinite {
                let source = Source.table(plan.table, segments: plan.segments, segmentDiskFree: plan.segmentDiskFree,
                                          tailFree: [memorySlots, plan.tailDiskFree])
                candidates.append(Candidate(method: .diskSegments(longestSegment: plan.longestSegment), time: plan.time, source: source))
            }
        }
        // A disk too large for that plan's top level but large enough for the unlimited-disk
        // plan: it never holds more than its top-level checkpoints plus L − 1 in a segment.
        if let disk, candidates.isEmpty, DiskSegmentPlan.topCells(steps: n, disk: nil) <= topCellLimit {
            let longest = segmentBound(steps: n, memory: capacities[0], disk: nil, costModel: costModel, workLimit: workLimit)
            let plan = DiskSegmentPlan(steps: n, memory: capacities[0], disk: nil, costModel: costModel, longestSegment: longest)
            if plan.time.isFinite, plan.segments.count + plan.longestSegment <= disk {
                let source = Source.table(plan.table, segments: plan.segments, segmentDiskFree: plan.segmentDiskFree, tailFree: [memorySlots, 0])
                candidates.append(Candidate(method: .diskSegments(longestSegment: plan.longestSegment), time: plan.time, source: source))
            }
        }
        // Periodic disk-revolve, whose checkpoints must fit a limited disk.
        if unlimitedDisk || (diskSlots ?? 0) >= 1,
           let plan = periodicPlan(steps: n, memory: capacities[0], disk: disk, costModel: costModel, workLimit: workLimit) {
            let count = (n - 1) / plan.period
            let source = Source.table(plan.table, segments: Array(repeating: plan.period, count: count),
                                      segmentDiskFree: Array(repeating: 0, count: count),
                                      tailFree: [memorySlots, disk.map { $0 - count >= 1 ? 1 : 0 } ?? 0])
            candidates.append(Candidate(method: .periodic(period: plan.period), time: plan.time, source: source))
        }
        // Revolve over disk checkpoints every p steps, segments reversed in memory.
        if let disk, disk >= 1, n >= 2 {
            var longest = Swift.min(n, 4 * Swift.min(periodBound(memorySlots: capacities[0], costModel: costModel), n))
            while longest > 1 && work(maximumLength: longest, capacities: [capacities[0], 0]) > workLimit / 10 { longest /= 2 }
            if let plan = HierarchicalRevolvePlan(steps: n, memory: memorySlots, disk: disk, costModel: costModel, longestSegment: longest) {
                candidates.append(Candidate(method: .hierarchical(segment: plan.segment), time: plan.time, source: .hierarchical(plan)))
            }
        }
        // Playing revolve's stream costs about 4n actions; the plays below share a tenth
        // of the work limit.
        let playCost = n <= Int.max / 8 ? 4 * n : Int.max / 2
        // Revolve in memory alone, counted in closed form (or played).
        if memorySlots >= 1, let revolve = try? Revolve(steps: n, slots: memorySlots),
           let statistics = (try? revolve.statistics(costModel: costModel, workLimit: Swift.max(1, workLimit / 100)))
            ?? (playCost <= workLimit / 10 ? try? ScheduleSimulator.run(revolve, costModel: costModel) : nil) {
            candidates.append(Candidate(method: .memoryRevolve, time: statistics.predictedTime, source: .revolve(revolve)))
        }
        // Stumm & Walther's placement with the disk slots given (an unlimited disk: 1, 4,
        // 16, … disk slots); each candidate plays revolve's stream twice.
        let diskCounts = unlimitedDisk ? Array(sequence(first: 1) { $0 < n / 4 ? 4 * $0 : nil }) : [diskSlots ?? 0]
        for disk in diskCounts where memorySlots + disk >= 1 && 2 * playCost <= workLimit / 10 / diskCounts.count {
            guard let multistage = try? MultistageRevolve(steps: n, memorySlots: memorySlots, diskSlots: disk),
                  let statistics = try? ScheduleSimulator.run(multistage, costModel: costModel) else { continue }
            candidates.append(Candidate(method: .multistage(diskSlots: disk), time: statistics.predictedTime, source: .multistage(multistage)))
        }
        guard let best = candidates.min(by: { $0.time < $1.time }), best.time.isFinite else {
            throw .tooLarge(steps: n, memorySlots: memorySlots, diskSlots: diskSlots, workLimit: workLimit)
        }
        return best
    }

    /// The most cells (n + 1)·(s_d + 1) of a disk-segment plan's top level (4 bytes each,
    /// so at most 48 MB while planning): beyond it that form is not tried.
    static let topCellLimit = 12_000_000

    /// L for ``DiskSegmentPlan``: the period bound (at least ⌈n/s_d⌉ for a limited disk),
    /// capped so that the segment table (L²·s_m·s_d/2 steps) and the top level
    /// (n·L·s_d) each stay within `workLimit`.
    static func segmentBound(steps n: Int, memory: Int?, disk: Int?, costModel: CostModel, workLimit: Int) -> Int {
        let needed = disk.map { $0 >= 1 ? (n - 1) / $0 + 1 : n } ?? 1
        var longest = Swift.min(n, Swift.max(needed, periodBound(memorySlots: memory, costModel: costModel)))
        let levels = Swift.min(disk ?? 0, Int.max - 1) + 1
        while longest > 1 && (work(maximumLength: longest, capacities: [memory, disk.map { Swift.min($0, longest - 1) }]) > workLimit
                              || longest > workLimit / n / levels) {
            longest /= 2
        }
        return longest
    }

    /// Chooses the period of the periodic mode and tabulates its segments, or nil when
    /// no period fits the disk (`nil`: unlimited) within the work limit. O(p_max²·s_m)
    /// whatever n, so it answers where the disk-segment plan's O(n) top level is too big.
    static func periodicPlan(
        steps n: Int, memory: Int?, disk: Int?, costModel: CostModel, workLimit: Int
    ) -> (table: TwoLevelCostTable, period: Int, time: Double)? {
        // Segments use every memory slot; with a limited disk they keep one disk slot (the
        // one their own checkpoint frees), with an unlimited disk as many as they like.
        let capacities: [Int?] = [memory, disk == nil ? nil : 1]
        var longest = n
        while longest > 1 && work(maximumLength: longest, capacities: capacities) > workLimit { longest /= 2 }
        // Periods beyond Aupy & Herrmann's bound m_max are not worth tabulating; a limited
        // disk needs p ≥ ⌈(n − 1)/s_d⌉ so that its checkpoints fit.
        let needed = disk.map { $0 >= 1 ? (n - 1) / $0 + ((n - 1) % $0 == 0 ? 0 : 1) : n } ?? 1
        longest = Swift.min(longest, Swift.max(needed, periodBound(memorySlots: memory, costModel: costModel)))
        // The disk must hold the ⌈n / p⌉ − 1 checkpoints x0, x_p, …
        guard longest >= 2, disk.map({ $0 >= 1 && (n - 1) / longest <= $0 }) ?? true else { return nil }
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
        return best.time.isFinite ? (table, best.period, best.time) : nil
    }

    /// An upper bound for useful disk periods, after Aupy & Herrmann 2017 (m_max of their
    /// periodic disk-revolve): max(β(c_m, t₁ + 1), 2·β(c_m, t₂) + 1) with t₁ the least t
    /// such that β(c_m, t) > (w_d + r_d)/u_f and t₂ the least with β(c_m, t) > w_d/u_f;
    /// doubled and at least 64 for safety (the segments are then chosen exactly below it).
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
}
