import CheckpointSchedules
import Foundation
import Testing
@testable import ScheduleInspector

/// Traces are checked field by field on load: an impossible value is named, not shown.
@Suite struct ScheduleTraceValidationTests {
    @Test func aRecordedTraceIsValid() throws {
        #expect(try recordedTrace(steps: 12, slots: 3).invalidField() == nil)
    }

    @Test(arguments: [
        ("stateBytes", "'stateBytes' is -5"),
        ("steps", "'steps' is 0"),
        ("capacity", "'capacities.memory' is -1"),
        ("duration", "'events[2].duration' is -0.5"),
        ("start", "'events[0].start' is nan"),
        ("bytes", "'events[1].bytes' is -8"),
        ("wait", "'events[1].waitSeconds' is 2.0, more than the event's duration"),
        ("missingStep", "'events[1].step' is missing; a store event has it"),
        ("negativeSlot", "'events[1].slot' is -2"),
        ("backwardsAdvance", "'events[0].from' is 9, after 'to'"),
    ])
    func anImpossibleFieldIsRejectedByName(_ edit: String, _ expected: String) throws {
        var trace = try recordedTrace(steps: 10, slots: 3)
        // The recorded stream starts store x0, advance …; find the first of each kind.
        let store = try #require(trace.events.firstIndex { $0.kind == .store })
        let advance = try #require(trace.events.firstIndex { $0.kind == .advance })
        switch edit {
        case "stateBytes": trace.stateBytes = -5
        case "steps": trace.steps = 0
        case "capacity": trace.capacities[.memory] = -1
        case "duration": trace.events[2].duration = -0.5
        case "start": trace.events[0].start = .nan
        case "bytes": trace.events[store].bytes = -8
        case "wait":
            trace.events[store].duration = 1
            trace.events[store].waitSeconds = 2
        case "missingStep": trace.events[store].step = nil
        case "negativeSlot": trace.events[store].slot = -2
        case "backwardsAdvance":
            trace.events[advance].from = 9
            trace.events[advance].to = 3
        default: Issue.record("unknown edit \(edit)")
        }
        let field = try #require(trace.invalidField())
        let located = expected.replacingOccurrences(of: "events[1]", with: "events[\(store)]")
            .replacingOccurrences(of: "'events[0].from'", with: "'events[\(advance)].from'")
        #expect(field.hasPrefix(located) || field.contains(located), "\(field)")
        #expect {
            try TraceReport(trace)
        } throws: { error in
            let text = "\(error)"
            return text.contains(located) && !text.contains("\n")
        }
    }

    @Test func aFileWithANegativeStateSizeIsRejectedOnLoad() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-negative-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        var trace = try recordedTrace(steps: 6, slots: 2)
        trace.stateBytes = -5
        try JSONEncoder().encode(trace).write(to: url)
        #expect {
            try TraceReport(contentsOf: url.path)
        } throws: { error in
            "\(error)".contains("'stateBytes' is -5; a state's size is 0 bytes or more")
        }
    }
}
