import Testing
@testable import CheckpointSchedules
import RewindTestSupport

/// The reversal from an arbitrary layout: legal, and as cheap as the closed form says.
@Suite struct OnlineReversalTests {
    /// Random layouts (seeded), played as a recording sweep that stores them, then reversed.
    @Test func randomLayoutsReverseAtTheClosedFormCost() throws {
        var generator = SplitMix64(seed: 5)
        for trial in 0..<400 {
            let n = Int(generator.next() % 300) + 1
            let s = Int(generator.next() % 12) + 1
            var steps = [0]
            for i in 1..<n where steps.count < s && generator.next() % 4 == 0 { steps.append(i) }
            var layout = OnlineCheckpointLayout(capacity: s)
            var slots = Array(0..<s)
            // Slots in a shuffled order, so the reversal must use whatever is free.
            slots.shuffle(using: &generator)
            var actions: [CheckpointAction] = []
            var current = 0
            for (j, step) in steps.enumerated() {
                if step > current { actions.append(.advance(from: current, to: step)); current = step }
                actions.append(.store(step: step, level: .memory, slot: slots[j]))
                layout.append(step: step, slot: slots[j])
            }
            if current < n - 1 { actions.append(.advance(from: current, to: n - 1)) }
            actions.append(contentsOf: OnlineReversal(steps: n, layout: layout, slots: s, level: .memory))
            let stats = try ScheduleSimulator.run(actions, steps: n, capacities: [.memory: s])
            #expect(stats.advances == layout.simulatedAdvances(steps: n), "trial \(trial) (seed 5): n = \(n), s = \(s), layout \(steps)")
            #expect(stats.reverses == n)
        }
    }

    @Test func fullLayoutIsStoreAll() throws {
        // Every state stored: no recomputation, n − 1 simulated advances.
        var layout = OnlineCheckpointLayout(capacity: 10)
        for i in 0..<10 { layout.append(step: i, slot: 9 - i) }
        #expect(layout.simulatedAdvances(steps: 10) == 9)
        let actions = Array(OnlineReversal(steps: 10, layout: layout, slots: 10, level: .memory))
        #expect(actions.prefix(3) == [.endForward, .restore(step: 9, level: .memory, slot: 0, release: true), .reverse(step: 9)])
    }

    @Test func onlyX0IsTheQuadraticSchedule() throws {
        // One slot: every step is recomputed from x0, t(n − 1, 1) = (n − 1)(n − 2)/2 more advances.
        var layout = OnlineCheckpointLayout(capacity: 1)
        layout.append(step: 0, slot: 0)
        for n in 1...30 { #expect(layout.simulatedAdvances(steps: n) == (n - 1) + (n - 1) * (n - 2) / 2) }
    }
}
