// Reading the small text files of /proc without Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a small text file of short lines (such as /proc/self/status), each without
/// its newline (a line past 511 bytes comes back in pieces); nil when the file cannot be
/// opened (off Linux).
func textLines(ofFile path: String) -> [String]? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var lines: [String] = []
    var buffer = [CChar](repeating: 0, count: 512)
    while fgets(&buffer, Int32(buffer.count), file) != nil {
        var line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if line.hasSuffix("\n") { line.removeLast() }
        lines.append(line)
    }
    return lines
}
