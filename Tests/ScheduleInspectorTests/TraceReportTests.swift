import _Differentiation
import CheckpointSchedules
import CheckpointedAD
import Foundation
import Testing
@testable import ScheduleInspector

/// A real trace: the driver reverses x[i+1] = p·x[i] + sin(x[i]) for n steps in s slots.
func recordedTrace(steps n: Int, slots s: Int) throws -> ScheduleTrace {
    var options = CheckpointingOptions()
    options.recordsTrace = true
    let result = try gradient(
        at: 0.5, parameters: 0.9, steps: n, memory: .slots(s), options: options,
        step: { (x: Double, p: Double, _: Int) -> Double in p * x + sin(x) }, loss: { (x: Double) -> Double in x * x })
    return try #require(result.trace)
}

@Suite struct TraceReportTests {
    @Test func phasesAddUpToTheRunsCounts() throws {
        let trace = try recordedTrace(steps: 50, slots: 7)
        let report = try TraceReport(trace)
        // The driver ran revolve: t(50, 7) = 105 advances, 49 of them the recording sweep.
        #expect(report.statistics.advances == 105)
        let phase = Dictionary(uniqueKeysWithValues: report.phases.map { ($0.name, $0) })
        #expect(phase["recording"]?.count == 49)
        #expect(phase["recomputation"]?.count == 56)
        #expect(phase["reverse"]?.count == 50)
        #expect(phase["store memory"]?.count == report.statistics.stores[.memory])
        #expect(phase["restore memory"]?.count == report.statistics.restores[.memory])
        #expect(report.phases.map(\.name).prefix(3) == ["recording", "recomputation", "reverse"])
        // Every event's time belongs to exactly one phase; the rest of the wall time is overlap or gaps.
        let durations = trace.events.reduce(0) { $0 + $1.duration }
        #expect(abs(report.eventSeconds - durations) <= 1e-12 * max(1, durations))
        #expect(abs(report.eventSeconds + report.overlapSeconds - report.wallSeconds) <= 1e-12)
        #expect(report.bytesWritten == trace.events.filter { $0.kind == .store }.reduce(0) { $0 + $1.bytes })
        #expect(report.optimalAdvances == 105)
    }

    @Test func textAndJSONFormats() throws {
        let report = try TraceReport(recordedTrace(steps: 10, slots: 3))
        let lines = report.rendered(as: .text).split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("trace: 10 steps, 3 memory slots, state "))
        #expect(lines[1].hasPrefix("phase") && lines[1].contains("seconds") && lines[1].contains("share"))
        #expect(lines.contains { $0.hasPrefix("advances 15 (recording 9, recomputation 6), t(n, s) = 15, reverses 10") })
        let object = try #require(JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any])
        #expect(object["advances"] as? Int == 15 && object["reverses"] as? Int == 10)
        #expect((object["phases"] as? [[String: Any]])?.first?["name"] as? String == "recording")
        #expect(report.rendered(as: .csv).hasPrefix("phase,seconds,actions,count,bytes\nrecording,"))
    }

    @Test func rejectsTracesThatBreakARule() throws {
        var trace = try recordedTrace(steps: 10, slots: 3)
        trace.events.removeAll { $0.kind == .reverse && $0.step == 4 }
        #expect(throws: InspectorError.self) { try TraceReport(trace) }
        do { _ = try TraceReport(trace) } catch { #expect(error.description.contains("step 4 must be reversed next")) }
    }

    @Test func readsFilesAndSaysWhatIsWrong() throws {
        let directory = FileManager.default.temporaryDirectory
        let good = directory.appendingPathComponent("rewind-trace-\(getpid()).json")
        let bad = directory.appendingPathComponent("rewind-bad-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: good); try? FileManager.default.removeItem(at: bad) }
        try JSONEncoder().encode(recordedTrace(steps: 20, slots: 4)).write(to: good)
        #expect(try TraceReport(contentsOf: good.path).statistics.reverses == 20)
        try Data("{\"steps\": 3}".utf8).write(to: bad)
        #expect {
            try TraceReport(contentsOf: bad.path)
        } throws: { error in
            "\(error)".contains("is not a trace JSON file (missing key 'stateBytes')")
        }
        #expect(throws: InspectorError.self) { try TraceReport(contentsOf: "/nonexistent/trace.json") }
    }

    @Test func recordedScheduleDrawsTheRun() throws {
        let trace = try recordedTrace(steps: 30, slots: 4)
        let timeline = Timeline(RecordedSchedule(trace))
        #expect(timeline.statistics.actions == trace.events.count)
        let parsed = try SVGElementCollector.parse(try SVGTimeline(timeline).rendered())
        #expect(parsed.count("action") == trace.events.count)
    }
}
