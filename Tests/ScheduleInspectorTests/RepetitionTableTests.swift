import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct RepetitionTableTests {
    @Test func betaFollowsPascalsRule() throws {
        let table = try RepetitionTable(maxSlots: 30, maxRepetitions: 30)
        // β(s, r) = β(s − 1, r) + β(s, r − 1), with β(0, r) = β(s, 0) = 1.
        var expected = Array(repeating: Array(repeating: 1, count: 31), count: 31)
        for s in 1...30 { for r in 1...30 { expected[s][r] = expected[s - 1][r] + expected[s][r - 1] } }
        for s in 1...30 { for r in 1...30 { #expect(table.beta(slots: s, repetitions: r) == expected[s][r]) } }
        #expect(try RepetitionTable(maxSlots: 70, maxRepetitions: 70).beta(slots: 70, repetitions: 70) == nil)  // C(140, 70) > 2^63
    }

    @Test func textGolden() throws {
        #expect(try RepetitionTable(maxSlots: 4, maxRepetitions: 5, steps: 20).rendered(as: .text) == """
            β(s, r) = C(s + r, s): the most steps s slots (x0 included) reverse with at most r advances of any step
            (Griewank & Walther 2000, Proposition 1)
            s \\ r  1   2   3   4    5
            -----  -  --  --  --  ---
                1  2   3   4   5    6
                2  3   6  10  15   21
                3  4  10  20  35   56
                4  5  15  35  70  126

            20 steps: repetition number r(n, s) = min{r : β(s, r) ≥ n} and least advances t(n, s) = r·n − β(s+1, r−1)
            slots s  r(n, s)  t(n, s)  t / n
            -------  -------  -------  -----
                  1       19      190    9.5
                  2        5       65   3.25
                  3        3       45   2.25
                  4        3       39   1.95
            """)
    }

    @Test func jsonGolden() throws {
        #expect(try RepetitionTable(maxSlots: 2, maxRepetitions: 3).rendered(as: .json) == """
            {
              "maxSlots": 2,
              "maxRepetitions": 3,
              "beta": [
                {
                  "slots": 1,
                  "beta": [2, 3, 4]
                },
                {
                  "slots": 2,
                  "beta": [3, 6, 10]
                }
              ]
            }
            """)
        #expect(try RepetitionTable(maxSlots: 2, maxRepetitions: 3).rendered(as: .csv) == "slots,r=1,r=2,r=3\n1,2,3,4\n2,3,6,10")
    }

    @Test func rejectsEmptyTables() {
        #expect(throws: InspectorError.invalidRepetitionCount(0)) { try RepetitionTable(maxSlots: 3, maxRepetitions: 0) }
        #expect(throws: InspectorError.schedule(.invalidSlotCount(-1))) { try RepetitionTable(maxSlots: -1, maxRepetitions: 3) }
    }
}
