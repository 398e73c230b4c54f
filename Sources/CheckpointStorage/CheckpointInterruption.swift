import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Clean interruption: on `SIGINT`, `SIGTERM` or `SIGHUP`, finish the checkpoint read or
/// write in progress, remove every run directory this process's file stores made, and exit
/// with 128 + the signal's number (130, 143, 129), as a shell reports a process killed by it.
///
/// ```swift
/// @main struct Tool {
///     static func main() throws {
///         try CheckpointInterruption.install { report in
///             FileHandle.standardError.write(Data("interrupted; removed \(report.removedDirectories)\n".utf8))
///         }
///         // … runs with FileCheckpointStore or a planned disk budget …
///     }
/// }
/// ```
///
/// **Opt-in, and first.** ``install(onInterrupt:)`` blocks the signals in the calling thread
/// and starts a thread that waits for them with `sigwait`; threads started afterwards
/// inherit the block. Call it first in `main`, before any other thread exists: a thread
/// started earlier does not block the signals, and one delivered to it ends the process the
/// default way, without clean-up. No code runs in a signal handler, so nothing needs to be
/// async-signal-safe: the clean-up runs on an ordinary thread, takes each store's lock, and
/// waits for the I/O thread's current transfer before it unlinks a file. Child processes
/// inherit the blocked mask; unblock it in a child that should die on these signals.
///
/// **What stays.** `SIGKILL` and power loss cannot be handled: their directories stay, with
/// their owner record, until a later run under the same root reaps them
/// (``CheckpointRunDirectory/removeStale(in:dryRun:observer:)``, which a file store calls
/// once per process and root, and `rewind clean`).
public enum CheckpointInterruption {
    /// What the clean-up did, handed to the callback just before the process exits.
    public struct Report: Sendable {
        /// The signal received.
        public var signal: Int32
        /// Its name: `SIGINT`, `SIGTERM` or `SIGHUP`.
        public var signalName: String
        /// The run directories removed, with the slot files each held.
        public var removedDirectories: [(path: String, files: Int)]
        /// The status the process exits with: 128 + ``signal``.
        public var exitStatus: Int32 { 128 + signal }
    }

    /// The signals handled: interrupt (Ctrl-C), terminate (a batch scheduler's time limit, a
    /// container stop) and hang-up (the terminal closed).
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the clean-up; see the type's documentation. A second call does nothing.
    ///
    /// - Parameter onInterrupt: runs on the clean-up thread after the directories are
    ///   removed and before the process exits (with `_exit`, so buffered output not yet
    ///   written is lost: write with `write(2)` or `FileHandle`).
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` when the signal mask cannot
    ///   be changed.
    public static func install(onInterrupt: @escaping @Sendable (Report) -> Void = { _ in }) throws(CheckpointStoreError) {
        guard installation.claim() else { return }
        var set = signalSet()
        let status = pthread_sigmask(SIG_BLOCK, &set, nil)
        guard status == 0 else {
            throw .unavailable(reason: "cannot block SIGINT and SIGTERM for the clean-up thread: \(String(cString: strerror(status)))")
        }
        let thread = Thread {
            var waitSet = signalSet()
            var received: Int32 = 0
            while sigwait(&waitSet, &received) != 0 {}
            CheckpointRunRegistry.shared.beginInterruption()
            let removed = removeLiveRunDirectories()
            onInterrupt(Report(signal: received, signalName: name(of: received), removedDirectories: removed))
            _exit(128 + received)
        }
        thread.name = "rewind interruption clean-up"
        thread.start()
    }

    /// Removes every run directory this process's file stores have now, each after its
    /// current transfer; those stores fail from then on. What the installed clean-up does,
    /// for callers with their own signal handling (call it from an ordinary thread, never
    /// from a signal handler).
    ///
    /// - Returns: the directories removed and the slot files each held, sorted by path.
    /// - Complexity: one wait per store for its transfer in progress; O(files) unlinks.
    @discardableResult
    public static func removeLiveRunDirectories() -> [(path: String, files: Int)] {
        CheckpointRunRegistry.shared.terminateAll(permanently: installation.isClaimed)
    }

    /// Whether the installed clean-up has received a signal (it is removing the directories
    /// or about to exit).
    public static var isInProgress: Bool { installation.isClaimed && CheckpointRunRegistry.shared.isInterrupted }

    /// Blocks the calling thread for good when the installed clean-up has received a signal,
    /// so that the process exits with the signal's status and not with the error the
    /// interrupted run threw; returns at once otherwise. Call it before exiting.
    ///
    /// ```swift
    /// CheckpointInterruption.waitIfInterrupted()
    /// exit(status)
    /// ```
    public static func waitIfInterrupted() {
        guard isInProgress else { return }
        while true { pause() }
    }

    /// `SIGINT`, `SIGTERM`, `SIGHUP`, or `signal N`.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }

    private static let installation = Installation()

    /// Whether the clean-up was installed, shared by every thread.
    private final class Installation: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = false

        /// `true` the first time only.
        func claim() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if claimed { return false }
            claimed = true
            return true
        }

        var isClaimed: Bool {
            lock.lock()
            defer { lock.unlock() }
            return claimed
        }
    }
}
