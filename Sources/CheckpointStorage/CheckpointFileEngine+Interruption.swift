import Foundation

/// Interruption: a run ended from another thread (a signal's clean-up) while its caller
/// and its I/O thread may be in the middle of a transfer.
///
/// ```swift
/// if let (path, files) = engine.terminate() { print("removed \(path) (\(files) files)") }
/// ```
///
/// ``terminate()`` marks the engine closed under its lock, so no caller starts a transfer
/// and no job is queued after it; it then waits for the transfers already running (on the
/// I/O thread and on the caller's thread) before it unlinks a file. Every later call
/// throws ``interruptedError``.
extension CheckpointFileEngine {
    /// Ends the run at once, from any thread (an interrupted process's clean-up): lets the
    /// read or write in progress finish, cancels the queued ones, removes every file and the
    /// directory. Every later call fails with ``interruptedError``.
    ///
    /// - Returns: the directory's path and the slot files removed, or `nil` when it was
    ///   already closed or removed.
    /// - Complexity: waits for at most one transfer per thread; O(files) unlinks.
    func terminate() -> (path: String, files: Int)? {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed, !directoryRemoved else { return nil }
        isClosed = true
        condition.broadcast()  // callers waiting for a buffer or a read-ahead see the run closed
        if let ioThread {
            ioThread.cancelQueuedJobs()
            for job in slots.writesBehind { job.cancelled = true }
        }
        // The I/O thread and the caller's thread finish the transfer they are in; nothing deletes a file under them.
        while !(ioThread?.isIdle ?? true) || callerTransfers > 0 { condition.wait() }
        let files = CheckpointRunDirectory.names(in: directory.descriptor).filter { $0 != CheckpointDirectory.ownerFileName }.count
        directory.removeEveryFile()
        removeDirectoryOnce()
        return (directory.path, files)
    }

    /// What every call after ``terminate()`` throws.
    var interruptedError: CheckpointStoreError {
        .unavailable(reason: "the run was interrupted and its checkpoint directory \(directory.path) removed")
    }

    /// Throws ``interruptedError`` once the run was terminated.
    func checkOpen() throws(CheckpointStoreError) {
        if isClosed { throw interruptedError }
    }

    /// Removes the (emptied) directory and closes its descriptor, the first time only.
    func removeDirectoryOnce() {
        guard !directoryRemoved else { return }
        directoryRemoved = true
        directory.remove()
    }

}
