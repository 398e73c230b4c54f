import ArgumentParser
import CheckpointStorage
import ScheduleInspector
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rewind clean`: list and remove the checkpoint directories of runs that ended without
/// cleaning up.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the checkpoint directories that killed runs left behind (never a live run's).",
        discussion: """
        Every disk run writes its checkpoints into a private directory rewind-XXXXXX under the \
        checkpoint root (--checkpoint-dir, default $TMPDIR, else /tmp) and records its owner there: \
        process ID, start time, boot and host. Interrupted runs (Ctrl-C, SIGTERM, SIGHUP) remove their \
        directory themselves; after SIGKILL or a power loss it stays. This command lists the run \
        directories under the root and removes those whose owner has ended. It leaves alone a live run's \
        directory, one whose owner ran on another host or in another container, anything without an owner \
        record, and any directory holding a file Rewind did not write. A disk run also does this for its root \
        before it starts. Exits 1 if a stale directory could not be removed.

        Example:
          rewind clean --dry-run
          rewind clean --checkpoint-dir /scratch
        """
    )

    @Flag(help: "List what would be removed, and remove nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("The checkpoint root to clean (default: $TMPDIR, else /tmp).", valueName: "dir"))
    var checkpointDir: String?

    func validate() throws {
        if let checkpointDir { try Self.checkDirectory(checkpointDir) }
    }

    func run() throws {
        let root = FileSystemSpace.checkpointParent(checkpointDir)
        let outcome = try CheckpointRunDirectory.removeStale(in: checkpointDir, dryRun: dryRun)
        try FileOutput.print(Self.report(outcome, root: root, dryRun: dryRun))
        if !outcome.failed.isEmpty { throw ExitCode.failure }
    }

    /// One line per run directory, then a summary line.
    static func report(_ outcome: CheckpointRunDirectory.Reaping, root: String, dryRun: Bool) -> String {
        func contents(_ d: CheckpointRunDirectory) -> String { "\(d.files) file\(d.files == 1 ? "" : "s"), \(Format.bytes(d.bytes))" }
        var lines: [String] = []
        for d in outcome.removed {
            guard case let .gone(reason) = d.liveness else { continue }
            lines.append("\(dryRun ? "would remove" : "removed") \(d.path): \(contents(d)) (\(reason))")
        }
        for (d, error) in outcome.failed { lines.append("could not remove \(d.path): \(error)") }
        for d in outcome.live {
            switch d.liveness {
            case .alive: lines.append("left \(d.path): \(contents(d)), in use by pid \(d.owner.processID)")
            case let .unknown(reason): lines.append("left \(d.path): \(contents(d)), its owner cannot be checked from here (\(reason))")
            case .gone: break
            }
        }
        let bytes = outcome.removed.reduce(0) { $0 + $1.bytes }
        let count = outcome.removed.count
        var summary = count == 0 ? "no stale checkpoint directories under \(root)"
            : "\(dryRun ? "would remove" : "removed") \(count) stale checkpoint director\(count == 1 ? "y" : "ies") (\(Format.bytes(bytes))) under \(root)"
        if !outcome.live.isEmpty { summary += "; left \(outcome.live.count) in use" }
        if !outcome.failed.isEmpty { summary += "; \(outcome.failed.count) could not be removed (see above)" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// Refuses a checkpoint root that is missing or not a directory, naming the option.
    static func checkDirectory(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ValidationError("--checkpoint-dir \(path) does not exist; create it or pass an existing directory")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ValidationError("--checkpoint-dir \(path) is not a directory; pass a directory")
        }
    }
}
