import Foundation
import Glibc

/// The built `rewind` executable run as a child process, for faults only a whole process
/// can suffer: signals, another user.
struct RewindProcess {
    /// The `rewind` executable next to the test bundle (.build/<triple>/debug/rewind).
    static let binary: String? = {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("rewind")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    let process = Process()
    private let errorPipe = Pipe()

    /// Starts `rewind arguments…`, optionally through `prefix` (such as setpriv for another user).
    init(_ arguments: [String], prefix: [String] = []) throws {
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        process.executableURL = URL(fileURLWithPath: prefix.first ?? binary)
        process.arguments = prefix.isEmpty ? arguments : Array(prefix.dropFirst()) + [binary] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        try process.run()
    }

    /// Waits for the exit; returns the status (or the signal, for `reason == .uncaughtSignal`) and stderr.
    func wait() -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
        let data = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, String(decoding: data, as: UTF8.self))
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Polls until `condition` holds, at most `limit` checks 20 ms apart (not a measurement:
    /// it waits for the child to reach the state a test needs).
    static func waitUntil(limit: Int = 3000, _ condition: () -> Bool) -> Bool {
        for _ in 0..<limit {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// A disk run long enough to be interrupted: Lorenz-96 with many steps over a small disk budget.
    static func diskRun(root: String) -> [String] {
        ["demo", "--steps", "400000", "--memory", "64KB", "--disk", "2MB", "--checkpoint-dir", root]
    }
}
