/// A state that can be saved as flat bytes and rebuilt from them, bit for bit.
///
/// Stores that keep checkpoints outside Swift values (compressed RAM, files) need the
/// state as bytes. A conforming type says how many bytes it needs, writes them through a
/// ``CheckpointByteWriter`` and reads them back through a ``CheckpointByteReader``.
/// `Double`, `Float`, `[Double]` and `[Float]` conform; a struct of such fields conforms
/// in a few lines by writing and reading its fields in the same order:
///
/// ```swift
/// struct Particles: CheckpointCodable {
///     var positions: [Double]
///     var time: Double
///
///     var checkpointEncodedByteCount: Int { positions.checkpointEncodedByteCount + time.checkpointEncodedByteCount }
///     func encodeCheckpoint(to writer: inout CheckpointByteWriter) {
///         writer.write(positions)
///         writer.write(time)
///     }
///     init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError) {
///         positions = try reader.read()
///         time = try reader.read()
///     }
/// }
/// ```
///
/// The round trip must be exact: `State(checkpointBytes: s.checkpointBytes())` has the
/// same bits as `s` (NaN payloads and the sign of zero included), because a checkpointed
/// gradient must equal the store-all gradient exactly.
///
/// - Complexity: O(``checkpointEncodedByteCount``) to encode and to decode.
public protocol CheckpointCodable {
    /// The exact number of bytes ``encodeCheckpoint(to:)`` writes. (Named apart from
    /// `CheckpointedAD.CheckpointSized.checkpointByteCount`, the in-memory size a budget
    /// counts: an encoded array also carries its 8-byte element count.)
    var checkpointEncodedByteCount: Int { get }
    /// Writes exactly ``checkpointEncodedByteCount`` bytes.
    func encodeCheckpoint(to writer: inout CheckpointByteWriter)
    /// Rebuilds the state from the bytes ``encodeCheckpoint(to:)`` wrote; throws when the
    /// bytes run out or do not describe a valid state.
    init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError)
}

extension CheckpointCodable {
    /// Writes the state into `buffer`, which must hold exactly ``checkpointEncodedByteCount`` bytes.
    ///
    /// - Complexity: O(``checkpointEncodedByteCount``).
    public func encodeCheckpoint(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(
            buffer.count == checkpointEncodedByteCount,
            "a checkpoint of \(checkpointEncodedByteCount) bytes cannot be written into a buffer of \(buffer.count) bytes")
        var writer = CheckpointByteWriter(buffer)
        encodeCheckpoint(to: &writer)
        precondition(
            writer.offset == buffer.count,
            "\(Self.self).encodeCheckpoint wrote \(writer.offset) bytes but checkpointEncodedByteCount says \(buffer.count)")
    }

    /// The state's bytes as an array.
    ///
    /// - Complexity: O(``checkpointEncodedByteCount``).
    public func checkpointBytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: checkpointEncodedByteCount) { buffer, count in
            encodeCheckpoint(into: UnsafeMutableRawBufferPointer(buffer))
            count = buffer.count
        }
    }

    /// Rebuilds a state from exactly the bytes ``encodeCheckpoint(into:)`` wrote; leftover
    /// bytes are an error.
    ///
    /// - Complexity: O(`bytes.count`).
    public init(checkpointBytes bytes: UnsafeRawBufferPointer) throws(CheckpointCodingError) {
        var reader = CheckpointByteReader(bytes)
        try self.init(checkpointFrom: &reader)
        guard reader.remaining == 0 else {
            throw CheckpointCodingError("\(reader.remaining) bytes left over after decoding \(Self.self) from \(bytes.count) bytes")
        }
    }
}

/// Bytes that could not be turned back into a state, or a compressed stream that does not
/// decode. The store that sees it reports a ``CheckpointStoreError/corrupt(step:slot:reason:)``.
public struct CheckpointCodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the bytes.
    public var reason: String
    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "cannot decode the checkpoint: \(reason)" }
}

/// A cursor that writes a state's fields, one after the other, into a raw buffer.
///
/// - Complexity: each write is O(bytes written).
public struct CheckpointByteWriter {
    /// The buffer being filled.
    public let buffer: UnsafeMutableRawBufferPointer
    /// How many bytes have been written.
    public private(set) var offset = 0

    /// A writer at the start of `buffer`.
    public init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

    /// Copies `bytes` at the current offset.
    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        precondition(
            offset + bytes.count <= buffer.count,
            "writing \(bytes.count) bytes at offset \(offset) overflows the \(buffer.count)-byte checkpoint buffer")
        if let base = bytes.baseAddress, bytes.count > 0 {
            (buffer.baseAddress! + offset).copyMemory(from: base, byteCount: bytes.count)
        }
        offset += bytes.count
    }

    /// Writes a trivial value's bytes (its in-memory representation).
    public mutating func writeTrivial<T: BitwiseCopyable>(_ value: T) {
        withUnsafeBytes(of: value) { writeBytes($0) }
    }

    /// Writes any codable value (fields of a struct, nested states).
    public mutating func write<T: CheckpointCodable>(_ value: T) {
        value.encodeCheckpoint(to: &self)
    }
}

/// A cursor that reads a state's fields back from raw bytes, checking that they are there.
///
/// - Complexity: each read is O(bytes read).
public struct CheckpointByteReader {
    /// The bytes being read.
    public let bytes: UnsafeRawBufferPointer
    /// How many bytes have been read.
    public private(set) var offset = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The bytes not read yet.
    public var remaining: Int { bytes.count - offset }

    /// The next `count` bytes; throws if fewer remain.
    public mutating func readBytes(_ count: Int) throws(CheckpointCodingError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw CheckpointCodingError("needed \(count) bytes at offset \(offset) but only \(remaining) remain")
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + count])
    }

    /// Reads a trivial value written by ``CheckpointByteWriter/writeTrivial(_:)``.
    public mutating func readTrivial<T: BitwiseCopyable>(_: T.Type = T.self) throws(CheckpointCodingError) -> T {
        let raw = try readBytes(MemoryLayout<T>.size)
        return raw.loadUnaligned(as: T.self)
    }

    /// Reads any codable value.
    public mutating func read<T: CheckpointCodable>(_: T.Type = T.self) throws(CheckpointCodingError) -> T {
        try T(checkpointFrom: &self)
    }
}
