@testable import CheckpointSchedules

/// Helpers shared by the online schedule tests.
enum OnlineTestSupport {
    /// Plays the replay of `schedule` for a run of `n` steps through the simulator and checks
    /// what every online schedule must satisfy: legal, n reverses, at most s slots, and
    /// simulated advances equal to the layout's closed-form cost. Returns the statistics.
    /// `layout` is the schedule's layout after steps 0 ..< n, known to the caller.
    static func play(_ schedule: some OnlineCheckpointSchedule, steps n: Int, layout: OnlineCheckpointLayout) throws -> ScheduleStatistics {
        let replay = try OnlineScheduleReplay(schedule, steps: n)
        let stats = try ScheduleSimulator.run(replay)
        precondition(stats.reverses == n, "n = \(n): \(stats.reverses) reverses")
        precondition((stats.peakSlots[schedule.level] ?? 0) <= schedule.slots, "n = \(n): peak \(stats.peakSlots) > \(schedule.slots) slots")
        precondition(stats.advances == layout.simulatedAdvances(steps: n),
                     "n = \(n), s = \(schedule.slots): simulated \(stats.advances) ≠ closed form \(layout.simulatedAdvances(steps: n)) for layout \(layout.steps)")
        return stats
    }

    /// The most untaped executions of any single step, the discovery step included.
    static func repetitions(_ actions: some Sequence<CheckpointAction>, steps n: Int) -> Int {
        var counts = Array(repeating: 0, count: n)
        for action in actions {
            if case let .advance(from, to) = action { for i in from..<to { counts[i] += 1 } }
        }
        counts[n - 1] += OnlineScheduleReplay<OnlineWang>.discoveryAdvances
        return counts.max()!
    }

    static func t(_ n: Int, _ s: Int) throws -> Int { try BinomialCheckpointing.minimalAdvances(steps: n, slots: s) }
    static func beta(_ s: Int, _ r: Int) throws -> Int { try BinomialCheckpointing.beta(slots: s, repetitions: r) }
}
