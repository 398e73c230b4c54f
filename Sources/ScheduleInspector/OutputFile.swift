#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes outputs through checked system calls: every `write(2)` result, short writes
/// included, and the final `close(2)`, so that nothing reports success that did not happen.
///
/// ```swift
/// try OutputFile.write(svg, toPath: "revolve.svg")   // a full disk throws, naming ENOSPC
/// ```
///
/// A regular file (or a new one) is replaced atomically: the text goes to a temporary file
/// beside it, which is renamed over the target only when every byte is written, so a failed
/// write leaves the old file as it was. Anything else (a device such as `/dev/full`, a pipe)
/// is written in place, never replaced.
public enum OutputFile {
    /// Writes `text` to the file at `path`.
    /// - Parameters:
    ///   - text: what to write, as UTF-8.
    ///   - path: the file; a regular file is replaced atomically, a device or pipe written in place.
    ///   - exampleName: a file name the error suggests when `path` is a directory.
    /// - Throws: ``InspectorError/cannotWrite(path:reason:)`` naming the path, the errno and the fix.
    /// - Complexity: O(bytes).
    public static func write(_ text: String, toPath path: String, exampleName: String = "output.txt") throws(InspectorError) {
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists, status.st_mode & S_IFMT == S_IFDIR { throw failure(path: path, errno: EISDIR, exampleName: exampleName) }
        if exists, status.st_mode & S_IFMT != S_IFREG {
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure(path: path, errno: errno) }
            try finish(descriptor, writing: text, path: path)
            return
        }
        let temporary = path + ".rewind-\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            // Report the target, not the temporary name: the directory is what is wrong.
            throw failure(path: path, errno: errno)
        }
        do { try finish(descriptor, writing: text, path: path) } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(path: path, errno: code)
        }
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and EINTR.
    /// - Throws: ``InspectorError/cannotWrite(path:reason:)`` at the first failed call.
    public static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(InspectorError) {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let written = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(path: path, errno: errno)
            }
            // write(2) returning 0 for a non-empty buffer makes no progress: call it a full device.
            if written == 0 { throw failure(path: path, errno: ENOSPC) }
            offset += written
        }
    }

    private static func finish(_ descriptor: Int32, writing text: String, path: String) throws(InspectorError) {
        var text = text
        var failed: InspectorError?
        text.withUTF8 { bytes in
            do throws(InspectorError) { try write(UnsafeRawBufferPointer(bytes), to: descriptor, path: path) } catch { failed = error }
        }
        if let failed {
            close(descriptor)
            throw failed
        }
        guard close(descriptor) == 0 else { throw failure(path: path, errno: errno) }
    }

    /// The one-line error for a failed call on `path`: what the errno means and what to do.
    public static func failure(path: String, errno code: Int32, exampleName: String = "output.txt") -> InspectorError {
        let meaning = String(cString: strerror(code))
        let name = errnoName(code).map { " (\($0))" } ?? " (errno \(code))"
        let fix: String = switch code {
        case EISDIR: "pass a file path inside it, such as \(path.hasSuffix("/") ? path : path + "/")\(exampleName)"
        case ENOSPC, EDQUOT: "free some space or write to another filesystem"
        case ENOENT, ENOTDIR: "create the directory first or choose an existing one"
        case EACCES, EPERM, EROFS: "choose a path you may write"
        case EPIPE: "the reader went away; nothing was lost but this output"
        default: "choose a writable path"
        }
        let reason = code == EISDIR ? "it is a directory" : meaning.prefix(1).lowercased() + meaning.dropFirst()
        return .cannotWrite(path: path, reason: reason + name + "; " + fix)
    }

    /// The symbolic name of the errors people meet when writing, for searchable messages.
    static func errnoName(_ code: Int32) -> String? {
        switch code {
        case ENOSPC: "ENOSPC"
        case EDQUOT: "EDQUOT"
        case EISDIR: "EISDIR"
        case ENOENT: "ENOENT"
        case ENOTDIR: "ENOTDIR"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case EROFS: "EROFS"
        case EPIPE: "EPIPE"
        case EIO: "EIO"
        case EFBIG: "EFBIG"
        case EBADF: "EBADF"
        default: nil
        }
    }
}
