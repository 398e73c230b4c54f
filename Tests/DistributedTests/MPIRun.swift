import Foundation
import Glibc

/// The built `rewind-mpi-heat` run under `mpirun -np P` as a child process.
struct MPIRun {
    /// `mpirun` from the PATH, or nil (then the MPI tests are skipped, saying so).
    static let mpirun: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The `rewind-mpi-heat` executable next to the test bundle (.build/<triple>/debug/).
    static let binary: String? = {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("rewind-mpi-heat")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// Why the MPI tests cannot run here, or nil.
    static var unavailableReason: String? {
        if mpirun == nil { return "mpirun is not on the PATH (apt-get install openmpi-bin libopenmpi-dev)" }
        if binary == nil { return "the rewind-mpi-heat executable was not found next to the test bundle" }
        return nil
    }

    /// The exit status, standard output and standard error of one run.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `mpirun --oversubscribe [--allow-run-as-root] --timeout 120 -np ranks rewind-mpi-heat arguments…`
    /// (the timeout turns a hang into a failure instead of a stuck test).
    static func run(ranks: Int, _ arguments: [String]) throws -> Outcome {
        guard let mpirun, let binary else { throw CocoaError(.fileNoSuchFile) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mpirun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = ["--oversubscribe"] + (getuid() == 0 ? ["--allow-run-as-root"] : [])
            + ["--timeout", "120", "-np", "\(ranks)", binary] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_MCA_btl"] = "self,vader"   // one machine: shared memory, no network probing
        // Containers often forbid the cross-process memory reads vader uses for large messages.
        environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// How many times `needle` occurs in `text`.
    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
