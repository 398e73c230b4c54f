import Foundation
import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct ScheduleComparisonTests {
    @Test func textGolden() throws {
        let comparison = try ScheduleComparison(steps: 20, slots: 4)
        #expect(comparison.rendered(as: .text) == """
            20 steps, budget 4 slots (x0 included); optimal advances t(20, 4) = 39
            schedule     fits  period  advances  ratio  recomputation  stores memory  restores memory  peak slots  predicted time
            -----------  ----  ------  --------  -----  -------------  -------------  ---------------  ----------  --------------
            revolve      yes                 39   1.95             20             13               19           4              79
            online       yes                 43   2.15             23             19               20           4              83
            online-wang  yes                 43   2.15             23             30               20           4              83
            periodic     no         4        31   1.55             12             15               19           7              71
            store-all    no                  19   0.95              0             19               19          19              59
            fits = no: the schedule needs more than 4 slots even at its smallest; its peak slots column says how many
            predicted time in units of the cost model: advance 1, reverse 2
            """)
    }

    @Test func jsonGoldenAndStructure() throws {
        let comparison = try ScheduleComparison(steps: 20, slots: 4, kinds: [.revolve, .storeAll], stateBytes: 1024)
        let text = comparison.rendered(as: .json)
        #expect(text.hasPrefix("""
            {
              "steps": 20,
              "slots": 4,
              "schedules": [
                {
                  "schedule": "revolve",
                  "fits": true,
                  "steps": 20,
                  "slots": 4,
                  "advances": 39,
            """))
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rows = try #require(object["schedules"] as? [[String: Any]])
        #expect(rows.map { $0["schedule"] as? String } == ["revolve", "store-all"])
        #expect(rows.map { $0["fits"] as? Bool } == [true, false])
        #expect(rows.map { $0["peakBytes"] as? Int } == [4 * 1024, 19 * 1024])
    }

    @Test func everyRowMatchesItsOwnSimulation() throws {
        for (n, s) in [(1, 1), (7, 2), (100, 12), (300, 40)] {
            let comparison = try ScheduleComparison(steps: n, slots: s)
            #expect(comparison.rows.map(\.report.schedule) == ["revolve", "online", "online-wang", "periodic", "store-all"])
            for row in comparison.rows {
                #expect(row.report.statistics.reverses == n)
                #expect(row.report.peakSlots <= s || !row.fits, "\(row.report.schedule), n = \(n), s = \(s)")
                // Nothing beats the optimum for the budget when it fits.
                if row.fits { #expect(row.report.statistics.advances >= row.report.optimalAdvances) }
            }
            #expect(comparison.rows[0].report.statistics.advances == comparison.rows[0].report.optimalAdvances)
        }
        let csv = try ScheduleComparison(steps: 20, slots: 4, stateBytes: 8).rendered(as: .csv)
        #expect(csv.split(separator: "\n").count == 6)
        #expect(csv.contains("revolve,yes,,39,1.95,20,13,19,4,32,79"))
    }
}

@Suite struct TwoLevelAndOnlineComparisonTests {
    @Test func diskSlotsAddTheTwoLevelRowWithDiskColumns() throws {
        let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 5], read: [.disk: 5])
        let comparison = try ScheduleComparison(steps: 60, slots: 3, diskSlots: 6, kinds: [.revolve, .twoLevel], costModel: costs)
        let twoLevel = comparison.rows[1].report
        let schedule = try TwoLevelRevolve(steps: 60, memorySlots: 3, diskSlots: 6, costModel: costs)
        // The table's own optimum, computed by dynamic programming, equals the simulated time.
        #expect(twoLevel.statistics.predictedTime == schedule.predictedTime)
        #expect(twoLevel.statistics.predictedTime <= comparison.rows[0].report.statistics.predictedTime)
        #expect((twoLevel.statistics.stores[.disk] ?? 0) > 0)
        let text = comparison.rendered(as: .text)
        #expect(text.contains("stores disk") && text.contains("restores disk"))
        #expect(text.hasPrefix("60 steps, budget 3 slots (x0 included) + 6 disk slots for two-level;"))
    }

    @Test func onlineReportsCountTheStepThatFoundTheEnd() throws {
        let report = try ScheduleReport(ScheduleRequest(kind: .online, steps: 50, slots: 6))
        let simulated = try ScheduleSimulator.run(OnlineScheduleReplay(OnlineStummWalther(slots: 6), steps: 50))
        #expect(report.statistics.advances == simulated.advances + 1)
        #expect(report.statistics.recordingAdvances == 50)  // x0 → x50, the last one found the end
        #expect(report.statistics.advances >= report.optimalAdvances + 1)
        #expect(report.rendered(as: .text).contains("recording includes the 1 step that found the end"))
    }
}
