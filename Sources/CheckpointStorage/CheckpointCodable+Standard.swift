// Conformances of the standard floating-point scalars and their arrays.
//
// Scalars are their IEEE-754 bits (so NaN payloads and -0.0 survive). Arrays are an 8-byte
// element count followed by the elements, so 8-byte elements stay 8-byte aligned in the
// stream and the byte-shuffle filter sees whole values in its lanes.

extension Double: CheckpointCodable {
    /// 8 bytes.
    public var checkpointEncodedByteCount: Int { 8 }
    /// Writes the IEEE-754 bits.
    public func encodeCheckpoint(to writer: inout CheckpointByteWriter) { writer.writeTrivial(bitPattern) }
    /// Reads the IEEE-754 bits.
    public init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError) {
        self.init(bitPattern: try reader.readTrivial(UInt64.self))
    }
}

extension Float: CheckpointCodable {
    /// 4 bytes.
    public var checkpointEncodedByteCount: Int { 4 }
    /// Writes the IEEE-754 bits.
    public func encodeCheckpoint(to writer: inout CheckpointByteWriter) { writer.writeTrivial(bitPattern) }
    /// Reads the IEEE-754 bits.
    public init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError) {
        self.init(bitPattern: try reader.readTrivial(UInt32.self))
    }
}

/// The floating-point element types whose arrays are ``CheckpointCodable``: their bytes
/// are copied as one block.
public protocol CheckpointCodableScalar: CheckpointCodable, BitwiseCopyable {}
extension Double: CheckpointCodableScalar {}
extension Float: CheckpointCodableScalar {}

extension Array: CheckpointCodable where Element: CheckpointCodableScalar {
    /// 8 bytes of count plus the elements.
    ///
    /// - Complexity: O(1).
    public var checkpointEncodedByteCount: Int { 8 + count * MemoryLayout<Element>.stride }

    /// Writes the count, then the elements with one copy.
    ///
    /// - Complexity: O(`count`).
    public func encodeCheckpoint(to writer: inout CheckpointByteWriter) {
        writer.writeTrivial(UInt64(count))
        withUnsafeBytes { writer.writeBytes($0) }
    }

    /// Reads the count, then the elements with one copy.
    ///
    /// - Complexity: O(`count`).
    public init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError) {
        let stored = try reader.readTrivial(UInt64.self)
        let stride = UInt64(MemoryLayout<Element>.stride)
        guard stored <= UInt64(reader.remaining) / stride else {
            throw CheckpointCodingError("an array of \(stored) \(Element.self) needs more than the \(reader.remaining) bytes left")
        }
        let count = Int(stored)
        let raw = try reader.readBytes(count * MemoryLayout<Element>.stride)
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            initialized = count
        }
    }
}
