import Foundation

extension CheckpointRunDirectory {
    /// What one pass over a checkpoint root found and did.
    ///
    /// ```swift
    /// let outcome = CheckpointRunDirectory.removeStale(in: "/scratch")
    /// print("removed \(outcome.removed.count) stale run directories, \(outcome.live.count) live")
    /// ```
    public struct Reaping: Sendable {
        /// Stale directories removed (or, in a dry run, that would be).
        public var removed: [CheckpointRunDirectory] = []
        /// Directories whose owner runs or cannot be checked from here: left alone.
        public var live: [CheckpointRunDirectory] = []
        /// Stale directories that could not be removed, with the reason.
        public var failed: [(directory: CheckpointRunDirectory, error: CheckpointStoreError)] = []

        /// An empty outcome.
        public init() {}
    }

    /// Removes every stale run directory under `root` (`nil`: `$TMPDIR`, else `/tmp`); with
    /// `dryRun`, removes nothing and reports what it would remove.
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` when the root cannot be listed.
    /// - Complexity: O(entries of the root + files of each run directory).
    public static func removeStale(
        in root: String?, dryRun: Bool = false, observer: CheckpointRunOwner = .current
    ) throws(CheckpointStoreError) -> Reaping {
        var outcome = Reaping()
        for directory in try scan(root: root, observer: observer) {
            guard directory.isStale else {
                outcome.live.append(directory)
                continue
            }
            if dryRun {
                outcome.removed.append(directory)
                continue
            }
            do throws(CheckpointStoreError) {
                try directory.remove(observer: observer)
                outcome.removed.append(directory)
            } catch {
                outcome.failed.append((directory, error))
            }
        }
        return outcome
    }

    /// Removes the stale run directories under `base` the first time this process makes a
    /// run directory there; failures are ignored (the run does not depend on them, and
    /// `rewind clean` reports them).
    static func reapStaleOnce(in base: String) {
        guard reapedRoots.insert(base) else { return }
        _ = try? removeStale(in: base)
    }

    /// The roots this process has reaped.
    private static let reapedRoots = RootSet()

    /// A set of paths shared by every thread.
    private final class RootSet: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: Set<String> = []

        /// Inserts `path`; `false` when it was already there.
        func insert(_ path: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            return paths.insert(path).inserted
        }
    }
}
