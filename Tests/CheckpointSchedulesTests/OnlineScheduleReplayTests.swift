import Testing
@testable import CheckpointSchedules

/// The replay adapter and the discard action it relies on.
@Suite struct OnlineScheduleReplayTests {
    @Test func replayIsTheDriversStream() throws {
        // Wang with 3 slots for 6 steps, by hand. x0, x1, x2 fill the slots (level 0).
        // At 3 no middle checkpoint has a later one of higher level, so the newest, x2, makes
        // way for x3 (level 1). At 4, x1 (level 0 < 1) is dispensable: x4 gets level 0.
        // At 5 the middle checkpoint x3 (level 1) has no later higher level, so the newest,
        // x4, goes and x5 gets level 1.
        let replay = try OnlineScheduleReplay(OnlineWang(slots: 3), steps: 6)
        let recording = Array(replay.prefix { $0 != .endForward })
        #expect(recording == [
            .store(step: 0, level: .memory, slot: 0), .advance(from: 0, to: 1),
            .store(step: 1, level: .memory, slot: 1), .advance(from: 1, to: 2),
            .store(step: 2, level: .memory, slot: 2), .advance(from: 2, to: 3),
            .discard(step: 2, level: .memory, slot: 2), .store(step: 3, level: .memory, slot: 2), .advance(from: 3, to: 4),
            .discard(step: 1, level: .memory, slot: 1), .store(step: 4, level: .memory, slot: 1), .advance(from: 4, to: 5),
            .discard(step: 4, level: .memory, slot: 1), .store(step: 5, level: .memory, slot: 1),
        ])
        #expect(replay.finalLayout.steps == [0, 3, 5])
        #expect(replay.capacity(of: .memory) == 3)
        #expect(replay.capacity(of: .disk) == 0)
        // x5 is current when the run ends: its slot is released before step 5 is reversed.
        let stats = try ScheduleSimulator.run(replay)
        #expect(stats.advances == replay.finalLayout.simulatedAdvances(steps: 6))
        #expect(OnlineScheduleReplay<OnlineWang>.discoveryAdvances == 1)
    }

    @Test func advancesWithoutActionsAreMerged() throws {
        // One slot: only x0 is stored, so the recording sweep is a single advance to x[n−1].
        let actions = Array(try OnlineScheduleReplay(OnlineStummWalther(slots: 1), steps: 50).prefix(3))
        #expect(actions == [.store(step: 0, level: .memory, slot: 0), .advance(from: 0, to: 49), .endForward])
    }

    @Test func rejectsAnEmptyRun() {
        #expect(throws: ScheduleError.invalidStepCount(0)) { try OnlineScheduleReplay(OnlineWang(slots: 2), steps: 0) }
    }

    @Test func simulatorChecksDiscards() throws {
        var simulator = ScheduleSimulator(steps: 3, capacities: [.memory: 2])
        try simulator.play(.store(step: 0, level: .memory, slot: 0))
        #expect(throws: ScheduleViolation.self) { try simulator.play(.discard(step: 1, level: .memory, slot: 0)) }
        #expect(throws: ScheduleViolation.self) { try simulator.play(.discard(step: 0, level: .memory, slot: 1)) }
        try simulator.play(.discard(step: 0, level: .memory, slot: 0))
        #expect(simulator.currentStep == 0)  // the current state is untouched
        try simulator.play(.store(step: 0, level: .memory, slot: 0))  // the slot is free again
    }
}
