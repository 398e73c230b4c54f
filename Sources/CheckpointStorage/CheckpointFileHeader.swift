/// The fixed 80-byte header in front of every checkpoint file's payload.
///
/// Layout (little-endian):
///
/// | offset | bytes | field |
/// |---|---|---|
/// | 0 | 8 | magic `RWNDCKPT` |
/// | 8 | 4 | format version (1) |
/// | 12 | 4 | header size (80) |
/// | 16 | 8 | run identifier (random per store) |
/// | 24 | 8 | step |
/// | 32 | 8 | slot |
/// | 40 | 8 | state bytes (before the codec) |
/// | 48 | 8 | payload bytes (after the codec) |
/// | 56 | 8 | codec code (compression, filter, width, block size) |
/// | 64 | 8 | XXH64 of the payload |
/// | 72 | 8 | XXH64 of bytes 0 ..< 72 |
///
/// A file whose magic differs is *foreign*; whose run, step or slot differ is *stale*;
/// whose sizes or checksums disagree is *corrupt* or *truncated*; whose header is all
/// zeros (``blank``, written first by every store into a reused slot file) is *unfinished*:
/// its write was interrupted. All are refused.
struct CheckpointFileHeader: Equatable {
    static let size = 80
    static let magic: UInt64 = 0x5450_4B43_444E_5752  // "RWNDCKPT" read little-endian
    static let version: UInt32 = 1

    var runID: UInt64
    var step: Int
    var slot: Int
    var rawSize: Int
    var payloadSize: Int
    var codecCode: UInt64
    var payloadChecksum: UInt64

    /// The 80 zero bytes a store writes over a slot file's header before anything else, so
    /// that until the valid header is written last, the file reads as unfinished.
    static let blank = [UInt8](repeating: 0, count: size)

    /// The header's 80 bytes.
    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        bytes.withUnsafeMutableBytes { raw in
            func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) { raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
            put(Self.magic, 0)
            put(Self.version, 8)
            put(UInt32(Self.size), 12)
            put(runID, 16)
            put(Int64(step), 24)
            put(Int64(slot), 32)
            put(UInt64(rawSize), 40)
            put(UInt64(payloadSize), 48)
            put(codecCode, 56)
            put(payloadChecksum, 64)
            put(XXH64.hash(UnsafeRawBufferPointer(rebasing: raw[0 ..< 72])), 72)
        }
        return bytes
    }

    /// Parses and checks a header; the reason says why a header is refused.
    static func decode(_ raw: UnsafeRawBufferPointer) -> Result<CheckpointFileHeader, CheckpointCodingError> {
        guard raw.count >= size else { return .failure(.init("the file has \(raw.count) bytes, less than the \(size)-byte header (truncated)")) }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        if raw[0 ..< size].allSatisfy({ $0 == 0 }) {
            return .failure(.init("the header is blank: the checkpoint's write did not finish (interrupted or failed)"))
        }
        guard get(0, UInt64.self) == magic else { return .failure(.init("not a Rewind checkpoint file (foreign magic number)")) }
        guard get(72, UInt64.self) == XXH64.hash(UnsafeRawBufferPointer(rebasing: raw[0 ..< 72])) else {
            return .failure(.init("the header checksum does not match (corrupt header)"))
        }
        let version = get(8, UInt32.self)
        guard version == Self.version, get(12, UInt32.self) == UInt32(size) else {
            return .failure(.init("format version \(version), this build reads version \(Self.version)"))
        }
        return .success(CheckpointFileHeader(
            runID: get(16, UInt64.self), step: Int(get(24, Int64.self)), slot: Int(get(32, Int64.self)),
            rawSize: Int(truncatingIfNeeded: get(40, UInt64.self)), payloadSize: Int(truncatingIfNeeded: get(48, UInt64.self)),
            codecCode: get(56, UInt64.self), payloadChecksum: get(64, UInt64.self)))
    }
}
