extension Revolve {
    /// What the ``ScheduleSimulator`` counts for this schedule, computed from the split
    /// rule instead of playing the action stream, so that n = 10^12 answers at once.
    ///
    /// ```swift
    /// let s = try Revolve(steps: 1_000_000_000_000, slots: 10).statistics()!
    /// s.advances == (try BinomialCheckpointing.minimalAdvances(steps: 1_000_000_000_000, slots: 10))
    /// ```
    ///
    /// Each segment [a, b) with f free slots splits at m = a + `Iterator.splitOffset(length:slots:)`;
    /// the right part is reversed first with f − 1 slots, the left part with f. The counts
    /// obey the same recursion; the chain of left parts is a loop (each left part has a
    /// smaller repetition number, so at most r(n, s) of them), right parts of equal length
    /// and budget are counted once, and two regimes have closed forms: no free slot
    /// (m = L − 1, L(L − 1)/2 advances) and f ≥ L − 2 (every state stored once).
    ///
    /// - Parameters:
    ///   - costModel: the prices for ``ScheduleStatistics/predictedTime``.
    ///   - workLimit: the most segment expansions to make before giving up (nil).
    /// - Returns: the counts, equal to the simulator's (predicted time up to rounding), or
    ///   nil when the recursion would exceed `workLimit` segment expansions or nest deeper
    ///   than 100 levels (then simulate, or refuse).
    /// - Throws: ``ScheduleError/overflow(quantity:steps:slots:)`` if a count exceeds `Int.max`.
    /// - Complexity: O(r·s) expansions for typical (n, s), bounded by `workLimit`; memory
    ///   O(distinct right parts).
    public func statistics(costModel: CostModel = CostModel(), workLimit: Int = 10_000_000) throws(ScheduleError) -> ScheduleStatistics? {
        _ = try BinomialCheckpointing.minimalAdvances(steps: steps, slots: slots)  // overflows first, at once
        var counter = RevolveCounter(steps: steps, slots: slots, workLimit: workLimit)
        guard let total = try counter.root() else { return nil }
        var statistics = ScheduleStatistics(steps: steps)
        statistics.recordingAdvances = steps - 1
        statistics.recomputationAdvances = total.advances - (steps - 1)
        statistics.reverses = total.reverses
        if total.stores > 0 {
            statistics.stores[level] = total.stores
            statistics.peakSlots[level] = total.peak
        }
        if total.restores > 0 { statistics.restores[level] = total.restores }
        // advances, stores, restores, reverses, endForward and endReverse.
        statistics.actions = try RevolveCounter.sum([total.advanceActions, total.stores, total.restores, total.reverses, 2], steps: steps, slots: slots)
        statistics.predictedTime = Double(total.advances) * costModel.advance + Double(total.reverses) * costModel.reverse
            + Double(total.stores) * costModel.writeCost(level) + Double(total.restores) * costModel.readCost(level)
        return statistics
    }
}

/// The counting recursion behind ``Revolve/statistics(costModel:workLimit:)``.
struct RevolveCounter {
    /// Counts for one segment; `peak` is the highest slot offset it stores above its own slot.
    struct Counts {
        var advances = 0, advanceActions = 0, stores = 0, restores = 0, reverses = 0, peak = 0
    }

    struct Key: Hashable { var length: Int, free: Int }

    let steps: Int
    let slots: Int
    var workLimit: Int
    var memo: [Key: Counts] = [:]
    var depth = 0

    init(steps: Int, slots: Int, workLimit: Int) {
        self.steps = steps
        self.slots = slots
        self.workLimit = workLimit
    }

    /// The whole schedule: x0 is stored in slot 0 unless n = 1.
    mutating func root() throws(ScheduleError) -> Counts? {
        if steps == 1 { return Counts(reverses: 1) }
        guard var counts = try segment(length: steps, free: Swift.min(slots, steps) - 1, current: true) else { return nil }
        counts.stores = try Self.sum([counts.stores, 1], steps: steps, slots: slots)
        counts.peak += 1
        return counts
    }

    /// A stored segment of `length` steps with `free` slots above its own; `current` when
    /// its first state is the current one (no restore needed to start).
    mutating func segment(length: Int, free: Int, current: Bool) throws(ScheduleError) -> Counts? {
        let restore = current ? 0 : 1
        if length == 1 { return Counts(restores: restore, reverses: 1) }
        if free >= length - 2 {
            // Repetition number 1: split at 1 every time, every state stored once.
            return Counts(advances: length - 1, advanceActions: length - 1, stores: length - 2, restores: restore + length - 1,
                          reverses: length, peak: length - 2)
        }
        if free == 0 {
            // One slot: advance from the stored state to each step in turn.
            let (half, odd) = length.isMultiple(of: 2) ? (length / 2, length - 1) : ((length - 1) / 2, length)
            let (advances, overflow) = half.multipliedReportingOverflow(by: odd)
            if overflow { throw .overflow(quantity: "advances", steps: steps, slots: slots) }
            return Counts(advances: advances, advanceActions: length - 1, restores: restore + length - 1, reverses: length)
        }
        if current, let known = memo[Key(length: length, free: free)] { return known }
        depth += 1
        defer { depth -= 1 }
        guard depth <= 100 else { return nil }
        var total = Counts(restores: restore)
        var rest = length
        while rest > 1 {
            workLimit -= 1
            guard workLimit >= 0 else { return nil }
            if rest < length { total.restores += 1 }  // a left part starts from its restored state
            let split = Revolve.Iterator.splitOffset(length: rest, slots: free + 1)
            total.advances = try Self.sum([total.advances, split], steps: steps, slots: slots)
            total.advanceActions += 1
            if rest - split > 1 {
                guard let right = try segment(length: rest - split, free: free - 1, current: true) else { return nil }
                total.stores += 1
                total = try add(total, right)
                total.peak = Swift.max(total.peak, 1 + right.peak)
            } else {
                total.reverses += 1
            }
            rest = split
        }
        // The last left part has one step: restore it (released) and reverse it.
        total.restores += 1
        total.reverses += 1
        if current { memo[Key(length: length, free: free)] = total }
        return total
    }

    func add(_ a: Counts, _ b: Counts) throws(ScheduleError) -> Counts {
        Counts(advances: try Self.sum([a.advances, b.advances], steps: steps, slots: slots),
               advanceActions: try Self.sum([a.advanceActions, b.advanceActions], steps: steps, slots: slots),
               stores: try Self.sum([a.stores, b.stores], steps: steps, slots: slots),
               restores: try Self.sum([a.restores, b.restores], steps: steps, slots: slots),
               reverses: try Self.sum([a.reverses, b.reverses], steps: steps, slots: slots), peak: a.peak)
    }

    static func sum(_ terms: [Int], steps: Int, slots: Int) throws(ScheduleError) -> Int {
        var total = 0
        for term in terms {
            let (next, overflow) = total.addingReportingOverflow(term)
            if overflow { throw .overflow(quantity: "the action count", steps: steps, slots: slots) }
            total = next
        }
        return total
    }
}
