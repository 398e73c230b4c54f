#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, typed wrappers over the POSIX calls the file store makes.
enum FileDescriptorIO {
    /// Linux moves at most 0x7ffff000 bytes per `read`/`write`; stay well below.
    static let maxChunk = 1 << 30

    /// `ENOSPC (No space left on device)`.
    static func describe(_ code: Int32) -> String {
        let names: [Int32: String] = [
            ENOSPC: "ENOSPC", EACCES: "EACCES", EROFS: "EROFS", EDQUOT: "EDQUOT", EEXIST: "EEXIST", ENOENT: "ENOENT",
            ELOOP: "ELOOP", EIO: "EIO", EFBIG: "EFBIG", EPERM: "EPERM", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR",
        ]
        let text = String(cString: strerror(code))
        return names[code].map { "\($0) (\(text))" } ?? "errno \(code) (\(text))"
    }

    /// Writes all of `bytes` at the file offset, retrying partial writes and `EINTR`.
    ///
    /// - Throws: ``CheckpointStoreError/writeFailed(path:bytesNeeded:reason:)`` naming the
    ///   path, the bytes the whole file needs and, for a short write, how far it got.
    static func writeAll(
        _ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String, bytesNeeded: Int
    ) throws(CheckpointStoreError) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, Swift.min(bytes.count - done, maxChunk))
            if n > 0 {
                done += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                let reason = n == 0 ? "the write made no progress" : describe(errno)
                let short = done > 0 ? "short write (\(done) of \(bytes.count) bytes), then " : ""
                throw .writeFailed(path: path, bytesNeeded: bytesNeeded, reason: short + reason)
            }
        }
    }

    /// Writes all of `bytes` (an array) at the file offset.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String, bytesNeeded: Int) throws(CheckpointStoreError) {
        var failure: CheckpointStoreError?
        bytes.withUnsafeBytes { raw in
            do throws(CheckpointStoreError) {
                try writeAll(fd, raw, path: path, bytesNeeded: bytesNeeded)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Reads up to `buffer.count` bytes, retrying `EINTR` and partial reads until the buffer is
    /// full or the file ends; returns the bytes read, or the `errno` of a failed read.
    static func readUpTo(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> (count: Int, error: Int32) {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, Swift.min(buffer.count - done, maxChunk))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                return (done, errno)
            }
        }
        return (done, 0)
    }
}
