import Foundation
import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct ScheduleComparisonTests {
    @Test func textGolden() throws {
        let comparison = try ScheduleComparison(steps: 20, slots: 4)
        #expect(comparison.rendered(as: .text) == """
            20 steps, budget 4 slots (x0 included); optimal advances t(20, 4) = 39
            schedule   fits  period  advances  ratio  recomputation  stores memory  restores memory  peak slots  predicted time
            ---------  ----  ------  --------  -----  -------------  -------------  ---------------  ----------  --------------
            revolve    yes                 39   1.95             20             13               19           4              79
            periodic   no         4        31   1.55             12             15               19           7              71
            store-all  no                  19   0.95              0             19               19          19              59
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
            #expect(comparison.rows.count == 3)
            for row in comparison.rows {
                #expect(row.report.statistics.reverses == n)
                #expect(row.report.peakSlots <= s || !row.fits, "\(row.report.schedule), n = \(n), s = \(s)")
                // Nothing beats the optimum for the budget when it fits.
                if row.fits { #expect(row.report.statistics.advances >= row.report.optimalAdvances) }
            }
            #expect(comparison.rows[0].report.statistics.advances == comparison.rows[0].report.optimalAdvances)
        }
        let csv = try ScheduleComparison(steps: 20, slots: 4, stateBytes: 8).rendered(as: .csv)
        #expect(csv.split(separator: "\n").count == 4)
        #expect(csv.contains("revolve,yes,,39,1.95,20,13,19,4,32,79"))
    }
}
