import Testing
@testable import CheckpointSchedules

@Suite struct PeriodicTests {
    @Test func periodicPassesTheSimulator() throws {
        for n in 1...300 {
            for k in [1, 2, 3, 5, 10, 17, n] {
                let schedule = try Periodic(steps: n, period: k)
                let stats = try ScheduleSimulator.run(schedule)
                let k = schedule.period
                // Each segment but the last is recomputed once, up to its last state.
                let segments = (n + k - 1) / k
                let expectedRecompute = (segments - 1) * (k - 1)
                #expect(stats.reverses == n)
                #expect(stats.recordingAdvances == n - 1, "n = \(n), k = \(k)")
                #expect(stats.recomputationAdvances == expectedRecompute, "n = \(n), k = \(k)")
            }
        }
    }

    @Test func storeAllUsesNMinusOneSlotsAndNoRecomputation() throws {
        for n in 1...500 {
            let stats = try ScheduleSimulator.run(StoreAll(steps: n))
            #expect(stats.advances == n - 1)
            #expect(stats.recomputationAdvances == 0)
            #expect((stats.peakSlots[.memory] ?? 0) == max(0, n - 1))
        }
    }
}
