import CZstd

/// How a checkpoint's bytes are turned into stored bytes and back: an optional lossless
/// filter followed by optional compression. Codecs are plain values; every round trip is
/// bit-exact.
///
/// ```swift
/// let codec = CheckpointCodec.shuffledZstd(level: 1)      // floating-point fields
/// let packed = codec.encode(bytes)
/// let back = try codec.decode(packed, rawCount: bytes.count)  // == bytes
/// ```
///
/// Data is processed in blocks of ``blockSize`` bytes (the filter works per block and the
/// compressor streams), so a state of any size, beyond 2 GiB included, is encoded with
/// O(``blockSize``) extra memory and written in bounded chunks.
///
/// Measured on 64 MiB float64 fields (see `Benchmarks/Reports/storage-report`): zstd alone
/// gains ~1.05× on floating-point data; the 8-lane shuffle first gives ~1.5× on a smooth
/// field at level 1.
///
/// - Complexity: O(bytes) per encode and decode.
public struct CheckpointCodec: Hashable, Sendable, CustomStringConvertible {
    /// The compression stage.
    public enum Compression: Hashable, Sendable {
        /// Bytes stored as they are (after the filter).
        case none
        /// Zstandard (RFC 8878) at `level` (1 fastest … 19; negative levels are faster
        /// still), with `workers` background threads of libzstd (0: compress on the
        /// calling thread).
        case zstd(level: Int, workers: Int)
    }

    /// The filter applied before compression.
    public enum Filter: Hashable, Sendable {
        /// No filter.
        case none
        /// The byte-shuffle filter over values of `width` bytes (8 for `Double`, 4 for
        /// `Float`), optionally XOR-ing each value with the previous one first.
        case shuffle(width: Int, xorWithPrevious: Bool)
    }

    /// The filter stage.
    public var filter: Filter
    /// The compression stage.
    public var compression: Compression
    /// The streaming block: the filter's unit and the largest buffer a codec allocates
    /// besides the state itself. A multiple of the filter width works best.
    public var blockSize: Int

    /// A codec from its stages.
    public init(filter: Filter = .none, compression: Compression = .none, blockSize: Int = 1 << 20) {
        precondition(blockSize > 0, "a codec's block size must be positive, got \(blockSize)")
        if case let .shuffle(width, _) = filter {
            precondition(width > 0 && width <= 256, "a shuffle width must be 1…256 bytes, got \(width)")
        }
        if case let .zstd(level, workers) = compression {
            precondition(
                level >= Int(ZSTD_minCLevel()) && level <= Int(ZSTD_maxCLevel()),
                "zstd levels run from \(ZSTD_minCLevel()) to \(ZSTD_maxCLevel()), got \(level)")
            precondition(workers >= 0, "zstd worker threads cannot be negative, got \(workers)")
        }
        self.filter = filter
        self.compression = compression
        self.blockSize = blockSize
    }

    /// The lanes per shuffled block (1 without the filter).
    private var laneCount: Int {
        if case let .shuffle(width, _) = filter { return width }
        return 1
    }

    /// Bytes stored as they are.
    public static let identity = CheckpointCodec()

    /// Zstandard at `level` with `workers` libzstd threads.
    public static func zstd(level: Int = 3, workers: Int = 0) -> CheckpointCodec {
        CheckpointCodec(compression: .zstd(level: level, workers: workers))
    }

    /// The byte-shuffle filter over `width`-byte values, then zstd: the codec for
    /// floating-point states.
    public static func shuffledZstd(
        level: Int = 1, width: Int = 8, xorWithPrevious: Bool = false, workers: Int = 0
    ) -> CheckpointCodec {
        CheckpointCodec(filter: .shuffle(width: width, xorWithPrevious: xorWithPrevious), compression: .zstd(level: level, workers: workers))
    }

    /// A short name such as `shuffle8+xor+zstd(1)`.
    public var description: String {
        var parts: [String] = []
        if case let .shuffle(width, xor) = filter { parts.append("shuffle\(width)" + (xor ? "+xor" : "")) }
        if case let .zstd(level, workers) = compression { parts.append("zstd(\(level)" + (workers > 0 ? ", \(workers) threads)" : ")")) }
        if blockSize != 1 << 20 { parts.append("block \(blockSize)") }
        return parts.isEmpty ? "identity" : parts.joined(separator: "+")
    }

    /// The most bytes ``encode(_:)`` can produce from `rawCount` bytes.
    ///
    /// - Complexity: O(1).
    public func maxEncodedCount(rawCount: Int) -> Int {
        switch compression {
        case .none: rawCount
        case .zstd:
            isLaneWise
                ? rawCount + (rawCount / blockSize + 1) * 5 * (laneCount + 1) + 64
                : Int(ZSTD_compressBound(rawCount)) + 64
        }
    }

    /// Encodes `raw` into a new array.
    ///
    /// - Complexity: O(`raw.count`).
    public func encode(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(maxEncodedCount(rawCount: raw.count))
        CheckpointCompressor(codec: self).compress(raw) { (chunk: UnsafeRawBufferPointer) in out.append(contentsOf: chunk) }
        return out
    }

    /// Decodes `encoded`, which must expand to exactly `rawCount` bytes.
    ///
    /// - Throws: ``CheckpointCodingError`` when the bytes are not a complete encoding of
    ///   `rawCount` bytes by this codec.
    /// - Complexity: O(`rawCount`).
    public func decode(_ encoded: UnsafeRawBufferPointer, rawCount: Int) throws(CheckpointCodingError) -> [UInt8] {
        let decompressor = CheckpointDecompressor(codec: self)
        var failure: CheckpointCodingError?
        let out = [UInt8](unsafeUninitializedCapacity: rawCount) { buffer, count in
            do throws(CheckpointCodingError) {
                try decompressor.decompress(into: UnsafeMutableRawBufferPointer(buffer), from: encoded)
                count = rawCount
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Shuffle + zstd compress lane by lane (see ``CheckpointCompressor``), storing the
    /// lanes zstd cannot shrink raw.
    var isLaneWise: Bool {
        if case .shuffle = filter, case .zstd = compression { return true }
        return false
    }

    /// A compact code for file headers: compression kind, filter kind, width, block size.
    var headerCode: UInt64 {
        var kind: UInt64 = 0
        if case .zstd = compression { kind = 1 }
        var filterKind: UInt64 = 0, width: UInt64 = 0
        if case let .shuffle(w, xor) = filter {
            filterKind = xor ? 2 : 1
            width = UInt64(w)
        }
        return kind | filterKind << 8 | width << 16 | UInt64(blockSize) << 32
    }

    /// Whether stored bytes written under `code` can be decoded by this codec (the level and
    /// the thread count do not matter for decoding).
    func canDecode(headerCode code: UInt64) -> Bool { code == headerCode }
}
