import Testing
@testable import CheckpointSchedules

/// The Wang, Moin & Iaccarino dynamic schedule through the simulator.
///
/// What is tested: every stop point n ≤ 2000 for s = 5 and n ≤ 300 for every s ≤ 20
/// plays legally, with simulated advances equal to the closed form; for every n ≤ 2000
/// and s ≤ 20 the closed form is at least t(n, s); no step runs untaped more than r(n, s) + 1 times (discovery step
/// included), the paper's minimal-repetition property in our counting; the levels follow
/// the paper's rules on a hand-checked example.
@Suite struct OnlineWangTests {
    typealias Support = OnlineTestSupport

    /// Legal through the simulator for every stop point, the repetition bound sampled.
    @Test(arguments: [(5, 2000)] + (1...20).map { ($0, 300) })
    func simulatorForEveryStopPoint(slots s: Int, upTo limit: Int) throws {
        var schedule = OnlineWang(slots: s)
        for n in 1...limit {
            _ = schedule.actionsBeforeAdvancing(from: n - 1)
            _ = try Support.play(OnlineWang(slots: s), steps: n, layout: schedule.layout)
            if n % 37 == 0 || n < 40 {
                let replay = try OnlineScheduleReplay(OnlineWang(slots: s), steps: n)
                let r = try BinomialCheckpointing.repetitionNumber(steps: n, slots: s)
                #expect(Support.repetitions(replay, steps: n) <= r + 1, "n = \(n), s = \(s)")
            }
        }
    }

    /// Never better than the offline optimum, for every n ≤ 2000 and s ≤ 20 (closed form).
    @Test(arguments: 1...20)
    func neverBelowTheOfflineOptimum(slots s: Int) throws {
        var schedule = OnlineWang(slots: s)
        for n in 1...2000 {
            _ = schedule.actionsBeforeAdvancing(from: n - 1)
            #expect(schedule.layout.simulatedAdvances(steps: n) >= (try Support.t(n, s)), "n = \(n), s = \(s)")
        }
    }

    @Test func levelsFollowThePaper() {
        // s = 4: x0, x1, x2, x3 fill the slots (level 0); at 4 none is dispensable, so the
        // newest (x3) goes and x4 gets level 1; at 5, x2 (level 0 < 1) is dispensable.
        var schedule = OnlineWang(slots: 4)
        for i in 0...5 { _ = schedule.actionsBeforeAdvancing(from: i) }
        #expect(schedule.layout.steps == [0, 1, 4, 5])
        #expect(schedule.levels == [Int.max, 0, 1, 0])
        let actions = schedule.actionsBeforeAdvancing(from: 6)  // x1 (0 < 1) is the most recent dispensable
        #expect(actions.first == .discard(step: 1, level: .memory, slot: 1))
        #expect(schedule.layout.steps == [0, 4, 5, 6])
    }
}
