import Foundation
import Testing

/// The bad-input audit's classes, run through the binary: each is one line on stderr that
/// names the problem (and no Foundation error code), exit status 1 or 64, nothing on stdout.
extension EndToEndTests {
    func expectOneLineError(_ run: Run, containing needles: [String], _ label: String) {
        #expect(run.status == 1 || run.status == 64, "\(label): status \(run.status)")
        #expect(run.stdout.isEmpty, "\(label): \(run.stdout)")
        #expect(run.stderr.hasPrefix("rewind: error: ") && run.stderr.filter { $0 == "\n" }.count == 1, "\(label): \(run.stderr)")
        for foundation in ["NSCocoaErrorDomain", "The operation could not be completed", "Error Domain"] {
            #expect(!run.stderr.contains(foundation), "\(label): \(run.stderr)")
        }
        for needle in needles { #expect(run.stderr.contains(needle), "\(label): \(run.stderr)") }
    }

    /// A scratch directory of its own, removed by the caller.
    func scratchDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-bad-input-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func traceFilesThatCannotBeReadNameThePathAndTheErrno() throws {
        let directory = try scratchDirectory("trace")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.json").path
        expectOneLineError(try rewind("trace", missing), containing: [missing, "ENOENT"], "missing file")
        expectOneLineError(try rewind("trace", directory.path), containing: [directory.path, "EISDIR"], "directory")
        let cases: [(String, String, String)] = [
            ("empty.json", "", "is empty"),
            ("array.json", "[]", "the top level is not a JSON object"),
            ("broken.json", "{not json", "not valid JSON"),
            ("partial.json", "{\"steps\": 10}", "missing key"),
        ]
        for (name, content, needle) in cases {
            let file = directory.appendingPathComponent(name)
            try Data(content.utf8).write(to: file)
            expectOneLineError(try rewind("trace", file.path), containing: [file.path, needle], name)
        }
    }

    @Test func aTraceWithANegativeStateSizeIsRejectedNamingTheField() throws {
        let directory = try scratchDirectory("negative")
        defer { try? FileManager.default.removeItem(at: directory) }
        var trace = try recordedTrace(steps: 6, slots: 2)
        trace.stateBytes = -5
        let file = directory.appendingPathComponent("negative.json")
        try JSONEncoder().encode(trace).write(to: file)
        expectOneLineError(try rewind("trace", file.path), containing: ["'stateBytes' is -5"], "stateBytes -5")
    }

    /// A revolve plan for 10⁹ steps is counted on an explicit stack (it was refused).
    @Test func aBillionStepRevolvePlanIsCounted() throws {
        let plan = try rewind("plan", "--steps", "1000000000", "--state-size", "1MB", "--memory", "1GB", "--max-actions", "1000")
        #expect(plan.status == 0 && plan.stdout.contains("decision: revolve") && plan.stdout.contains("(counted "), "\(plan.stderr)")
    }

    /// compare's limit counts every schedule it simulates: four of 4·10⁷ steps exceed 10⁸.
    @Test func compareRefusesTheSumOfItsSimulations() throws {
        let run = try rewind("compare", "--steps", "40000000", "--slots", "10")
        expectOneLineError(run, containing: ["enumerating 4 schedules for 40000000 steps", "pass --max-actions 160000008"], "compare")
    }

    /// A two-level request is checked without building its table, with the same messages.
    @Test func twoLevelArgumentsAreCheckedBeforeTheTableIsBuilt() throws {
        expectOneLineError(try rewind("stats", "--schedule", "two-level", "--steps", "100"), containing: ["pass --slots"], "no slots")
        expectOneLineError(try rewind("stats", "--schedule", "two-level", "--steps", "100", "--memory-slots", "0", "--disk-slots", "0"),
                           containing: ["at least one slot"], "no room")
    }

    @Test func reservedStatesThatOverflowAreAnErrorNotACrash() throws {
        let run = try rewind("plan", "--steps", "100", "--memory", "1GB", "--state-size", "1MB", "--reserved-states", "9223372036854775807")
        expectOneLineError(run, containing: ["reserved states", "exceed 2^63 − 1 bytes"], "reserved states")
    }

    /// Two-level answers are counted from the table, so they need no --max-actions.
    @Test func twoLevelStatsAndPlansAreCountedNotSimulated() throws {
        let stats = try rewind("stats", "--schedule", "two-level", "--steps", "50000", "--memory-slots", "10", "--max-actions", "1000",
                               "--format", "json")
        #expect(stats.status == 0, "\(stats.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["reverses"] as? Int == 50_000)
        let plan = try rewind("plan", "--steps", "5000", "--memory", "100MB", "--disk", "100TB", "--state-size", "1MB", "--max-actions", "1000")
        #expect(plan.status == 0 && plan.stdout.contains("decision: two-level") && plan.stdout.contains("(counted "), "\(plan.stderr)")
    }
}
