import Testing
@testable import CheckpointSchedules
import RewindTestSupport

/// ``TwoLevelRevolve/statistics(costModel:)`` counts the table's cells instead of playing the
/// stream: every count, peak and the predicted time equal the simulator's, for the exact
/// table and for the scalable forms with top-level disk segments.
@Suite struct TwoLevelRevolveStatisticsTests {
    static func expectEqual(_ schedule: TwoLevelRevolve, _ costs: CostModel, _ label: String) throws {
        let simulated = try ScheduleSimulator.run(schedule, costModel: costs)
        switch schedule.method {
        case .hierarchical, .multistage:
            #expect(schedule.statistics(costModel: costs) == nil, "\(label): \(schedule.method) is not counted")
            return
        default: break
        }
        let counted = try #require(schedule.statistics(costModel: costs), "\(label): \(schedule.method)")
        #expect(counted.recordingAdvances == simulated.recordingAdvances && counted.recomputationAdvances == simulated.recomputationAdvances
            && counted.reverses == simulated.reverses && counted.stores == simulated.stores && counted.restores == simulated.restores
            && counted.peakSlots == simulated.peakSlots && counted.actions == simulated.actions,
            "\(label), \(schedule.method): \(counted) ≠ \(simulated)")
        #expect(abs(counted.predictedTime - simulated.predictedTime) <= 1e-9 * simulated.predictedTime, "\(label)")
    }

    @Test func exactTablesCountAsTheSimulatorPlays() throws {
        let models = [
            CostModel(advance: 1, reverse: 2, write: [.disk: 5], read: [.disk: 5]),
            CostModel(advance: 2, reverse: 3, write: [.memory: 1, .disk: 4], read: [.memory: 1, .disk: 1]),
            CostModel(advance: 0.7, reverse: 1.3, write: [.disk: 0.2], read: [.disk: 9.5]),
        ]
        for (m, costs) in models.enumerated() {
            for n in [1, 2, 3, 5, 8, 13, 40, 97] {
                for memory in [0, 1, 2, 4] {
                    for disk in [nil, 0, 1, 3, 10] as [Int?] where memory + (disk ?? 1) >= 1 || n == 1 {
                        let schedule = try TwoLevelRevolve(steps: n, memorySlots: memory, diskSlots: disk, costModel: costs)
                        try Self.expectEqual(schedule, costs, "model \(m), n = \(n), s_m = \(memory), s_d = \(disk.map(String.init) ?? "∞")")
                    }
                }
            }
        }
    }

    /// Past the work limit: disk segments and periodic disk-revolve (top-level segments),
    /// memory revolve; hierarchical and multistage are left to the simulator.
    @Test func scalableFormsCountAsTheSimulatorPlays() throws {
        var generator = SplitMix64(seed: 15)
        var methods: Set<String> = []
        for trial in 0..<30 {
            let n = Int(generator.next() % 3000) + 200
            let memory = Int(generator.next() % 6)
            let disk: Int? = generator.next() % 3 == 0 ? nil : Int(generator.next() % 40) + (memory == 0 ? 1 : 0)
            let costs = CostModel(advance: 1, reverse: Double(generator.next() % 4), write: [.disk: Double(generator.next() % 20)],
                                  read: [.disk: Double(generator.next() % 20)])
            let schedule = try TwoLevelRevolve.scalable(steps: n, memorySlots: memory, diskSlots: disk, costModel: costs, workLimit: 2_000_000)
            methods.insert("\(schedule.method)".components(separatedBy: "(").first ?? "")
            try Self.expectEqual(schedule, costs, "seed 15, trial \(trial): n = \(n), s_m = \(memory), s_d = \(disk.map(String.init) ?? "∞")")
        }
        #expect(methods.count >= 2, "forms met: \(methods)")
    }

    /// The planner's periodic answer for ten million steps is counted in well under a second
    /// of table work (the simulator would play 4·10⁷ actions).
    @Test func tenMillionStepsAreCountedWithoutPlaying() throws {
        let costs = CostModel(advance: 0.001, reverse: 0.003, write: [.disk: 0.00205], read: [.disk: 0.00103])
        let schedule = try TwoLevelRevolve(steps: 10_000_000, memorySlots: 50, diskSlots: nil, costModel: costs, workLimit: 20_000_000)
        let counted = try #require(schedule.statistics())
        #expect(counted.reverses == 10_000_000 && counted.recordingAdvances == 9_999_999)
        #expect(abs(counted.predictedTime - schedule.predictedTime) <= 1e-9 * schedule.predictedTime)
        #expect((counted.peakSlots[.memory] ?? 0) <= 50)
    }
}

/// Revolve's counting recursion runs on an explicit stack: nesting past 100 levels (the old
/// recursion's cut-off) is counted, and the work limit bounds time and memory.
@Suite struct RevolveCounterDepthTests {
    @Test func deepNestingEqualsTheSimulator() throws {
        for (n, s) in [(40_000, 150), (30_000, 300), (20_011, 1_000), (5_000, 2_400)] {
            let revolve = try Revolve(steps: n, slots: s)
            let simulated = try ScheduleSimulator.run(revolve)
            let counted = try #require(try revolve.statistics(), "n = \(n), s = \(s)")
            #expect(counted == simulated, "n = \(n), s = \(s)")
        }
    }

    @Test func theWorkLimitIsHonoured() throws {
        let revolve = try Revolve(steps: 1_000_000_000_000, slots: 1_000_000)
        #expect(try revolve.statistics(workLimit: 1_000) == nil)
        let small = try Revolve(steps: 1_000_000_000_000, slots: 10)
        #expect(try small.statistics(workLimit: 100_000) != nil)
    }
}
