import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the file store needs from a descriptor beyond swift-system's `FileDescriptor`
/// (1.8): whole-buffer reads and writes that say how far they got, `fdatasync`, and
/// `openat`. Each is a loop or a single call, retrying `EINTR` as swift-system's calls do.
extension FileDescriptor {
    /// Linux moves at most 0x7ffff000 bytes per `read`/`write`, and Darwin refuses more than
    /// `INT_MAX`; stay well below.
    static let largestTransfer = 1 << 30

    /// Writes all of `bytes` at the file offset, retrying partial writes.
    ///
    /// Unlike swift-system's `writeAll(_:)`, a failure says how many bytes were written
    /// before it, and a write that makes no progress fails instead of looping.
    ///
    /// - Parameters:
    ///   - path: the file's path, for the error (computed only if there is one).
    ///   - bytesNeeded: the bytes the whole file needs, for the error.
    /// - Throws: ``CheckpointStoreError/writeFailed(path:bytesNeeded:reason:)`` naming the
    ///   path, the bytes the whole file needs and, for a short write, how far it got.
    /// - Complexity: O(`bytes.count`); one `write` per 1 GiB unless the kernel takes less.
    func writeCompletely(
        _ bytes: UnsafeRawBufferPointer, path: @autoclosure () -> String, bytesNeeded: Int
    ) throws(CheckpointStoreError) {
        var done = 0
        while done < bytes.count {
            let reason: String
            do {
                let end = Swift.min(bytes.count, done + Self.largestTransfer)
                let written = try write(UnsafeRawBufferPointer(rebasing: bytes[done ..< end]))
                if written > 0 {
                    done += written
                    continue
                }
                reason = "the write made no progress"
            } catch {
                reason = Errno.describing(error)
            }
            let short = done > 0 ? "short write (\(done) of \(bytes.count) bytes), then " : ""
            throw .writeFailed(path: path(), bytesNeeded: bytesNeeded, reason: short + reason)
        }
    }

    /// Writes all of `bytes` (an array) at the file offset; see
    /// ``writeCompletely(_:path:bytesNeeded:)``.
    func writeCompletely(_ bytes: [UInt8], path: @autoclosure () -> String, bytesNeeded: Int) throws(CheckpointStoreError) {
        var failure: CheckpointStoreError?
        bytes.withUnsafeBytes { raw in
            do throws(CheckpointStoreError) {
                try writeCompletely(raw, path: path(), bytesNeeded: bytesNeeded)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Reads from the file offset until `buffer` is full or the file ends, retrying
    /// partial reads; returns the bytes read, and the error of a failed read (the bytes
    /// before it are in the buffer).
    ///
    /// - Complexity: O(`buffer.count`).
    func readFully(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, error: Errno?) {
        var done = 0
        while done < buffer.count {
            do {
                let end = Swift.min(buffer.count, done + Self.largestTransfer)
                let read = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done ..< end]))
                if read == 0 { break }
                done += read
            } catch {
                return (done, error as? Errno ?? .ioError)  // swift-system throws only `Errno`
            }
        }
        return (done, nil)
    }

    /// Writes all of `bytes` at file offset `offset` on (`pwrite`), retrying partial writes;
    /// returns the bytes written, and the error of the call that failed (the bytes before it
    /// are in the file). A write that makes no progress is `EIO`.
    ///
    /// For direct I/O, where an `EINVAL` with nothing written means the filesystem refuses
    /// the transfer rather than that it failed.
    ///
    /// - Complexity: O(`bytes.count`).
    func writeFully(_ bytes: UnsafeRawBufferPointer, atOffset offset: Int) -> (count: Int, error: Errno?) {
        var done = 0
        while done < bytes.count {
            do {
                let end = Swift.min(bytes.count, done + Self.largestTransfer)
                let written = try write(toAbsoluteOffset: Int64(offset + done), UnsafeRawBufferPointer(rebasing: bytes[done ..< end]))
                if written <= 0 { return (done, .ioError) }
                done += written
            } catch {
                return (done, error as? Errno ?? .ioError)  // swift-system throws only `Errno`
            }
        }
        return (done, nil)
    }

    /// Reads from file offset `offset` on (`pread`) until `buffer` is full or the file ends,
    /// retrying partial reads; returns the bytes read, and the error of a failed read.
    ///
    /// - Complexity: O(`buffer.count`).
    func readFully(into buffer: UnsafeMutableRawBufferPointer, atOffset offset: Int) -> (count: Int, error: Errno?) {
        var done = 0
        while done < buffer.count {
            do {
                let end = Swift.min(buffer.count, done + Self.largestTransfer)
                let read = try read(fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: buffer[done ..< end]))
                if read == 0 { break }
                done += read
            } catch {
                return (done, error as? Errno ?? .ioError)
            }
        }
        return (done, nil)
    }

    /// Flushes the file's data (and the metadata needed to read it back) to the device:
    /// `fdatasync`.
    func synchronizeData() throws(Errno) {
        while fdatasync(rawValue) != 0 {
            let code = Errno.latest
            if code != .interrupted { throw code }
        }
    }

    /// Opens `name` in `directory` (`openat`), so that only the last component is looked up
    /// and, with `.noFollow`, no symbolic link is followed at all.
    static func open(
        _ name: String, in directory: FileDescriptor, _ mode: AccessMode, options: OpenOptions = [],
        permissions: FilePermissions = []
    ) throws(Errno) -> FileDescriptor {
        while true {
            let descriptor = openat(directory.rawValue, name, mode.rawValue | options.rawValue, permissions.rawValue)
            if descriptor >= 0 { return FileDescriptor(rawValue: descriptor) }
            let code = Errno.latest
            if code != .interrupted { throw code }
        }
    }
}

extension Errno {
    private static let names: [Errno: String] = [
        .noSpace: "ENOSPC", .permissionDenied: "EACCES", .readOnlyFileSystem: "EROFS", .diskQuotaExceeded: "EDQUOT",
        .fileExists: "EEXIST", .noSuchFileOrDirectory: "ENOENT", .tooManySymbolicLinkLevels: "ELOOP", .ioError: "EIO",
        .fileTooLarge: "EFBIG", .notPermitted: "EPERM", .notDirectory: "ENOTDIR", .isDirectory: "EISDIR",
        .invalidArgument: "EINVAL",
    ]

    /// The error's symbol and message, `ENOSPC (No space left on device)`, as the file
    /// store's errors quote it; `errno 5 (…)` for a code without a symbol here.
    var symbolAndMessage: String {
        Self.names[self].map { "\($0) (\(description))" } ?? "errno \(rawValue) (\(description))"
    }

    /// ``symbolAndMessage`` of an error swift-system threw (always an `Errno`; anything else
    /// is described as itself).
    static func describing(_ error: any Error) -> String {
        (error as? Errno)?.symbolAndMessage ?? "\(error)"
    }

    /// The calling thread's `errno`, right after a C call that failed.
    static var latest: Errno { Errno(rawValue: errno) }
}
