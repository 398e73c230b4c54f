import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free space on the file system where checkpoint files would go, so that a run can refuse
/// before its forward sweep instead of failing with `ENOSPC` after it.
///
/// ```swift
/// let free = try FileSystemSpace.availableBytes(under: nil)   // $TMPDIR or /tmp
/// ```
public enum FileSystemSpace {
    /// The directory a file store under `parent` makes its run directory in: `parent`, else
    /// `$TMPDIR` when set and not empty, else `/tmp`.
    public static func checkpointParent(_ parent: String?) -> String {
        parent ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Bytes an unprivileged process may still write on the file system that holds
    /// `parent` (`statvfs`: available blocks × fragment size).
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` naming the directory when it
    ///   cannot be examined (missing, not a directory, no permission).
    /// - Complexity: one system call.
    public static func availableBytes(under parent: String?) throws(CheckpointStoreError) -> Int {
        let directory = checkpointParent(parent)
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw .unavailable(reason: "cannot examine the file system of \(directory): \(reason); choose an existing, readable directory")
        }
        let available = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return available.overflow || available.partialValue > UInt64(Int.max) ? Int.max : Int(available.partialValue)
    }
}
