import _Differentiation
import CheckpointSchedules
import CheckpointedAD
import CheckpointStorage
import Foundation
import Testing
@testable import ScheduleInspector

/// A real trace: the driver reverses x[i+1] = p·x[i] + sin(x[i]) for n steps in s slots.
func recordedTrace(steps n: Int, slots s: Int) throws -> ScheduleTrace {
    var options = CheckpointingOptions()
    options.recordsTrace = true
    let result = try valueWithCheckpointedGradient(at: 0.5, parameters: 0.9, steps: n,
        checkpointing: .revolve(memory: .slots(s)), options: options,
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

    /// A two-step run through one disk slot, with I/O facts chosen by hand: every number
    /// of the storage summary follows from them.
    static func diskTrace(withFacts: Bool) -> ScheduleTrace {
        func event(_ action: CheckpointAction, _ start: Double, _ duration: Double, bytes: Int = 0) -> TraceEvent {
            TraceEvent(action: action, start: start, duration: duration, bytes: bytes)
        }
        var store = event(.store(step: 0, level: .disk, slot: 0), 0, 0.002, bytes: 1000)
        var restore = event(.restore(step: 0, level: .disk, slot: 0, release: true), 0.032201, 0.001, bytes: 1000)
        if withFacts {
            store.storedBytes = 400
            store.waitSeconds = 0.001
            store.backgroundSeconds = 0.004
            restore.storedBytes = 400
            restore.waitSeconds = 0.0005
            restore.backgroundSeconds = 0.003
            restore.source = .readAhead
            restore.readAheadRequestSeconds = 0.0002
        }
        return ScheduleTrace(steps: 2, stateBytes: 1000, capacities: [.disk: 1], events: [
            store, event(.advance(from: 0, to: 1), 0.002, 0.010), event(.endForward, 0.012, 0.000001),
            event(.reverse(step: 1), 0.012001, 0.02), restore, event(.reverse(step: 0), 0.033201, 0.02),
            event(.endReverse, 0.053201, 0),
        ])
    }

    @Test func summarisesStorageIOPerLevel() throws {
        let report = try TraceReport(Self.diskTrace(withFacts: true))
        let disk = try #require(report.storage.first)
        #expect(report.storage.count == 1 && disk.level == .disk)
        #expect(disk.stores == 1 && disk.restores == 1 && disk.discards == 0)
        #expect(disk.rawBytesEncoded == 1000 && disk.storedBytes == 400 && disk.bytesRead == 400)
        #expect(disk.compressionRatio == 2.5 && report.compressionRatio == 2.5)
        #expect(abs(disk.sweepSeconds - 0.0032) < 1e-15 && abs(disk.waitSeconds - 0.0015) < 1e-15)
        #expect(abs(disk.backgroundSeconds - 0.007) < 1e-15 && abs(disk.overlappedSeconds - 0.0055) < 1e-15)
        #expect(abs(try #require(disk.overlapFraction) - 0.0055 / 0.007) < 1e-12)
        #expect(disk.restoresFromReadAhead == 1 && disk.restoresFromWriteBuffer == 0 && disk.readAheadRequestSeconds == 0.0002)
        // The request is a phase of its own, so the events and requests cover the wall time.
        #expect(report.phases.contains { $0.name == "read-ahead requests" && $0.seconds == 0.0002 && $0.actions == 1 })
        #expect(abs(report.overlapSeconds) < 1e-12)

        let lines = report.rendered(as: .text).split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("storage") })
        #expect(lines[header].contains("waited") && lines[header].contains("background") && lines[header].contains("overlap"))
        let row = lines[header + 2].split(separator: " ").map(String.init)
        #expect(row == ["disk", "1", "1", "400", "B", "2.5", "3.2", "ms", "1.5", "ms", "200", "µs", "7", "ms", "78.6%", "1/1", "0/1"])
        #expect(lines.contains("state bytes stored 1 KB, restored 1 KB; encoded by the stores at a compression ratio of 2.5"))

        let object = try #require(JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any])
        let storage = try #require((object["storage"] as? [[String: Any]])?.first)
        #expect(storage["level"] as? String == "disk" && storage["storedBytes"] as? Int == 400)
        #expect(storage["compressionRatio"] as? Double == 2.5 && storage["restoresFromReadAhead"] as? Int == 1)
        #expect(abs((storage["waitSeconds"] as? Double ?? 0) - 0.0015) < 1e-15)
        #expect(abs((storage["overlapFraction"] as? Double ?? 0) - 0.0055 / 0.007) < 1e-12)
    }

    @Test func aTraceWithoutIOFactsHasNoStorageSummary() throws {
        let report = try TraceReport(Self.diskTrace(withFacts: false))
        #expect(report.storage.isEmpty && report.compressionRatio == nil)
        let text = report.rendered(as: .text)
        #expect(!text.contains("storage") && !text.contains("compression ratio"))
        #expect(text.hasSuffix("\nstate bytes stored 1 KB, restored 1 KB"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any])
        #expect((object["storage"] as? [Any])?.isEmpty == true && object["compressionRatio"] is NSNull)
    }

    /// A real disk-backed run: the report's storage row is the disk store's own statistics.
    @Test func aRecordedDiskRunReportsTheStoresBytes() throws {
        let steps = 40
        let schedule = try TwoLevelRevolve(
            steps: steps, memorySlots: 2, diskSlots: 6, costModel: CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3]))
        let disk = try FileCheckpointStore<Vector>(
            capacity: schedule.capacity(of: .disk), directory: NSTemporaryDirectory(), codec: .shuffledZstd(level: 1))
        var options = CheckpointingOptions()
        options.recordsTrace = true
        // x[i+1] = p·x[i] + 0.01, whose pullback is (p·ȳ, ȳ·x).
        let step = CheckpointedStep<Vector, Double, Vector, Double>(
            forward: { x, p, _ in p * x + 0.01 },
            valueWithPullback: { x, p, _ in (p * x + 0.01, { ybar in (p * ybar, ybar.dot(x)) }) })
        let x0 = Vector((0..<4096).map { sin(Double($0) * 0.002) })
        let driver = try CheckpointedDriver(at: x0, parameters: 0.999, steps: steps,
            checkpointing: .schedule(schedule, stores: [.disk: disk]), options: options, step: step)
        _ = try driver.pullback(driver.forward())
        let report = try TraceReport(try #require(driver.trace))
        let row = try #require(report.storage.first { $0.level == .disk })
        let io = disk.statistics
        #expect(report.storage.count == 1, "the built-in memory level has no I/O facts")
        #expect(row.stores == io.stores && row.restores == io.restores)
        #expect(row.storedBytes == io.encodedBytesStored && row.rawBytesEncoded == io.rawBytesEncoded)
        #expect(row.compressionRatio == io.compressionRatio && io.compressionRatio > 1.2)
        #expect(row.restoresFromReadAhead == io.restoresFromReadAhead && row.restoresFromWriteBuffer == io.restoresFromWriteBuffer)
        #expect(report.rendered(as: .text).contains("compression ratio of \(Format.decimal(io.compressionRatio, digits: 2))"))
    }
}
