import Testing
@testable import CheckpointSchedules

/// The closed formulas against Griewank & Walther's numbers and an independent dynamic program.
@Suite struct BinomialCheckpointingTests {
    /// (n, s) → (r, t) from the design notes and Griewank & Walther 2000.
    static let pinned: [(n: Int, s: Int, r: Int, t: Int)] = [
        (10, 3, 2, 15), (20, 2, 5, 65), (50, 7, 3, 105), (100, 4, 5, 374),
        (225, 15, 3, 522), (500, 4, 9, 3213), (1000, 10, 4, 3636),
    ]

    @Test(arguments: pinned.indices)
    func pinnedVectors(_ i: Int) throws {
        let v = Self.pinned[i]
        #expect(try BinomialCheckpointing.repetitionNumber(steps: v.n, slots: v.s) == v.r)
        #expect(try BinomialCheckpointing.minimalAdvances(steps: v.n, slots: v.s) == v.t)
    }

    @Test func betaMatchesPascalsTriangle() throws {
        for s in 0...30 {
            for r in 0...30 {
                let expected = s == 0 || r == 0 ? 1 : (try BinomialCheckpointing.beta(slots: s - 1, repetitions: r))
                    + (try BinomialCheckpointing.beta(slots: s, repetitions: r - 1))
                #expect(try BinomialCheckpointing.beta(slots: s, repetitions: r) == expected)
            }
        }
        #expect(try BinomialCheckpointing.beta(slots: 3, repetitions: -1) == 0)
    }

    /// T(l, s) = min over m of m + T(l − m, s − 1) + T(m, s): the optimum by exhaustion.
    static func dynamicProgram(maxSteps: Int, maxSlots: Int) -> [[Int]] {
        var table = Array(repeating: Array(repeating: 0, count: maxSlots + 1), count: maxSteps + 1)
        for l in 2...maxSteps {
            table[l][1] = l * (l - 1) / 2
            for s in 2...maxSlots {
                table[l][s] = (1..<l).map { m in m + table[l - m][s - 1] + table[m][s] }.min()!
            }
        }
        return table
    }

    @Test func closedFormEqualsDynamicProgram() throws {
        let table = Self.dynamicProgram(maxSteps: 150, maxSlots: 10)
        for l in 1...150 {
            for s in 1...10 {
                #expect(try BinomialCheckpointing.minimalAdvances(steps: l, slots: s) == table[l][s], "n = \(l), s = \(s)")
            }
        }
    }

    @Test func plentyOfSlotsDegeneratesToStoreAll() throws {
        for n in [1, 2, 7, 100] {
            #expect(try BinomialCheckpointing.minimalAdvances(steps: n, slots: n - 1 + 1) == n - 1)
            #expect(try BinomialCheckpointing.minimalAdvances(steps: n, slots: 1_000_000) == n - 1)
        }
    }

    @Test func largestReversibleStepCount() throws {
        #expect(try BinomialCheckpointing.maximalSteps(slots: 3, repetitions: 2) == 10)
        let n = try BinomialCheckpointing.maximalSteps(slots: 7, repetitions: 3)
        #expect(try BinomialCheckpointing.repetitionNumber(steps: n, slots: 7) == 3)
        #expect(try BinomialCheckpointing.repetitionNumber(steps: n + 1, slots: 7) == 4)
    }

    @Test func hugeInputsAreExactOrTypedErrors() throws {
        let n = 1 << 62
        // s = 2: r from the square root shortcut must be the least r with β(2, r) ≥ n.
        let r2 = try BinomialCheckpointing.repetitionNumber(steps: n, slots: 2)
        #expect(try BinomialCheckpointing.beta(slots: 2, repetitions: r2) >= n)
        #expect(try BinomialCheckpointing.beta(slots: 2, repetitions: r2 - 1) < n)
        let r = try BinomialCheckpointing.repetitionNumber(steps: n, slots: 100)
        #expect(try BinomialCheckpointing.beta(slots: 100, repetitions: r - 1) < n)
        #expect(throws: ScheduleError.self) { try BinomialCheckpointing.minimalAdvances(steps: n, slots: 1) }
        #expect(throws: ScheduleError.self) { try BinomialCheckpointing.beta(slots: 200, repetitions: 200) }
        #expect(try BinomialCheckpointing.minimalAdvances(steps: n, slots: n) == n - 1)
    }

    @Test func invalidInputsThrowTypedErrors() {
        #expect(throws: ScheduleError.invalidStepCount(0)) { try BinomialCheckpointing.minimalAdvances(steps: 0, slots: 3) }
        #expect(throws: ScheduleError.invalidSlotCount(0)) { try BinomialCheckpointing.minimalAdvances(steps: 5, slots: 0) }
        #expect(throws: ScheduleError.invalidStepCount(-4)) { try Revolve(steps: -4, slots: 3) }
        #expect(throws: ScheduleError.invalidPeriod(0)) { try Periodic(steps: 4, period: 0) }
    }
}
