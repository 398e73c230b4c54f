#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to stdout or stderr: long action streams go out in 64 KiB chunks,
/// not one system call per line. Flushes when it goes away.
final class FileOutput: TextOutputStream {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Standard output.
    static func standardOutput() -> FileOutput { FileOutput(descriptor: 1) }
    /// Standard error.
    static func standardError() -> FileOutput { FileOutput(descriptor: 2) }

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes everything buffered.
    func flush() {
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                #else
                let written = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                #endif
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether the stream is a terminal (colour, progress bars only then).
    var isTerminal: Bool { isatty(descriptor) == 1 }
}
