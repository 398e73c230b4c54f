import Testing
@testable import CheckpointSchedules

/// The pipelined schedule at a long n, streamed through the two-thread simulator, with the
/// generator's state bounded by the tree's depth and the live checkpoints rather than by n.
/// (A debug build walks a few hundred thousand actions a second, so this stays at n = 10⁵;
/// `rewind plan --threads 2 --steps 10000000` plans and simulates n = 10⁷ in release.)
@Suite struct PipelinedReversalScaleTests {
    @Test func aLongStreamHoldsStateBoundedByTheTreeNotByN() throws {
        let n = 100_000
        let schedule = try PipelinedReversal(steps: n, branching: [20, 8, 8, 8], handOffDepth: 8)
        #expect(schedule.states <= 100, "\(schedule)")
        var stream = schedule.makeIterator()
        var held = 0, reverses = 0, count = 0
        while let action = stream.next() {
            count += 1
            if case .reverse = action { reverses += 1 }
            if count % 1024 == 0 { held = Swift.max(held, stream.heldEntries) }
        }
        #expect(count == schedule.actionCount)
        #expect(reverses == n)
        // Path and cursors (D + 1 each), a slot per live checkpoint, freed indices below the
        // peak, a few queued actions: nothing grows with n.
        let depth = schedule.branching.count
        #expect(held <= 2 * (depth + 1) + 2 * schedule.peakSlots + 4, "\(held) entries held for \(schedule)")
        let report = try ParallelStreamSimulator.run(
            schedule, steps: n, slots: schedule.peakSlots, handOffDepth: schedule.handOffDepth, recomputingStates: schedule.states + 1)
        #expect(report.recordingAdvances == n - 1)
        #expect(report.recomputingAdvances == schedule.recomputationAdvances)
    }
}
