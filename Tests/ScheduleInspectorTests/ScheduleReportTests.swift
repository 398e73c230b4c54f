import Foundation
import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct ScheduleReportTests {
    /// Griewank & Walther's numbers (DESIGN.md): (n, s) → (r, t).
    static let pinned: [(n: Int, s: Int, r: Int, t: Int)] = [
        (10, 3, 2, 15), (20, 2, 5, 65), (50, 7, 3, 105), (100, 4, 5, 374),
        (225, 15, 3, 522), (500, 4, 9, 3213), (1000, 10, 4, 3636),
    ]

    @Test(arguments: pinned.indices)
    func revolveReportsThePapersNumbers(_ i: Int) throws {
        let (n, s, r, t) = Self.pinned[i]
        let report = try ScheduleReport(ScheduleRequest(kind: .revolve, steps: n, slots: s))
        #expect(report.statistics.advances == t)
        #expect(report.optimalAdvances == t)
        #expect(report.repetitions == r)
        #expect(report.statistics.reverses == n)
        #expect(report.statistics.recordingAdvances == n - 1)
        #expect(report.peakSlots <= s)
        // Default cost model: an advance costs 1, a reverse 2.
        #expect(report.statistics.predictedTime == Double(t + 2 * n))
    }

    /// A two-level report says how the schedule was found, in text and JSON.
    @Test func twoLevelReportNamesItsMethod() throws {
        let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 5], read: [.disk: 5])
        let report = try ScheduleReport(ScheduleRequest(kind: .twoLevel, steps: 60, slots: 3, diskSlots: 6, costModel: costs))
        #expect(report.method == "exact optimum")
        #expect(report.rendered(as: .text).contains("two-level method") && report.rendered(as: .json).contains("\"method\""))
        let revolve = try ScheduleReport(ScheduleRequest(kind: .revolve, steps: 60, slots: 3))
        #expect(revolve.method == nil && !revolve.rendered(as: .json).contains("\"method\""))
    }

    @Test func textGolden() throws {
        let report = try ScheduleReport(ScheduleRequest(kind: .revolve, steps: 10, slots: 3))
        #expect(report.rendered(as: .text) == """
            revolve: 10 steps, 3 slots (x0 included)
            quantity             value  note
            -------------------  -----  -------------------------------------------------
            advances                15  recording 9 + recomputation 6
            optimal advances        15  t(10, 3) = r·n − β(s+1, r−1), attained
            repetition number        2  r(10, 3): no step is advanced more than r times
            recomputation ratio    1.5  advances per step
            reverses                10  taped steps with their pullback
            stores (memory)          6
            restores (memory)        9
            peak slots (memory)      3
            actions                 36  stream length, endForward and endReverse included
            predicted time          35  cost model: advance 1, reverse 2
            """)
    }

    @Test func jsonGolden() throws {
        let report = try ScheduleReport(ScheduleRequest(kind: .revolve, steps: 10, slots: 3))
        #expect(report.rendered(as: .json) == """
            {
              "schedule": "revolve",
              "steps": 10,
              "slots": 3,
              "advances": 15,
              "optimalAdvances": 15,
              "repetitions": 2,
              "recordingAdvances": 9,
              "recomputationAdvances": 6,
              "recomputationRatio": 1.5,
              "reverses": 10,
              "stores": 6,
              "restores": 9,
              "peakSlots": 3,
              "levels": {
                "memory": {
                  "stores": 6,
                  "restores": 9,
                  "peakSlots": 3
                }
              },
              "actions": 36,
              "predictedTime": 35,
              "costModel": {
                "advance": 1,
                "reverse": 2,
                "write": {},
                "read": {}
              }
            }
            """)
    }

    @Test func jsonHasTheDocumentedKeysForEverySchedule() throws {
        let required = ["steps", "slots", "advances", "optimalAdvances", "repetitions", "stores", "restores", "reverses",
                        "peakSlots", "recordingAdvances", "recomputationAdvances", "predictedTime"]
        for request in [ScheduleRequest(kind: .revolve, steps: 37, slots: 5), ScheduleRequest(kind: .periodic, steps: 37, period: 6),
                        ScheduleRequest(kind: .storeAll, steps: 37)] {
            let report = try ScheduleReport(request)
            let object = try #require(JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any])
            for key in required { #expect(object[key] != nil, "\(request.name) lacks \(key)") }
            #expect(object["advances"] as? Int == (object["recordingAdvances"] as! Int) + (object["recomputationAdvances"] as! Int))
        }
    }

    @Test func storeAllAndPeriodicAgainstClosedForms() throws {
        // Store-all: n − 1 advances, n − 1 slots. Periodic: n − 1 + (⌈n/k⌉ − 1)(k − 1) advances.
        let storeAll = try ScheduleReport(ScheduleRequest(kind: .storeAll, steps: 6))
        #expect(storeAll.slots == 5 && storeAll.statistics.advances == 5 && storeAll.optimalAdvances == 5)
        let periodic = try ScheduleReport(ScheduleRequest(kind: .periodic, steps: 12, period: 4))
        #expect(periodic.statistics.advances == 11 + 2 * 3)
        #expect(periodic.slots == 3 + 2)
        #expect(periodic.rendered(as: .csv).hasPrefix("key,value\nschedule,periodic\nsteps,12\nslots,5\nperiod,4\nadvances,17\n"))
    }
}
