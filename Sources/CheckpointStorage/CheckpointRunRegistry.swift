import Foundation

/// Every file store of this process whose directory exists, so that an interrupted
/// process can remove them all (``CheckpointInterruption``).
///
/// ```swift
/// let removed = CheckpointRunRegistry.shared.terminateAll()   // [(path, files)]
/// ```
///
/// Engines register when their directory is made and unregister when it is removed. Once
/// ``terminateAll()`` has begun, registering fails, so a store created while the process
/// is being interrupted makes no directory that would outlive it.
final class CheckpointRunRegistry: @unchecked Sendable {
    /// The process's registry.
    static let shared = CheckpointRunRegistry()

    private let lock = NSLock()
    // Guarded by `lock`:
    private var engines: [ObjectIdentifier: CheckpointFileEngine] = [:]
    private var interrupted = false

    /// Adds `engine`; `false` once the process is being interrupted.
    func register(_ engine: CheckpointFileEngine) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !interrupted else { return false }
        engines[ObjectIdentifier(engine)] = engine
        return true
    }

    /// Removes `engine` (its directory is gone).
    func unregister(_ engine: CheckpointFileEngine) {
        lock.lock()
        defer { lock.unlock() }
        engines[ObjectIdentifier(engine)] = nil
    }

    /// Whether an interruption has begun and new stores are refused.
    var isInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interrupted
    }

    /// Refuses new stores from now on: the process is being interrupted.
    func beginInterruption() {
        lock.lock()
        defer { lock.unlock() }
        interrupted = true
    }

    /// The number of registered stores.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return engines.count
    }

    /// Refuses new stores, then terminates every registered one
    /// (``CheckpointFileEngine/terminate()``), in no particular order.
    ///
    /// - Parameter permanently: keep refusing new stores afterwards (the process is about to
    ///   exit); `false` accepts new stores again once done.
    /// - Returns: the directories removed and their slot-file counts, sorted by path.
    func terminateAll(permanently: Bool) -> [(path: String, files: Int)] {
        lock.lock()
        interrupted = true
        let running = Array(engines.values)
        lock.unlock()
        let removed = running.compactMap { $0.terminate() }.sorted { $0.path < $1.path }
        lock.lock()
        for engine in running { engines[ObjectIdentifier(engine)] = nil }
        if !permanently { interrupted = false }
        lock.unlock()
        return removed
    }
}
