import Foundation
import Testing
@testable import CheckpointSchedules
import RewindTestSupport

/// Revolve through the simulator: every action legal, advances equal to t(n, s).
@Suite struct RevolveTests {
    func check(_ n: Int, _ s: Int) throws {
        let schedule = try Revolve(steps: n, slots: s)
        let stats = try ScheduleSimulator.run(schedule)
        let t = try BinomialCheckpointing.minimalAdvances(steps: n, slots: s)
        #expect(stats.advances == t, "n = \(n), s = \(s)")
        #expect(stats.reverses == n)
        #expect((stats.peakSlots[.memory] ?? 0) <= s)
    }

    @Test(arguments: 1...40)
    func everyStepCountUpTo2000(slots s: Int) throws {
        for n in 1...2000 { try check(n, s) }
    }

    @Test func sampledGridUpTo10Million() throws {
        // Log-uniform step counts from 2001 to 10^7, so that every decade is sampled.
        var generator = SplitMix64(seed: 2000)
        for _ in 0..<24 {
            let exponent = 3.3 + 3.7 * Double(generator.next() % 10_000) / 10_000
            let n = Int(pow(10, exponent))
            let s = Int(generator.next() % 200) + 2
            try check(n, s)
        }
        try check(10_000_000, 100)
    }

    @Test func pinnedLiteratureNumbers() throws {
        for (n, s, t) in [(10, 3, 15), (50, 7, 105), (1000, 10, 3636)] {
            #expect(try ScheduleSimulator.run(Revolve(steps: n, slots: s)).advances == t)
        }
    }

    @Test func smallScheduleReadsAsExpected() throws {
        let actions = Array(try Revolve(steps: 3, slots: 2))
        #expect(actions == [
            .store(step: 0, level: .memory, slot: 0), .advance(from: 0, to: 1),
            .store(step: 1, level: .memory, slot: 1), .advance(from: 1, to: 2),
            .endForward, .reverse(step: 2),
            .restore(step: 1, level: .memory, slot: 1, release: true), .reverse(step: 1),
            .restore(step: 0, level: .memory, slot: 0, release: true), .reverse(step: 0),
            .endReverse,
        ])
    }
}

