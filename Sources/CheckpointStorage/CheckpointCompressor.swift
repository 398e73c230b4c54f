import CZstd

/// The encoding half of a ``CheckpointCodec`` with its reusable state: a zstd context and
/// one block of scratch. Streams any amount of input to a sink in bounded chunks.
///
/// ```swift
/// let compressor = CheckpointCompressor(codec: .shuffledZstd())
/// try compressor.compress(bytes) { chunk in try file.write(chunk) }
/// ```
///
/// Not thread-safe: one compressor per thread.
///
/// - Complexity: O(input) time, O(``CheckpointCodec/blockSize``) memory.
public final class CheckpointCompressor {
    /// The codec it runs.
    public let codec: CheckpointCodec
    private var context: OpaquePointer?
    private let scratch: ByteBuffer?
    private let output: ByteBuffer?
    /// Blocks for which each lane is stored raw without trying zstd again (lane-wise format).
    private var rawLaneSkips: [Int] = []

    /// A compressor for `codec`.
    public init(codec: CheckpointCodec) {
        self.codec = codec
        if case .shuffle = codec.filter { scratch = ByteBuffer(capacity: codec.blockSize) } else { scratch = nil }
        if case let .zstd(level, workers) = codec.compression {
            guard let context = ZSTD_createCCtx() else { preconditionFailure("libzstd could not allocate a compression context") }
            self.context = context
            ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
            if workers > 0 && !codec.isLaneWise {
                // Silently single-threaded if libzstd was built without threads.
                _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(workers))
            }
            output = ByteBuffer(capacity: codec.isLaneWise
                ? Int(ZSTD_compressBound(codec.blockSize)) : Swift.max(Int(ZSTD_CStreamOutSize()), 64))
        } else {
            output = nil
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Encodes `raw`, handing the encoded bytes to `sink` chunk by chunk (each chunk at most
    /// max(block size, 128 KiB) bytes, valid only during the call).
    public func compress<E: Error>(_ raw: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        if codec.isLaneWise { return try compressLanes(raw, to: sink) }
        if let context { ZSTD_CCtx_reset(context, ZSTD_reset_session_only) }
        if let context { ZSTD_CCtx_setPledgedSrcSize(context, UInt64(raw.count)) }
        var offset = 0
        while offset < raw.count {
            let end = Swift.min(offset + codec.blockSize, raw.count)
            var block = UnsafeRawBufferPointer(rebasing: raw[offset ..< end])
            if case let .shuffle(width, xor) = codec.filter, let scratch {
                let filtered = UnsafeMutableRawBufferPointer(start: scratch.base, count: block.count)
                ByteShuffle.shuffle(block, into: filtered, width: width, xorWithPrevious: xor)
                block = UnsafeRawBufferPointer(filtered)
            }
            if context != nil { try feed(block, end: false, to: sink) } else { try sink(block) }
            offset = end
        }
        if context != nil { try feed(UnsafeRawBufferPointer(start: nil, count: 0), end: true, to: sink) }
    }

    /// The lane-wise format of shuffle + zstd: each lane of each shuffled block is its own
    /// zstd frame, or raw when zstd cannot shrink it by 2% — the noisy low mantissa bytes
    /// of floating-point data, which zstd would spend most of its time on for nothing. A
    /// lane found incompressible is stored raw without trying for the next 8 blocks.
    ///
    /// Per lane: 1 byte mode (0 raw, 1 zstd), 4 bytes little-endian length, the bytes.
    private func compressLanes<E: Error>(_ raw: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        guard case let .shuffle(width, xor) = codec.filter, let context, let scratch, let output else { return }
        rawLaneSkips = Array(repeating: 0, count: width + 1)
        var offset = 0
        while offset < raw.count {
            let end = Swift.min(offset + codec.blockSize, raw.count)
            let filtered = UnsafeMutableRawBufferPointer(start: scratch.base, count: end - offset)
            ByteShuffle.shuffle(UnsafeRawBufferPointer(rebasing: raw[offset ..< end]), into: filtered, width: width, xorWithPrevious: xor)
            for (index, segment) in LaneSegments(blockCount: filtered.count, width: width).enumerated() {
                let lane = UnsafeRawBufferPointer(rebasing: filtered[segment])
                var header: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0)
                var payload = lane
                if rawLaneSkips[index] > 0 {
                    rawLaneSkips[index] -= 1
                } else {
                    let size = ZSTD_compress2(context, output.base, output.capacity, lane.baseAddress, lane.count)
                    if ZSTD_isError(size) != 0 {
                        preconditionFailure("zstd compression failed: \(String(cString: ZSTD_getErrorName(size)))")
                    }
                    if size < lane.count - lane.count / 50 {
                        header.0 = 1
                        payload = UnsafeRawBufferPointer(start: output.base, count: size)
                    } else {
                        rawLaneSkips[index] = 8
                    }
                }
                withUnsafeMutableBytes(of: &header) { $0.storeBytes(of: UInt32(payload.count).littleEndian, toByteOffset: 1, as: UInt32.self) }
                try withUnsafeBytes(of: header) { (bytes) throws(E) in try sink(UnsafeRawBufferPointer(rebasing: bytes[0 ..< 5])) }
                if payload.count > 0 { try sink(payload) }
            }
            offset = end
        }
    }

    private func feed<E: Error>(_ block: UnsafeRawBufferPointer, end: Bool, to sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        guard let context, let output else { return }
        var input = ZSTD_inBuffer(src: block.baseAddress, size: block.count, pos: 0)
        var out = ZSTD_outBuffer(dst: output.base, size: output.capacity, pos: 0)
        while true {
            let remaining = ZSTD_compressStream2(context, &out, &input, end ? ZSTD_e_end : ZSTD_e_continue)
            if ZSTD_isError(remaining) != 0 {
                preconditionFailure("zstd compression failed: \(String(cString: ZSTD_getErrorName(remaining)))")
            }
            let finished = end ? remaining == 0 : input.pos == input.size
            if out.pos == out.size || (finished && out.pos > 0) {
                try sink(UnsafeRawBufferPointer(start: output.base, count: out.pos))
                out.pos = 0
            }
            if finished { return }
        }
    }
}

/// The decoding half of a ``CheckpointCodec`` with its reusable state. Pulls encoded bytes
/// from a source in bounded chunks and fills a destination of known size; anything but an
/// exact, complete encoding is a ``CheckpointCodingError``.
///
/// Not thread-safe: one decompressor per thread.
///
/// - Complexity: O(output) time, O(``CheckpointCodec/blockSize``) memory.
public final class CheckpointDecompressor {
    /// The codec it runs.
    public let codec: CheckpointCodec
    private var context: OpaquePointer?
    private let scratch: ByteBuffer?
    private let input: ByteBuffer?

    /// A decompressor for `codec`.
    public init(codec: CheckpointCodec) {
        self.codec = codec
        if case .shuffle = codec.filter { scratch = ByteBuffer(capacity: codec.blockSize) } else { scratch = nil }
        if case .zstd = codec.compression {
            guard let context = ZSTD_createDCtx() else { preconditionFailure("libzstd could not allocate a decompression context") }
            self.context = context
            input = ByteBuffer(capacity: codec.isLaneWise
                ? Int(ZSTD_compressBound(codec.blockSize)) : Swift.max(Int(ZSTD_DStreamInSize()), 64))
        } else {
            input = nil
        }
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Fills `raw` with the decoding of the bytes `source` yields. `source` copies up to
    /// `destination.count` encoded bytes into `destination` and returns how many (0 at the
    /// end of the encoded stream).
    public func decompress(
        into raw: UnsafeMutableRawBufferPointer, from source: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(CheckpointCodingError) {
        if codec.isLaneWise { return try decompressLanes(into: raw, from: source) }
        var stream = Stream(context: context, input: input)
        var offset = 0
        while offset < raw.count {
            let end = Swift.min(offset + codec.blockSize, raw.count)
            let destination = UnsafeMutableRawBufferPointer(rebasing: raw[offset ..< end])
            if case let .shuffle(width, xor) = codec.filter, let scratch {
                let filtered = UnsafeMutableRawBufferPointer(start: scratch.base, count: destination.count)
                try stream.fill(filtered, at: offset, from: source)
                ByteShuffle.unshuffle(UnsafeRawBufferPointer(filtered), into: destination, width: width, xorWithPrevious: xor)
            } else {
                try stream.fill(destination, at: offset, from: source)
            }
            offset = end
        }
        try stream.finish(after: raw.count, from: source)
    }

    /// Decodes the lane-wise format (see `CheckpointCompressor.compressLanes`).
    private func decompressLanes(
        into raw: UnsafeMutableRawBufferPointer, from source: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(CheckpointCodingError) {
        guard case let .shuffle(width, xor) = codec.filter, let context, let scratch, let input else { return }
        var stream = Stream(context: nil, input: nil)  // exact reads of the raw source
        var offset = 0
        var header: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0)
        while offset < raw.count {
            let end = Swift.min(offset + codec.blockSize, raw.count)
            let filtered = UnsafeMutableRawBufferPointer(start: scratch.base, count: end - offset)
            for segment in LaneSegments(blockCount: filtered.count, width: width) {
                let lane = UnsafeMutableRawBufferPointer(rebasing: filtered[segment])
                try withUnsafeMutableBytes(of: &header) { (bytes) throws(CheckpointCodingError) in
                    try stream.fill(UnsafeMutableRawBufferPointer(rebasing: bytes[0 ..< 5]), at: offset, from: source)
                }
                let length = Int(UInt32(littleEndian: withUnsafeBytes(of: header) { $0.loadUnaligned(fromByteOffset: 1, as: UInt32.self) }))
                switch header.0 {
                case 0:
                    guard length == lane.count else { throw CheckpointCodingError("a raw lane of \(length) bytes where \(lane.count) belong") }
                    try stream.fill(lane, at: offset, from: source)
                case 1:
                    guard length <= input.capacity else { throw CheckpointCodingError("a compressed lane of \(length) bytes is larger than possible") }
                    let packed = UnsafeMutableRawBufferPointer(start: input.base, count: length)
                    try stream.fill(packed, at: offset, from: source)
                    let size = ZSTD_decompressDCtx(context, lane.baseAddress, lane.count, packed.baseAddress, length)
                    if ZSTD_isError(size) != 0 { throw CheckpointCodingError("zstd: \(String(cString: ZSTD_getErrorName(size)))") }
                    guard size == lane.count else { throw CheckpointCodingError("a lane decoded to \(size) bytes, not \(lane.count)") }
                default:
                    throw CheckpointCodingError("unknown lane mode \(header.0)")
                }
            }
            ByteShuffle.unshuffle(UnsafeRawBufferPointer(filtered), into: UnsafeMutableRawBufferPointer(rebasing: raw[offset ..< end]), width: width, xorWithPrevious: xor)
            offset = end
        }
        try stream.finish(after: raw.count, from: source)
    }

    /// Fills `raw` with the decoding of `encoded`, which must be a complete encoding.
    public func decompress(into raw: UnsafeMutableRawBufferPointer, from encoded: UnsafeRawBufferPointer) throws(CheckpointCodingError) {
        var offset = 0
        try decompress(into: raw) { destination in
            let n = Swift.min(destination.count, encoded.count - offset)
            if n > 0 { destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: encoded[offset ..< offset + n])) }
            offset += n
            return n
        }
    }

    /// Fills `raw` with the decoding of the array `encoded`.
    func decompress(into raw: UnsafeMutableRawBufferPointer, from encoded: [UInt8]) throws(CheckpointCodingError) {
        var failure: CheckpointCodingError?
        encoded.withUnsafeBytes { source in
            do throws(CheckpointCodingError) {
                try decompress(into: raw, from: source)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// The compression layer of the decoder: exact fills, then an exact end.
    private struct Stream {
        let context: OpaquePointer?
        let input: ByteBuffer?
        var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        var frameEnded = false

        init(context: OpaquePointer?, input: ByteBuffer?) {
            self.context = context
            self.input = input
            if let context { ZSTD_DCtx_reset(context, ZSTD_reset_session_only) }
        }

        /// Refills the input buffer; false at the end of the source.
        private mutating func refill(_ source: (UnsafeMutableRawBufferPointer) -> Int) -> Bool {
            guard let input else { return false }
            let n = source(input.all)
            inBuffer = ZSTD_inBuffer(src: input.base, size: n, pos: 0)
            return n > 0
        }

        mutating func fill(
            _ destination: UnsafeMutableRawBufferPointer, at offset: Int, from source: (UnsafeMutableRawBufferPointer) -> Int
        ) throws(CheckpointCodingError) {
            guard let context else {
                var filled = 0
                while filled < destination.count {
                    let n = source(UnsafeMutableRawBufferPointer(rebasing: destination[filled...]))
                    guard n > 0 else { throw CheckpointCodingError("the stored bytes end after \(offset + filled) bytes") }
                    filled += n
                }
                return
            }
            var out = ZSTD_outBuffer(dst: destination.baseAddress, size: destination.count, pos: 0)
            while out.pos < out.size {
                if frameEnded { throw CheckpointCodingError("the zstd frame ends after \(offset + out.pos) bytes") }
                if inBuffer.pos == inBuffer.size, !refill(source) {
                    throw CheckpointCodingError("the compressed bytes end after \(offset + out.pos) decoded bytes")
                }
                let hint = ZSTD_decompressStream(context, &out, &inBuffer)
                if ZSTD_isError(hint) != 0 { throw CheckpointCodingError("zstd: \(String(cString: ZSTD_getErrorName(hint)))") }
                if hint == 0 { frameEnded = true }
            }
        }

        mutating func finish(after count: Int, from source: (UnsafeMutableRawBufferPointer) -> Int) throws(CheckpointCodingError) {
            if let context {
                var spare: UInt8 = 0
                while !frameEnded {
                    if inBuffer.pos == inBuffer.size, !refill(source) {
                        throw CheckpointCodingError("the compressed bytes end before the zstd frame does")
                    }
                    let hint = withUnsafeMutableBytes(of: &spare) { spareBytes in
                        var out = ZSTD_outBuffer(dst: spareBytes.baseAddress, size: 1, pos: 0)
                        let hint = ZSTD_decompressStream(context, &out, &inBuffer)
                        return out.pos > 0 ? -1 : hint
                    }
                    if hint == -1 { throw CheckpointCodingError("the zstd frame holds more than the expected \(count) bytes") }
                    if ZSTD_isError(hint) != 0 { throw CheckpointCodingError("zstd: \(String(cString: ZSTD_getErrorName(hint)))") }
                    if hint == 0 { frameEnded = true }
                }
                if inBuffer.pos < inBuffer.size { throw CheckpointCodingError("bytes follow the end of the zstd frame") }
            }
            var spare: UInt8 = 0
            let extra = withUnsafeMutableBytes(of: &spare) { source($0) }
            if extra > 0 { throw CheckpointCodingError("bytes follow the \(count) expected ones") }
        }
    }
}

/// The byte ranges of a shuffled block: `width` lanes of ⌊count / width⌋ bytes, then the
/// tail of count mod width bytes when there is one. Empty lanes are left out.
struct LaneSegments: Sequence {
    let blockCount: Int
    let width: Int

    func makeIterator() -> AnyIterator<Range<Int>> {
        let lane = blockCount / width
        var ranges: [Range<Int>] = lane > 0 ? (0 ..< width).map { $0 * lane ..< ($0 + 1) * lane } : []
        if blockCount > lane * width { ranges.append(lane * width ..< blockCount) }
        return AnyIterator(ranges.makeIterator())
    }
}
