import CheckpointSchedules
import Foundation
import Testing
@testable import ScheduleInspector

@Suite struct PlanReportTests {
    /// 200 steps of 1 MB; memory for 5 slots after 7 reserved states; a 1 GB disk.
    static let problem = PlanningProblem(
        steps: 200, stateSize: .megabytes(1), memory: .megabytes(12), disk: .gigabytes(1),
        advanceTime: 0.001, reverseTime: 0.003, reservedStates: 7)

    @Test func decisionIsSimulatedAndBeatsEveryAlternative() throws {
        let report = try PlanReport(Self.problem)
        let decision = report.plan.decision
        #expect(decision.memory.slots == 5)
        // The simulator's time under the plan's prices equals the planner's prediction.
        let predicted = try #require(decision.predictedTime)
        #expect(abs(report.statistics.predictedTime - predicted) <= 1e-9 * predicted)
        #expect(report.statistics.reverses == 200)
        for alternative in report.plan.alternatives {
            if let time = alternative.predictedTime { #expect(time >= predicted * (1 - 1e-9)) }
        }
        // Memory-only revolve with 5 slots is one of the alternatives, priced at t(200, 5).
        let t = try BinomialCheckpointing.minimalAdvances(steps: 200, slots: 5)
        #expect(report.plan.alternatives.contains { $0.strategy == .revolve && abs(($0.predictedTime ?? 0) - (Double(t) * 0.001 + 0.6)) < 1e-9 }
            || (decision.strategy == .revolve && abs(predicted - (Double(t) * 0.001 + 0.6)) < 1e-9))
    }

    @Test func formats() throws {
        let report = try PlanReport(Self.problem)
        let text = report.rendered(as: .text)
        #expect(text.hasPrefix("plan for 200 steps of 1 MB each: memory 12 MB, disk 1 GB (write 50 µs + b / 500 MB/s, read 30 µs + b / 1 GB/s), "
            + "advance 1 ms, reverse 3 ms\ndecision: "))
        #expect(text.contains("\nalternatives:\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any])
        #expect((object["problem"] as? [String: Any])?["stateSize"] as? Int == 1_000_000)
        #expect((object["simulated"] as? [String: Any])?["reverses"] as? Int == 200)
        #expect((object["alternatives"] as? [Any])?.count == report.plan.alternatives.count)
        let csv = report.rendered(as: .csv).split(separator: "\n")
        #expect(csv.count == 2 + report.plan.alternatives.count && csv[1].hasPrefix("yes,"))
    }

    @Test func aStateThatDoesNotFitSaysHowMuchIsNeeded() {
        let problem = PlanningProblem(steps: 100, stateSize: .megabytes(64), memory: .megabytes(100), advanceTime: 0.001, reverseTime: 0.003, reservedStates: 7)
        #expect {
            try PlanReport(problem)
        } throws: { error in
            let text = "\(error)"
            return text.contains("give at least 512 MB of memory") && !text.contains("\n")
        }
    }
}

@Suite struct PlanReportGoldenTests {
    /// Ten states of 1 MB fit in 20 MB beside 7 working states: store every state.
    static let roomy = PlanningProblem(steps: 10, stateSize: .megabytes(1), memory: .megabytes(20), advanceTime: 0.001, reverseTime: 0.003, reservedStates: 7)

    @Test func textGolden() throws {
        #expect(try PlanReport(Self.roomy).rendered(as: .text) == """
            plan for 10 steps of 1 MB each: memory 20 MB, no disk, advance 1 ms, reverse 3 ms
            decision: store-all, 13 memory slots (identity)
              predicted time 39 ms (simulated 39 ms), memory 16 MB (7 reserved working states included), disk 0 B
              advances 9 (recomputation 0), reverses 10, memory stores 9, restores 9
              n − 1 = 9 advances: every state fits

            alternatives:
              none
            """)
    }

    @Test func jsonGolden() throws {
        #expect(try PlanReport(Self.roomy).rendered(as: .json) == """
            {
              "problem": {
                "steps": 10,
                "stateSize": 1000000,
                "memory": 20000000,
                "disk": null,
                "advanceTime": 0.001,
                "reverseTime": 0.003,
                "diskWriteBandwidth": 500000000,
                "diskReadBandwidth": 1000000000,
                "diskWriteLatency": 5e-05,
                "diskReadLatency": 3e-05,
                "codecs": [],
                "reservedStates": 7
              },
              "decision": {
                "strategy": "store-all",
                "memory": {
                  "slots": 13,
                  "codec": "identity",
                  "bytesPerSlot": 1000000,
                  "writeTime": 0,
                  "readTime": 0
                },
                "disk": null,
                "predictedTime": 0.039,
                "predictedMemory": 16000000,
                "predictedDisk": 0,
                "period": null,
                "note": "n − 1 = 9 advances: every state fits"
              },
              "simulated": {
                "advances": 9,
                "recomputationAdvances": 0,
                "reverses": 10,
                "stores": {
                  "memory": 9
                },
                "restores": {
                  "memory": 9
                },
                "predictedTime": 0.039
              },
              "alternatives": []
            }
            """)
    }
}

/// The planner and the report's simulation stay bounded at any size.
@Suite struct PlanReportWorkTests {
    static func problem(steps: Int, disk: ByteCount?) -> PlanningProblem {
        PlanningProblem(steps: steps, stateSize: .megabytes(1), memory: .megabytes(100), disk: disk,
                        advanceTime: 0.001, reverseTime: 0.003, reservedStates: 7)
    }

    @Test func aRevolveDecisionIsCountedInClosedFormForAnyN() throws {
        let n = 1_000_000_000_000
        let report = try PlanReport(Self.problem(steps: n, disk: nil), maxActions: 1000)
        #expect(report.plan.decision.strategy == .revolve && report.isClosedForm)
        let slots = report.plan.decision.memory.slots
        #expect(report.statistics.advances == (try BinomialCheckpointing.minimalAdvances(steps: n, slots: slots)))
        #expect(report.statistics.reverses == n)
        #expect(report.rendered(as: .text).contains("(counted "))
    }

    @Test func aSimulationPastTheLimitIsRefusedUpFrontNamingTheOption() {
        #expect {
            // Store-all (every 1 kB state fits): simulated, so refused before it starts.
            try PlanReport(Self.storeAllProblem(steps: 99_000_000), maxActions: 100_000_000)
        } throws: { error in
            let text = "\(error)"
            return text.contains("at least 198000001 actions") && text.contains("--max-actions 198000001")
        }
    }

    @Test(arguments: [Int.max, Int.max - 1, 1 << 62])
    func hugeStepCountsAreRefusedNotCrashed(steps: Int) {
        #expect(throws: InspectorError.self) { try PlanReport(Self.problem(steps: steps, disk: ByteCount(100_000_000_000_000)), maxActions: 100_000_000) }
    }

    /// A problem whose states all fit in memory: the decision is store-all, which is simulated.
    static func storeAllProblem(steps: Int) -> PlanningProblem {
        PlanningProblem(steps: steps, stateSize: .kilobytes(1), memory: .gigabytes(200), disk: nil,
                        advanceTime: 0.001, reverseTime: 0.003, reservedStates: 7)
    }

    /// A two-level decision is counted from its table, equal to the simulation, at once.
    @Test func aTwoLevelDecisionIsCountedFromItsTable() throws {
        let report = try PlanReport(Self.problem(steps: 40_000, disk: ByteCount(100_000_000_000_000)), maxActions: 1000)
        #expect(report.plan.decision.strategy == .twoLevel && report.isClosedForm)
        let schedule = try report.plan.decision.makeSchedule(steps: 40_000)
        let simulated = try PlanReport.simulate(schedule, costModel: report.plan.decision.costModel, maxActions: .max, progress: nil)
        #expect(report.statistics.advances == simulated.advances && report.statistics.stores == simulated.stores
            && report.statistics.restores == simulated.restores && report.statistics.peakSlots == simulated.peakSlots)
        #expect(abs(report.statistics.predictedTime - simulated.predictedTime) <= 1e-9 * simulated.predictedTime)
    }

    @Test func aLongSimulationReportsItsProgress() throws {
        let fractions = Box()
        let report = try PlanReport(Self.storeAllProblem(steps: 200_000)) { fractions.values.append($0) }
        #expect(report.plan.decision.strategy == .storeAll && !report.isClosedForm)
        #expect(!fractions.values.isEmpty && fractions.values == fractions.values.sorted())
        #expect(fractions.values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    final class Box: @unchecked Sendable { var values: [Double] = [] }
}
