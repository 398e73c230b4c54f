import Testing
@testable import CheckpointSchedules

@Suite struct MultistageRevolveTests {
    @Test func revolveAdvancesWithSlotsSplitAcrossLevels() throws {
        let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 4], read: [.disk: 4])
        for n in [1, 2, 5, 30, 100, 317] {
            for (m, d) in [(1, 0), (0, 2), (1, 1), (2, 3), (3, 8)] where m + d >= 1 {
                let schedule = try MultistageRevolve(steps: n, memorySlots: m, diskSlots: d)
                let stats = try ScheduleSimulator.run(schedule, costModel: costs)
                #expect(stats.advances == (try BinomialCheckpointing.minimalAdvances(steps: n, slots: m + d)), "n = \(n), \(m) + \(d)")
                #expect((stats.peakSlots[.memory] ?? 0) <= m && (stats.peakSlots[.disk] ?? 0) <= d)
                // The optimal two-level schedule is never slower (it can also leave slots unused).
                let optimum = try TwoLevelRevolve(steps: n, memorySlots: m, diskSlots: d, costModel: costs)
                #expect(optimum.predictedTime <= stats.predictedTime, "n = \(n), \(m) + \(d)")
            }
        }
    }

    @Test func busiestSlotsStayInMemory() throws {
        let schedule = try MultistageRevolve(steps: 200, memorySlots: 2, diskSlots: 4)
        var counts = [StorageLevel: Int]()
        for action in schedule {
            if case let .restore(_, level, _, _) = action { counts[level, default: 0] += 1 }
            if case let .store(_, level, _) = action { counts[level, default: 0] += 1 }
        }
        // Two memory slots carry more traffic per slot than four disk slots.
        #expect(Double(counts[.memory]!) / 2 >= Double(counts[.disk]!) / 4)
        #expect(throws: ScheduleError.self) { try MultistageRevolve(steps: 10, memorySlots: 0, diskSlots: 0) }
    }
}
