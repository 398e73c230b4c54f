import Foundation
import CheckpointSchedules
import ScheduleInspector
import Testing

/// Revolve's counts from the split recursion equal the simulator's, so `rewind stats`
/// may answer revolve in closed form for any n.
@Suite struct RevolveStatisticsTests {
    @Test func closedFormEqualsTheSimulatorOnAGrid() throws {
        let costs = CostModel(advance: 1, reverse: 3, write: [.memory: 2], read: [.memory: 5])
        for n in [1, 2, 3, 4, 5, 7, 10, 11, 20, 33, 50, 64, 100, 127, 300, 1000] {
            for s in [1, 2, 3, 4, 5, 7, 10, 20, 60, 200, 2000] {
                let revolve = try Revolve(steps: n, slots: s)
                let simulated = try ScheduleSimulator.run(revolve, costModel: costs)
                let counted = try #require(try revolve.statistics(costModel: costs))
                #expect(counted.recordingAdvances == simulated.recordingAdvances && counted.recomputationAdvances == simulated.recomputationAdvances
                    && counted.reverses == simulated.reverses && counted.stores == simulated.stores && counted.restores == simulated.restores
                    && counted.peakSlots == simulated.peakSlots && counted.actions == simulated.actions
                    && counted.predictedTime == simulated.predictedTime, "n = \(n), s = \(s): \(counted) ≠ \(simulated)")
            }
        }
    }

    @Test func aTrillionStepsAnswerAtOnceWithTheOptimum() throws {
        let n = 1_000_000_000_000
        let s = try #require(try Revolve(steps: n, slots: 10).statistics())
        #expect(s.advances == (try BinomialCheckpointing.minimalAdvances(steps: n, slots: 10)))
        #expect(s.reverses == n && s.peakSlots[.memory] == 10)
        let report = try ScheduleReport(ScheduleRequest(kind: .revolve, steps: n, slots: 10))
        #expect(report.statistics.advances == report.optimalAdvances)
    }

    @Test func countsBeyondIntMaxAreAnOverflowError() {
        #expect(throws: InspectorError.self) { try ScheduleReport(ScheduleRequest(kind: .revolve, steps: Int.max, slots: 10)) }
        #expect(throws: InspectorError.self) { try ScheduleReport(ScheduleRequest(kind: .revolve, steps: Int.max, slots: Int.max)) }
    }
}

/// Work past a limit is refused before it starts, with the limit and the option that lifts it.
@Suite struct WorkLimitTests {
    @Test func simulatingPastMaxActionsIsRefused() {
        #expect(throws: InspectorError.tooMuchWork(what: "enumerating a schedule for 1000 steps", estimate: 1002, unit: "actions", limit: 1000,
                                                   option: "--max-actions")) {
            try ScheduleReport(ScheduleRequest(kind: .periodic, steps: 1000, slots: 100), maxActions: 1000)
        }
        #expect(throws: InspectorError.self) { try ScheduleComparison(steps: 1000, slots: 10, maxActions: 1000) }
        #expect(throws: Never.self) { try ScheduleComparison(steps: 1_000_000_000_000, slots: 10, kinds: [.revolve], maxActions: 1000) }
    }

    @Test func aHugeTableIsRefusedWithTheOption() {
        #expect {
            try RepetitionTable(maxSlots: 100_000, maxRepetitions: 100_000, maxCells: 1_000_000)
        } throws: { error in
            "\(error)" == "a table of 100000 × 100000 means at least 10000000000 cells, more than the limit of 1000000; "
                + "pass --max-cells 10000000000 to allow it, or ask for less"
        }
        #expect(throws: InspectorError.self) { try RepetitionTable(maxSlots: Int.max, maxRepetitions: 2, maxCells: 1_000_000) }
    }
}

extension EndToEndTests {
    @Test(arguments: [
        (["stats", "--schedule", "periodic", "--steps", "1000000000000", "--slots", "10000000"], "--max-actions"),
        (["schedule", "--steps", "9223372036854775807", "--slots", "10"], "--max-actions"),
        (["compare", "--steps", "1000000000000", "--slots", "10"], "--max-actions"),
        (["plot", "--steps", "1000000000", "--slots", "10"], "--max-actions"),
        (["plan", "--steps", "1000000000", "--state-size", "1KB", "--memory", "2TB"], "--max-actions"),
        (["table", "--max-slots", "100000", "--max-repetitions", "100000"], "--max-cells"),
    ])
    func hugeInputsAreRefusedInOneLine(_ arguments: [String], _ option: String) throws {
        let run = try rewind(arguments)
        #expect(run.status == 1 && run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("rewind: error: ") && run.stderr.contains("pass \(option) ") && run.stderr.filter { $0 == "\n" }.count == 1,
                "\(run.stderr)")
    }

    @Test func revolveStatsForATrillionStepsAnswerAtOnce() throws {
        let run = try rewind("stats", "--steps", "1000000000000", "--slots", "10", "--format", "json")
        #expect(run.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["advances"] as? Int == object["optimalAdvances"] as? Int)
        #expect(object["reverses"] as? Int == 1_000_000_000_000)
    }
}
