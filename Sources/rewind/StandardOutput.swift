#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ScheduleInspector

/// A buffered writer to stdout or stderr: long action streams go out in 64 KiB chunks,
/// not one system call per line. Every `write(2)` is checked: the first failure (a full
/// disk, a closed pipe) is kept in ``failure`` and later text is dropped; ``finish()``
/// flushes and throws it, so a command never exits 0 after losing output.
final class FileOutput: CheckedTextOutputStream {
    let descriptor: Int32
    /// The name errors use: "standard output" or "standard error".
    let name: String
    private var buffer: [UInt8] = []
    private(set) var failure: InspectorError?

    /// Standard output.
    static func standardOutput() -> FileOutput { FileOutput(descriptor: 1, name: "standard output") }
    /// Standard error.
    static func standardError() -> FileOutput { FileOutput(descriptor: 2, name: "standard error") }

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    func write(_ string: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes everything buffered; a failure is kept in ``failure``.
    func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            do throws(InspectorError) { try OutputFile.write(bytes, to: descriptor, path: name) } catch { failure = error }
        }
    }

    /// Flushes, then throws the first failed write, if any.
    /// - Throws: ``InspectorError/cannotWrite(path:reason:)`` naming the stream and errno.
    func finish() throws(InspectorError) {
        flush()
        if let failure { throw failure }
    }

    /// Whether the stream is a terminal (colour, progress bars only then).
    var isTerminal: Bool { isatty(descriptor) == 1 }
}

extension FileOutput {
    /// Writes `text` and a newline to standard output and checks that it arrived.
    static func print(_ text: String) throws(InspectorError) {
        let output = standardOutput()
        output.write(text + "\n")
        try output.finish()
    }
}
