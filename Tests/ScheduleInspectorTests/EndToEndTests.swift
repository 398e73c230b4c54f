import Foundation
import Testing

/// A few runs of the built `rewind` binary: exit codes, streams, files.
@Suite struct EndToEndTests {
    /// The `rewind` executable next to the test bundle (.build/<triple>/debug/rewind).
    static let binary: URL? = {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("rewind")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/rewind")
        return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func rewind(_ arguments: String...) throws -> Run { try rewind(arguments) }

    /// Runs the binary; `standardOutput`, when given, replaces the stdout pipe (a file or a device).
    func rewind(_ arguments: [String], standardOutput: FileHandle? = nil) throws -> Run {
        let binary = try #require(Self.binary, "build the CLI first: swift build --product rewind")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = standardOutput ?? out
        process.standardError = err
        try process.run()
        if standardOutput != nil { try out.fileHandleForWriting.close() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func statsJSONThroughThePipe() throws {
        let run = try rewind("stats", "--schedule", "revolve", "--steps", "1000", "--slots", "10", "--format", "json")
        #expect(run.status == 0 && run.stderr.isEmpty)
        let object = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["advances"] as? Int == 3636)
        #expect(object["repetitions"] as? Int == 4)
    }

    /// `plan --ranks P` plans each rank's even share of the state within per-rank budgets.
    @Test func planPerRank() throws {
        let text = try rewind("plan", "--steps", "500", "--state-size", "8MB", "--memory", "100MB", "--ranks", "4")
        #expect(text.status == 0 && text.stderr.isEmpty)
        #expect(text.stdout.hasPrefix("4 ranks, each with a 2 MB share of the 8 MB state and its own budgets (all ranks: memory 400 MB)"))
        #expect(text.stdout.contains("plan for 500 steps of 2 MB each"))
        let json = try rewind("plan", "--steps", "500", "--state-size", "8MB", "--memory", "100MB", "--ranks", "4", "--format", "json")
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["ranks"] as? Int == 4 && object["stateBytesPerRank"] as? Int == 2_000_000)
        let perRank = try #require(object["perRank"] as? [String: Any])
        #expect((perRank["problem"] as? [String: Any])?["stateSize"] as? Int == 2_000_000)
    }

    @Test func scheduleStreamsAndPlotHasNoColourInAPipe() throws {
        let schedule = try rewind("schedule", "--schedule", "periodic", "--steps", "12", "--period", "4", "--format", "csv")
        #expect(schedule.status == 0)
        #expect(schedule.stdout.hasPrefix("index,time,action,step,to,level,slot,release\n0,0,store,0,,memory,0,\n"))
        let plot = try rewind("plot", "--steps", "30", "--slots", "4")
        #expect(plot.status == 0)
        #expect(plot.stdout.contains("●") && !plot.stdout.contains("\u{1B}["))
        let forced = try rewind("plot", "--steps", "30", "--slots", "4", "--color", "always")
        #expect(forced.stdout.contains("\u{1B}[1;34m"))
    }

    @Test func plotWritesAnSVGFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-e2e-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try rewind("plot", "--steps", "50", "--slots", "7", "--svg", path)
        #expect(run.status == 0)
        #expect(run.stderr == "wrote \(path): 189 marks\n")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
    }

    @Test(arguments: [
        ["stats", "--steps", "0", "--slots", "3"],
        ["stats", "--schedule", "unknown", "--steps", "10", "--slots", "3"],
        ["compare", "--steps", "-1", "--slots", "3"],
        ["schedule", "--slots", "3"],
    ])
    func badInputExitsNonZeroWithOneLine(_ arguments: [String]) throws {
        let run = try rewind(arguments)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("rewind: error: ") && run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
    }

    @Test func unwritableSVGPathFailsWithExitOne() throws {
        let run = try rewind("plot", "--steps", "10", "--slots", "3", "--svg", "/nonexistent-dir/x.svg")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("rewind: error: cannot write /nonexistent-dir/x.svg"))
    }
}

extension EndToEndTests {
    @Test func traceReadsARealRunsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-e2e-trace-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONEncoder().encode(recordedTrace(steps: 40, slots: 5)).write(to: URL(fileURLWithPath: path))
        let run = try rewind("trace", path)
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("trace: 40 steps, 5 memory slots"))
        #expect(run.stdout.contains("recomputation") && run.stdout.contains("wall"))
        let missing = try rewind("trace", path + ".missing")
        #expect(missing.status == 1 && missing.stderr.hasPrefix("rewind: error: cannot read "))
    }
}

extension EndToEndTests {
    @Test func demoDifferentiatesWithinItsBudgetAndChecksTheGradient() throws {
        let run = try rewind("demo", "--problem", "lorenz96", "--sites", "8", "--steps", "400", "--horizon", "1")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)  // no progress bar when stderr is a pipe
        #expect(run.stdout.contains("[ok] checkpointed gradient == store-all gradient (bitwise)"))
        #expect(run.stdout.contains("[ok] dL/dp vs central finite differences"))
        #expect(run.stdout.contains("storing all 401 states would need"))
        #expect(run.stdout.hasSuffix("all checks passed\n"))
        // The advances printed equal t(n, s) for the slots printed.
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("advances ") })
        let words = line.split(separator: " ")
        #expect(words[1] == words[6], "\(line)")
    }

    @Test func demoBudgetTooSmallSaysHowMuchIsNeeded() throws {
        let run = try rewind("demo", "--steps", "100", "--memory", "1KB")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("rewind: error: the checkpointed gradient failed: a memory budget of 1000 bytes cannot hold") && run.stderr.filter { $0 == "\n" }.count == 1)
    }
}

extension EndToEndTests {
    @Test func controlDemoMatchesStoreAllBitwise() throws {
        let run = try rewind("demo", "--problem", "walther-narayanan", "--intervals", "20")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("[ok] checkpointed solve == store-all solve (bitwise objective, controls and iterations)"))
        // t(200, 4): β(4, 6) = 210 ≥ 200 > β(4, 5) = 126, so r = 6 and t = 6·200 − β(5, 5) = 1200 − 252.
        #expect(run.stdout.contains("each gradient: 4 checkpoint slots for 200 steps; advances 948 = t(200, 4) = 948, reverses 200"))
        #expect(run.stdout.hasSuffix("all checks passed\n"))
    }
}

extension EndToEndTests {
    @Test func diskDemoPlansOverMemoryAndFilesAndWritesATrace() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-e2e-demo-trace-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try rewind("demo", "--sites", "8", "--steps", "300", "--horizon", "1", "--memory", "4KB", "--disk", "64KB", "--compress", "--trace", path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("[ok] planned gradient == store-all gradient (bitwise)"))
        #expect(run.stdout.contains("[ok] dL/dF vs central finite difference"))
        #expect(run.stdout.contains("\nplan: "))
        #expect(run.stdout.contains("\nmodel: advance ") && run.stdout.contains("a checkpoint file costs write 50 µs + b / 500 MB/s"))
        #expect(run.stdout.contains("  the disk pays: ") || run.stdout.contains("  the disk does not pay: "))
        #expect(run.stdout.contains(" + sweeps ") && run.stdout.contains("measured/predicted "))
        #expect(run.stdout.hasSuffix("all checks passed\n"))
        let trace = try rewind("trace", path)
        #expect(trace.status == 0 && trace.stdout.hasPrefix("trace: 300 steps, "))
        // When the plan used the disk, the trace shows the disk store's I/O.
        let usedDisk = run.stdout.contains(" disk stores ")
        #expect(trace.stdout.contains("\nstorage ") == usedDisk && trace.stdout.contains("\ndisk ") == usedDisk)
    }

    @Test func diskOnlyForLorenz96() throws {
        let run = try rewind("demo", "--problem", "burgers", "--disk", "1MB")
        #expect(run.status == 64 && run.stderr.contains("--disk applies to --problem lorenz96 only"))
        let measure = try rewind("demo", "--measure-disk")
        #expect(measure.status == 64 && measure.stderr.contains("--measure-disk and --checkpoint-dir need a disk run"))
    }
}

/// Whether /dev/full is the kernel's full device (a character device that fails every
/// write with ENOSPC); on some machines it is a plain file that accepts writes.
let devFullIsTheFullDevice: Bool = {
    var status = stat()
    return stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR
}()

extension EndToEndTests {
    @Test(.enabled(if: devFullIsTheFullDevice, "needs /dev/full to be the character device that fails writes with ENOSPC"))
    func aFullStandardOutputExitsNonZero() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? full.close() }
        for arguments in [["stats", "--steps", "1000", "--slots", "10"],
                          ["schedule", "--steps", "100000", "--slots", "10", "--format", "json"],
                          ["plot", "--steps", "50", "--slots", "7"]] {
            let run = try rewind(arguments, standardOutput: full)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr == "rewind: error: cannot write standard output: no space left on device (ENOSPC); "
                + "free some space or write to another filesystem\n", "\(arguments)")
        }
    }

    @Test(.enabled(if: devFullIsTheFullDevice, "needs /dev/full to be the character device that fails writes with ENOSPC"))
    func anSVGOnAFullDeviceIsNotReportedAsWritten() throws {
        let run = try rewind("plot", "--steps", "50", "--slots", "7", "--svg", "/dev/full")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("rewind: error: cannot write /dev/full: no space left on device (ENOSPC)"))
        #expect(!run.stderr.contains("wrote"))
        var status = stat()
        #expect(stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "the device is written in place, never replaced")
    }

    @Test func anSVGPathThatIsADirectorySaysSo() throws {
        let run = try rewind("plot", "--steps", "10", "--slots", "3", "--svg", NSTemporaryDirectory())
        #expect(run.status == 1)
        #expect(run.stderr.contains("it is a directory (EISDIR); pass a file path inside it, such as "))
        #expect(run.stderr.hasSuffix("timeline.svg\n") && !run.stderr.contains("NSCocoaErrorDomain"))
        #expect(run.stderr.filter { $0 == "\n" }.count == 1)
    }
}
