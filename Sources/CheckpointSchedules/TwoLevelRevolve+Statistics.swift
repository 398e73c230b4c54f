extension TwoLevelRevolve {
    /// What the ``ScheduleSimulator`` counts for this schedule, computed from the table's
    /// choices instead of playing the action stream, so that a two-level plan for 10⁷ steps
    /// is counted at once.
    ///
    /// ```swift
    /// let schedule = try TwoLevelRevolve(steps: 10_000_000, memorySlots: 993, diskSlots: nil, costModel: costs)
    /// let counted = try #require(schedule.statistics())  // same counts as ScheduleSimulator.run(schedule, …)
    /// ```
    ///
    /// Every segment the replay expands is a table cell (length, free slots, held levels)
    /// entered either current or to be restored, and its counts depend on nothing else: a
    /// restore (releasing its slot or not) then the cell entered current; a store then the
    /// same cell holding one more level; or an advance of j steps, then the right part
    /// (current, holding nothing), then the left part (to be restored). Each cell is counted
    /// once, in post-order on an explicit stack; the top-level disk segments of the disk-segment
    /// and periodic forms are counted from their cells, a run of equal segments by doubling. Peaks combine as running maxima of
    /// slots held beyond a segment's entry, so ``ScheduleStatistics/peakSlots`` is exact too.
    ///
    /// - Parameter costModel: the prices for ``ScheduleStatistics/predictedTime`` (by default
    ///   the schedule's own).
    /// - Returns: the counts, equal to the simulator's (predicted time up to rounding), or
    ///   nil for the hierarchical and multistage forms (simulate them) and when a count
    ///   exceeds `Int.max`.
    /// - Complexity: O(table cells reached + top-level segments) time and memory (a periodic
    /// form's segments in O(log n)), which the
    ///   work limit the schedule was built with already bounds; memory revolve is counted
    ///   by ``Revolve/statistics(costModel:workLimit:)``.
    public func statistics(costModel: CostModel? = nil) -> ScheduleStatistics? {
        let costs = costModel ?? self.costModel
        switch source {
        case let .revolve(revolve):
            return (try? revolve.statistics(costModel: costs, workLimit: 10 * Revolve.defaultStatisticsWorkLimit)) ?? nil
        case .hierarchical, .multistage:
            return nil
        case let .table(table, segments, segmentDiskFree, tailFree):
            var counter = TwoLevelTableCounter(table: table)
            var total = TwoLevelTableCounter.Counts()
            let runs = TwoLevelTableCounter.runs(segments, segmentDiskFree)
            for run in runs {
                // Record: store each segment's first state on disk, advance over it.
                guard let record = TwoLevelTableCounter.Counts.store(level: 1).then(.advance(run.length))?.repeated(run.count),
                      let next = total.then(record) else { return nil }
                total = next
            }
            let tail = TwoLevelTableCounter.State(length: steps - segments.reduce(0, +), free: tailFree, held: 0, isCurrent: true)
            guard steps - segments.reduce(0, +) >= 1, let tailCounts = counter.counts(tail), let afterTail = total.then(tailCounts) else {
                return nil
            }
            total = afterTail
            // The segments are reversed last first, each from its disk checkpoint.
            for run in runs.reversed() {
                let state = TwoLevelTableCounter.State(length: run.length, free: [tailFree[0], run.diskFree], held: TwoLevelRevolve.diskHeld, isCurrent: false)
                guard let segment = counter.counts(state)?.repeated(run.count), let next = total.then(segment) else { return nil }
                total = next
            }
            return total.statistics(steps: steps, costModel: costs)
        }
    }
}

/// Counts a ``TwoLevelCostTable``'s replay cell by cell: see ``TwoLevelRevolve/statistics(costModel:)``.
struct TwoLevelTableCounter {
    /// A segment as the replay sees it: its cell and whether x₀ is current.
    struct State {
        var length: Int
        var free: [Int]
        var held: Int
        var isCurrent: Bool
    }

    /// The counts of a stretch of actions; per level (memory, disk): stores, restores, the
    /// net change of slots held and the peak of slots held beyond the stretch's start.
    struct Counts {
        var advances = 0, advanceActions = 0, reverses = 0
        var stores = SIMD2<Int>(), restores = SIMD2<Int>(), net = SIMD2<Int>(), peak = SIMD2<Int>()

        static func store(level: Int) -> Counts {
            var c = Counts()
            c.stores[level] = 1
            c.net[level] = 1
            c.peak[level] = 1
            return c
        }

        static func restore(level: Int, release: Bool) -> Counts {
            var c = Counts()
            c.restores[level] = 1
            c.net[level] = release ? -1 : 0
            return c
        }

        static func advance(_ steps: Int) -> Counts { Counts(advances: steps, advanceActions: 1) }

        static let reverse = Counts(reverses: 1)

        /// These actions followed by `next`'s; nil when a count overflows.
        func then(_ next: Counts) -> Counts? {
            var c = Counts()
            var overflow = false
            func add(_ a: Int, _ b: Int) -> Int {
                let (sum, o) = a.addingReportingOverflow(b)
                overflow = overflow || o
                return sum
            }
            c.advances = add(advances, next.advances)
            c.advanceActions = add(advanceActions, next.advanceActions)
            c.reverses = add(reverses, next.reverses)
            for l in 0..<2 {
                c.stores[l] = add(stores[l], next.stores[l])
                c.restores[l] = add(restores[l], next.restores[l])
                c.net[l] = add(net[l], next.net[l])
                c.peak[l] = Swift.max(peak[l], add(net[l], next.peak[l]))
            }
            return overflow ? nil : c
        }

        /// These actions `k` times in a row (k ≥ 1), by doubling: O(log k); nil on overflow.
        func repeated(_ k: Int) -> Counts? {
            var result: Counts?
            var power = self
            var k = k
            while k > 0 {
                if k & 1 == 1 {
                    guard let next = result.map({ $0.then(power) }) ?? power else { return nil }
                    result = next
                }
                k >>= 1
                if k > 0 {
                    guard let doubled = power.then(power) else { return nil }
                    power = doubled
                }
            }
            return result
        }

        /// The simulator's statistics for a whole stream with these counts.
        func statistics(steps: Int, costModel: CostModel) -> ScheduleStatistics? {
            var s = ScheduleStatistics(steps: steps)
            s.recordingAdvances = steps - 1  // before the first reverse the replay only advances and stores
            s.recomputationAdvances = advances - (steps - 1)
            s.reverses = reverses
            var time = Double(advances) * costModel.advance + Double(reverses) * costModel.reverse
            for (l, level) in TwoLevelCostTable.levels.enumerated() {
                if stores[l] > 0 { s.stores[level] = stores[l] }
                if restores[l] > 0 { s.restores[level] = restores[l] }
                if peak[l] > 0 { s.peakSlots[level] = peak[l] }
                time += Double(stores[l]) * costModel.writeCost(level) + Double(restores[l]) * costModel.readCost(level)
            }
            s.predictedTime = time
            // Advances, stores, restores, reverses, endForward and endReverse.
            let (actions, overflow) = (advanceActions + reverses).addingReportingOverflow(stores.wrappedSum() + restores.wrappedSum() + 2)
            guard !overflow else { return nil }
            s.actions = actions
            return s
        }
    }

    /// Consecutive top-level segments of equal length and free disk slots, counted once
    /// per run (a periodic schedule's segments are one run).
    static func runs(_ lengths: [Int], _ diskFree: [Int]) -> [(length: Int, diskFree: Int, count: Int)] {
        var runs: [(length: Int, diskFree: Int, count: Int)] = []
        for (length, free) in zip(lengths, diskFree) {
            if let last = runs.last, last.length == length, last.diskFree == free {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((length, free, 1))
            }
        }
        return runs
    }

    let table: TwoLevelCostTable
    /// Counted cells: index · 2 + (current ? 1 : 0).
    var memo: [Int: Counts] = [:]

    init(table: TwoLevelCostTable) { self.table = table }

    func key(_ state: State) -> Int {
        table.index(length: state.length, free: state.free, held: state.held) * 2 + (state.isCurrent ? 1 : 0)
    }

    /// What the replay does first in `state`, and the states that follow, in order.
    func expansion(_ state: State) -> (first: Counts, then: [State]) {
        var next = state
        if !state.isCurrent {
            let choice = table.restoreChoice[table.index(length: state.length, free: state.free, held: state.held)]
            guard let (level, release) = TwoLevelCostTable.Choice.restored(choice) else {
                preconditionFailure("no finite restore for a segment of \(state.length) steps, held \(state.held)")
            }
            if release {
                next.held &= ~(1 << level)
                if table.capacities[level] != nil { next.free[level] += 1 }
            }
            next.isCurrent = true
            return (.restore(level: level, release: release), [next])
        }
        let choice = table.currentChoice[table.index(length: state.length, free: state.free, held: state.held)]
        if choice == TwoLevelCostTable.Choice.reverse { return (.reverse, []) }
        if let level = TwoLevelCostTable.Choice.storedLevel(choice) {
            next.held |= 1 << level
            if table.capacities[level] != nil { next.free[level] -= 1 }
            return (.store(level: level), [next])
        }
        precondition(choice > 0, "no finite schedule for a segment of \(state.length) steps, held \(state.held)")
        let j = Int(choice)
        let right = State(length: state.length - j, free: state.free, held: 0, isCurrent: true)
        let left = State(length: j, free: state.free, held: state.held, isCurrent: false)
        return (.advance(j), [right, left])
    }

    /// The counts of `root`'s whole replay; nil when a count overflows.
    mutating func counts(_ root: State) -> Counts? {
        var stack = [root]
        while let state = stack.last {
            if memo[key(state)] != nil {
                stack.removeLast()
                continue
            }
            let (first, followers) = expansion(state)
            let missing = followers.filter { memo[key($0)] == nil }
            if !missing.isEmpty {
                stack.append(contentsOf: missing)
                continue
            }
            var total = first
            for follower in followers {
                guard let next = total.then(memo[key(follower)]!) else { return nil }
                total = next
            }
            memo[key(state)] = total
            stack.removeLast()
        }
        return memo[key(root)]
    }
}
