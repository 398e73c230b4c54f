import Foundation
import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct ActionListingTests {
    func listing(_ schedule: some CheckpointSchedule, slots: Int, _ format: OutputFormat) throws -> String {
        var output = ""
        try ActionListing.write(schedule, name: "revolve", slots: slots, format: format, to: &output)
        return output
    }

    @Test func textGolden() throws {
        #expect(try listing(Revolve(steps: 5, slots: 2), slots: 2, .text) == """
            revolve: 5 steps, 2 slots (x0 included)
            index  time  action
                0     0  store x0 → memory[0]
                1     0  advance 0→3
                2     3  store x3 → memory[1]
                3     3  advance 3→4
                4     4  end forward
                5     4  reverse 4
                6     5  restore x3 ← memory[1] (release)
                7     5  reverse 3
                8     6  restore x0 ← memory[0]
                9     6  advance 0→1
               10     7  store x1 → memory[1]
               11     7  advance 1→2
               12     8  reverse 2
               13     9  restore x1 ← memory[1] (release)
               14     9  reverse 1
               15    10  restore x0 ← memory[0] (release)
               16    10  reverse 0
               17    11  end reverse
            6 advances (t(5, 2) = 6), 5 reverses, 3 stores, 4 restores, peak 2 slots

            """)
    }

    @Test func jsonGolden() throws {
        #expect(try listing(Revolve(steps: 3, slots: 2), slots: 2, .json) == """
            {
              "schedule": "revolve",
              "steps": 3,
              "slots": 2,
              "actions": [
                {"index":0,"time":0,"action":"store","step":0,"level":"memory","slot":0},
                {"index":1,"time":0,"action":"advance","step":0,"to":1},
                {"index":2,"time":1,"action":"store","step":1,"level":"memory","slot":1},
                {"index":3,"time":1,"action":"advance","step":1,"to":2},
                {"index":4,"time":2,"action":"endForward"},
                {"index":5,"time":2,"action":"reverse","step":2},
                {"index":6,"time":3,"action":"restore","step":1,"level":"memory","slot":1,"release":true},
                {"index":7,"time":3,"action":"reverse","step":1},
                {"index":8,"time":4,"action":"restore","step":0,"level":"memory","slot":0,"release":true},
                {"index":9,"time":4,"action":"reverse","step":0},
                {"index":10,"time":5,"action":"endReverse"}
              ],
              "advances": 2,
              "optimalAdvances": 2,
              "reverses": 3
            }

            """)
    }

    @Test func csvGolden() throws {
        #expect(try listing(Revolve(steps: 3, slots: 2), slots: 2, .csv) == """
            index,time,action,step,to,level,slot,release
            0,0,store,0,,memory,0,
            1,0,advance,0,1,,,
            2,1,store,1,,memory,1,
            3,1,advance,1,2,,,
            4,2,endForward,,,,,
            5,2,reverse,2,,,,
            6,3,restore,1,,memory,1,true
            7,3,reverse,1,,,,
            8,4,restore,0,,memory,0,true
            9,4,reverse,0,,,,
            10,5,endReverse,,,,,

            """)
    }

    @Test func jsonListsEveryActionAndReplaysToTheSameStatistics() throws {
        let schedule = try Revolve(steps: 50, slots: 7)
        let object = try #require(JSONSerialization.jsonObject(with: Data(listing(schedule, slots: 7, .json).utf8)) as? [String: Any])
        let actions = try #require(object["actions"] as? [[String: Any]])
        let expected = Array(schedule)
        #expect(actions.count == expected.count)
        // Rebuild each action from its JSON fields and compare with the schedule.
        for (json, action) in zip(actions, expected) {
            let level = (json["level"] as? String).flatMap(StorageLevel.init(rawValue:))
            let rebuilt: CheckpointAction? = switch json["action"] as? String {
            case "advance": .advance(from: json["step"] as! Int, to: json["to"] as! Int)
            case "store": .store(step: json["step"] as! Int, level: level!, slot: json["slot"] as! Int)
            case "restore": .restore(step: json["step"] as! Int, level: level!, slot: json["slot"] as! Int, release: json["release"] as! Bool)
            case "reverse": .reverse(step: json["step"] as! Int)
            case "endForward": .endForward
            case "endReverse": .endReverse
            default: nil
            }
            #expect(rebuilt == action)
        }
        #expect(object["advances"] as? Int == 105)
    }

    /// Counts lines without keeping them: the listing streams.
    struct LineCounter: TextOutputStream {
        var lines = 0
        var longest = 0
        mutating func write(_ string: String) {
            lines += string.utf8.count(where: { $0 == UInt8(ascii: "\n") })
            longest = max(longest, string.utf8.count)
        }
    }

    @Test func streamsLargeSchedulesOneLineAtATime() throws {
        let schedule = try Revolve(steps: 20_000, slots: 20)
        var counter = LineCounter()
        try ActionListing.write(schedule, name: "revolve", slots: 20, format: .csv, to: &counter)
        let actions = try ScheduleSimulator.run(schedule).actions
        #expect(counter.lines == actions + 1)
        #expect(counter.longest < 100)
    }
}
