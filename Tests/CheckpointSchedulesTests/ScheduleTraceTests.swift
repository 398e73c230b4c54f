import Testing
@testable import CheckpointSchedules

/// A trace's events stand for exactly the actions they were made from.
@Suite struct ScheduleTraceTests {
    @Test func everyActionRoundTripsThroughAnEvent() throws {
        let actions = Array(try Revolve(steps: 30, slots: 4)) + [
            .store(step: 3, level: .disk, slot: 2), .restore(step: 3, level: .disk, slot: 2, release: false),
        ]
        for action in actions {
            #expect(TraceEvent(action: action, start: 1, duration: 0.5, bytes: 8).action == action)
        }
        let trace = ScheduleTrace(steps: 30, stateBytes: 8, capacities: [.memory: 4],
                                  events: actions.map { TraceEvent(action: $0, start: 0, duration: 0, bytes: 0) })
        #expect(trace.actions == actions)
    }

    @Test func onlyTheActionsFieldsArePresent() {
        let advance = TraceEvent(action: .advance(from: 2, to: 5), start: 0, duration: 0, bytes: 0)
        #expect(advance.kind == .advance && advance.from == 2 && advance.to == 5)
        #expect(advance.step == nil && advance.level == nil && advance.slot == nil && advance.release == nil)
        let end = TraceEvent(action: .endReverse, start: 0, duration: 0, bytes: 0)
        #expect(end.from == nil && end.step == nil)
    }
}
