/// Revolve over disk checkpoints placed every p steps, each p-step segment reversed with the
/// memory slots: the two-level form for a disk too small to hold a checkpoint per segment.
///
/// The chain of n steps is cut into M = ⌈n/p⌉ segments. Revolve with the s_d disk slots
/// reverses the chain of segments as if each were one step: its advances run whole segments
/// untaped, its stores and restores write and read the segments' first states on disk, and
/// where it would reverse a step, the segment is reversed from its first state with the
/// memory slots by the exact two-level table (no disk). This is the hierarchical structure
/// of H-Revolve (Herrmann & Pallez 2020, ACM Trans. Math. Softw., doi:10.1145/3378672) with one
/// segment length for the whole chain, chosen by predicted time; H-Revolve's dynamic
/// program also chooses each segment's length, which we do not (so this form is not proved
/// optimal). With a disk that can hold a checkpoint per segment, disk-revolve's forms
/// (`DiskSegmentPlan`) are better; this one wins when s_d is small against n/L.
///
/// Predicted time: revolve's statistics on the segment chain with an advance costing p·a,
/// a reverse costing C(p, (m, 0), ∅) (the last segment's own length), disk writes w_d and
/// reads r_d.
///
/// - Complexity: a table of O(p²·s_m) to choose and tabulate p; O(1) per action.
struct HierarchicalRevolvePlan: Sendable {
    /// p: the steps per segment.
    let segment: Int
    /// Revolve over the ⌈n/p⌉ segments with the disk slots.
    let macro: Revolve
    /// The memory-only table reversing one segment.
    let table: TwoLevelCostTable
    /// The memory slots each segment's reversal may use.
    let memorySlots: Int
    /// The predicted time of the whole stream.
    let time: Double

    /// The best segment length up to `longestSegment` for `steps` steps, `memory` memory
    /// slots and `disk` ≥ 1 disk slots, or nil when none gives a finite time.
    init?(steps n: Int, memory: Int, disk: Int, costModel: CostModel, longestSegment: Int) {
        guard disk >= 1, n >= 2 else { return nil }
        let longest = Swift.min(longestSegment, n)
        let table = TwoLevelCostTable(maximumLength: longest, capacities: [memory >= longest - 1 ? nil : memory, 0], costModel: costModel)
        let segmentCost = { (length: Int) in table.currentCost(length: length, free: [memory, 0], held: 0) }
        var best: (segment: Int, time: Double)?
        // Every length up to 64, then a geometric grid (ratio 1.05) up to the longest.
        var candidate = 1
        while candidate <= longest {
            if let time = Self.predictedTime(steps: n, segment: candidate, disk: disk, costModel: costModel, segmentCost: segmentCost),
               time < (best?.time ?? .infinity) {
                best = (candidate, time)
            }
            candidate = candidate < 64 ? candidate + 1 : Swift.max(candidate + 1, Int(Double(candidate) * 1.05))
        }
        guard let best, best.time.isFinite else { return nil }
        self.init(steps: n, memory: memory, disk: disk, costModel: costModel, segment: best.segment, table: table)
    }

    /// The plan with segments of exactly `segment` steps, reversed with `table` (which
    /// must reach that length with no disk), or nil when its time is not finite.
    init?(steps n: Int, memory: Int, disk: Int, costModel: CostModel, segment p: Int, table: TwoLevelCostTable) {
        precondition(p >= 1 && p <= table.maximumLength, "segments of \(p) steps need a table that long, not \(table.maximumLength)")
        let segmentCost = { (length: Int) in table.currentCost(length: length, free: [memory, 0], held: 0) }
        guard let time = Self.predictedTime(steps: n, segment: p, disk: disk, costModel: costModel, segmentCost: segmentCost),
              time.isFinite, let macro = try? Revolve(steps: (n - 1) / p + 1, slots: disk, level: .disk) else { return nil }
        self.segment = p
        self.macro = macro
        self.table = table
        self.memorySlots = memory
        self.time = time
    }

    /// The predicted time with segments of `p` steps, from revolve's closed-form counts.
    static func predictedTime(steps n: Int, segment p: Int, disk: Int, costModel: CostModel, segmentCost: (Int) -> Double) -> Double? {
        let count = (n - 1) / p + 1
        let full = segmentCost(p)
        let last = segmentCost(n - (count - 1) * p)
        guard full.isFinite, last.isFinite, let macro = try? Revolve(steps: count, slots: disk, level: .disk) else { return nil }
        let costs = CostModel(advance: Double(p) * costModel.advance, reverse: full,
                              write: [.disk: costModel.writeCost(.disk)], read: [.disk: costModel.readCost(.disk)])
        guard let statistics = try? macro.statistics(costModel: costs) else { return nil }
        return statistics.predictedTime - full + last
    }
}

extension HierarchicalRevolvePlan {
    /// The plan's actions: revolve's over the segments, each reverse expanded into the
    /// segment's memory-only reversal.
    struct Stream {
        var macro: Revolve.Iterator
        let segment: Int
        let steps: Int
        let table: TwoLevelCostTable
        let memorySlots: Int
        /// The reversal of the current segment, its actions relative to `offset`.
        var inner: TwoLevelRevolve.TableReplay?
        var offset = 0
        var forwardEnded = false

        init(_ plan: HierarchicalRevolvePlan, steps: Int) {
            macro = plan.macro.makeIterator()
            segment = plan.segment
            self.steps = steps
            table = plan.table
            memorySlots = plan.memorySlots
        }

        mutating func next() -> CheckpointAction? {
            while true {
                if var reversal = inner {
                    inner = nil
                    let action = reversal.next()
                    inner = reversal
                    switch action {
                    case nil, .endReverse?:
                        inner = nil
                        continue
                    case .endForward?:
                        if forwardEnded { continue }
                        forwardEnded = true
                        return .endForward
                    case let .advance(from, to)?: return .advance(from: offset + from, to: offset + to)
                    case let .store(step, level, slot)?: return .store(step: offset + step, level: level, slot: slot)
                    case let .restore(step, level, slot, release)?:
                        return .restore(step: offset + step, level: level, slot: slot, release: release)
                    case let .discard(step, level, slot)?: return .discard(step: offset + step, level: level, slot: slot)
                    case let .reverse(step)?: return .reverse(step: offset + step)
                    }
                }
                guard let action = macro.next() else { return nil }
                switch action {
                case let .advance(from, to):
                    let (end, overflow) = to.multipliedReportingOverflow(by: segment)
                    return .advance(from: from * segment, to: overflow ? steps : Swift.min(end, steps))
                case let .store(step, _, slot): return .store(step: step * segment, level: .disk, slot: slot)
                case let .restore(step, _, slot, release): return .restore(step: step * segment, level: .disk, slot: slot, release: release)
                case let .discard(step, _, slot): return .discard(step: step * segment, level: .disk, slot: slot)
                case let .reverse(step):
                    offset = step * segment
                    let length = Swift.min(segment, steps - offset)
                    inner = TwoLevelRevolve.TableReplay(table: table, steps: length, segments: [], segmentDiskFree: [], tailFree: [memorySlots, 0])
                case .endForward: continue  // the first segment's reversal says it
                case .endReverse: return .endReverse
                }
            }
        }
    }
}
