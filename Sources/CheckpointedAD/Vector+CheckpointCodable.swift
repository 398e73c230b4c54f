import CheckpointStorage

extension Vector: CheckpointCodable {
    /// 8 bytes of element count, then 8 bytes per element.
    @inlinable public var checkpointEncodedByteCount: Int { storage.checkpointEncodedByteCount }

    /// Writes the count and the elements' IEEE-754 bits with one copy (two for a rotated
    /// view, which is put in order first).
    ///
    /// - Complexity: O(count).
    @inlinable public func encodeCheckpoint(to writer: inout CheckpointByteWriter) { writer.write(scalars) }

    /// Reads what ``encodeCheckpoint(to:)`` wrote.
    ///
    /// - Complexity: O(count).
    @inlinable public init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError) {
        self.init(try reader.read([Double].self))
    }
}
