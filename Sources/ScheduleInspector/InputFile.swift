#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads inputs through checked system calls, so that a missing file, a directory or an
/// unreadable file is a one-line error naming the path, the errno and the fix, never a
/// Foundation error code.
///
/// ```swift
/// let bytes = try InputFile.read(path: "run.json")   // a directory throws, naming EISDIR
/// ```
public enum InputFile {
    /// The whole content of the regular file (or pipe) at `path`.
    /// - Throws: ``InspectorError/cannotRead(path:reason:)`` naming the errno and the fix.
    /// - Complexity: O(bytes).
    public static func read(path: String) throws(InspectorError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path: path, errno: errno) }
        if status.st_mode & S_IFMT == S_IFDIR { throw failure(path: path, errno: EISDIR) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            #if canImport(Glibc)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            #else
            let count = chunk.withUnsafeMutableBytes { Darwin.read(descriptor, $0.baseAddress!, $0.count) }
            #endif
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path: path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The one-line error for a failed read of `path`: what the errno means and what to do.
    public static func failure(path: String, errno code: Int32) -> InspectorError {
        let meaning = String(cString: strerror(code))
        let name = OutputFile.errnoName(code).map { " (\($0))" } ?? " (errno \(code))"
        let reason: String = switch code {
        case EISDIR: "it is a directory (EISDIR)"
        case ENOENT: "no such file (ENOENT)"
        case ENOTDIR: "a part of the path is not a directory (ENOTDIR)"
        case EACCES, EPERM: meaning.prefix(1).lowercased() + meaning.dropFirst() + name + "; make the file readable (chmod u+r) or run as its owner"
        default: meaning.prefix(1).lowercased() + meaning.dropFirst() + name
        }
        return .cannotRead(path: path, reason: reason)
    }
}
