import Testing
@testable import CheckpointSchedules

/// The two-thread layout: segments partition the steps, every inner schedule is a legal
/// Revolve within its bank, the live checkpoints stay within the slots, and the advances
/// add up to the prediction.
@Suite struct ParallelReversalLayoutTests {
    @Test(arguments: 1...12)
    func everyLayoutFitsItsSlots(slots s: Int) throws {
        for n in 1...120 {
            let layout = try ParallelReversalLayout(steps: n, slots: s)
            #expect(layout.peakSlots <= s, "n = \(n), s = \(s): \(layout)")
            #expect(layout.segmentStarts.first == 0)
            var covered = 0
            var advances = layout.segmentStarts.last!
            for k in 0..<layout.segmentCount {
                let segment = layout.segment(k)
                #expect(segment.lowerBound == covered && !segment.isEmpty)
                covered = segment.upperBound
                let stats = try ScheduleSimulator.run(layout.innerSchedule(k))
                #expect((stats.peakSlots[.memory] ?? 0) <= layout.innerSlots)
                #expect(stats.reverses == segment.count)
                advances += stats.advances
            }
            #expect(covered == n)
            #expect(advances == (try layout.predictedAdvances), "n = \(n), s = \(s)")
            if s >= n { #expect(advances == n - 1, "every state stored: no recomputation") }
            if n >= 2, s >= 2, s < n { #expect(layout.segmentCount >= 2, "the threads overlap") }
        }
    }

    @Test func slotIndicesOfLiveCheckpointsNeverCollide() throws {
        // Top slots, and the two banks of consecutive segments, are disjoint index ranges.
        let layout = try ParallelReversalLayout(steps: 1000, slots: 20)
        let K = layout.segmentCount
        for k in 1..<K {
            let current = Set((0..<layout.innerSlots).map { layout.innerSlot($0, segment: k) })
            let next = Set((0..<layout.innerSlots).map { layout.innerSlot($0, segment: k - 1) })
            let tops = Set((0..<(K - 1)).map { layout.topSlot($0) })
            #expect(current.isDisjoint(with: next) && current.isDisjoint(with: tops) && next.isDisjoint(with: tops))
            #expect(current.union(next).union(tops).allSatisfy { $0 < layout.slotIndexCount })
        }
    }

    @Test func statesAreSharedByCheckpointsAndQueue() throws {
        for states in [2, 3, 8, 64, 128] {
            for n in [1, 5, 100, 10_000] {
                let layout = try ParallelReversalLayout(steps: n, states: states)
                #expect(layout.peakSlots + layout.handOffDepth <= states, "n = \(n), states = \(states): \(layout)")
                #expect(try layout.predictedReverseSweep() >= Double(n) * ParallelReversalLayout.defaultReverseCost)
            }
        }
        #expect(throws: ScheduleError.invalidSlotCount(1)) { try ParallelReversalLayout(steps: 10, states: 1) }
    }

    @Test func moreStatesNeverPredictASlowerSweep() throws {
        var previous = Double.infinity
        for states in [16, 32, 64, 128, 256] {
            let time = try ParallelReversalLayout(steps: 10_000, states: states).predictedReverseSweep()
            #expect(time <= previous + 1e-9, "states = \(states)")
            previous = time
        }
    }
}
