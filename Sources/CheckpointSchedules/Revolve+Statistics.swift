extension Revolve {
    /// The default bound on ``statistics(costModel:workLimit:)``'s segment expansions:
    /// cheap enough for a planner that prices many candidates.
    public static let defaultStatisticsWorkLimit = 100_000

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
    ///   - workLimit: the most segment expansions to make before giving up (nil); the
    ///     default, 10⁵, is cheap enough for planners that price many candidates; the CLI
    ///     passes 10⁶ (about a second in a debug build, at most about 100 MB).
    /// - Returns: the counts, equal to the simulator's (predicted time up to rounding), or
    ///   nil when the recursion would exceed `workLimit` segment expansions (then simulate,
    ///   or refuse). The recursion runs on an explicit stack, so no depth is refused.
    /// - Throws: ``ScheduleError/overflow(quantity:steps:slots:)`` if a count exceeds `Int.max`.
    /// - Complexity: O(r·s) expansions for typical (n, s), bounded by `workLimit`; memory
    ///   O(distinct right parts), at most about 100 bytes per expansion.
    public func statistics(costModel: CostModel = CostModel(), workLimit: Int = Revolve.defaultStatisticsWorkLimit) throws(ScheduleError) -> ScheduleStatistics? {
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
    ///
    /// Iterative: nested right parts go on an explicit stack (one frame per level of nesting,
    /// at most `free` of them), so no input overflows the call stack; every frame costs one
    /// unit of `workLimit` per split, so memory and time stay within it.
    mutating func segment(length: Int, free: Int, current: Bool) throws(ScheduleError) -> Counts? {
        let restore = current ? 0 : 1
        if var known = try known(length: length, free: free) {
            known.restores += restore
            return known
        }
        var stack = [Frame(length: length, free: free)]
        var finished: Counts?
        while !stack.isEmpty {
            let top = stack.count - 1
            if let right = finished {
                // The right part pushed by the top frame is done: add it, go on with the left.
                try stack[top].addRight(right, counter: self)
                finished = nil
            }
            let frame = stack[top]
            guard frame.rest > 1 else {
                // The last left part has one step: restore it (released) and reverse it.
                var total = frame.total
                total.restores += 1
                total.reverses += 1
                memo[Key(length: frame.length, free: frame.free)] = total
                stack.removeLast()
                finished = total
                continue
            }
            workLimit -= 1
            guard workLimit >= 0 else { return nil }
            if frame.rest < frame.length { stack[top].total.restores += 1 }  // a left part starts from its restored state
            let split = Revolve.Iterator.splitOffset(length: frame.rest, slots: frame.free + 1)
            stack[top].total.advances = try Self.sum([frame.total.advances, split], steps: steps, slots: slots)
            stack[top].total.advanceActions += 1
            stack[top].split = split
            let rightLength = frame.rest - split
            if rightLength > 1 {
                if let right = try known(length: rightLength, free: frame.free - 1) {
                    try stack[top].addRight(right, counter: self)
                } else {
                    stack.append(Frame(length: rightLength, free: frame.free - 1))
                }
            } else {
                stack[top].total.reverses += 1
                stack[top].rest = split
            }
        }
        guard var total = finished else { return nil }
        total.restores += restore
        return total
    }

    /// The counts of a current segment without expanding it: the closed-form regimes and
    /// segments counted before; nil when it must be expanded.
    func known(length: Int, free: Int) throws(ScheduleError) -> Counts? {
        if length == 1 { return Counts(reverses: 1) }
        if free >= length - 2 {
            // Repetition number 1: split at 1 every time, every state stored once.
            return Counts(advances: length - 1, advanceActions: length - 1, stores: length - 2, restores: length - 1,
                          reverses: length, peak: length - 2)
        }
        if free == 0 {
            // One slot: advance from the stored state to each step in turn.
            let (half, odd) = length.isMultiple(of: 2) ? (length / 2, length - 1) : ((length - 1) / 2, length)
            let (advances, overflow) = half.multipliedReportingOverflow(by: odd)
            if overflow { throw .overflow(quantity: "advances", steps: steps, slots: slots) }
            return Counts(advances: advances, advanceActions: length - 1, restores: length - 1, reverses: length)
        }
        return memo[Key(length: length, free: free)]
    }

    /// A segment being expanded: the left parts still to split (`rest` steps from its start)
    /// and the counts so far; `split` is where the current right part starts.
    struct Frame {
        var length: Int, free: Int, rest: Int, split = 0
        var total = Counts()

        init(length: Int, free: Int) {
            self.length = length
            self.free = free
            rest = length
        }

        /// Adds the right part after `split` (stored first, then reversed), and moves on to the left part.
        mutating func addRight(_ right: Counts, counter: RevolveCounter) throws(ScheduleError) {
            let peak = Swift.max(total.peak, 1 + right.peak)
            total = try counter.add(total, right)
            total.stores += 1
            total.peak = peak
            rest = split
        }
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
