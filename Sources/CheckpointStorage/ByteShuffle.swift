/// The lossless byte-shuffle filter: a block of values of `width` bytes becomes `width`
/// lanes, lane j holding byte j of every value (optionally after XOR-ing each value with
/// the previous one).
///
/// Floating-point fields compress poorly as they are (zstd finds ~1.05× on float64),
/// because the slowly varying sign/exponent bytes are interleaved with noisy mantissa
/// bytes. Grouping equal byte positions puts the predictable bytes together: a smooth
/// float64 field reaches ~1.5× at zstd level 1 (the idea of Blosc's shuffle and of
/// HDF5's shuffle filter). XOR with the previous value turns slowly varying high bytes
/// into runs of zeros.
///
/// Bytes after the last whole value stay at the end, unchanged. The filter is its own
/// exact inverse through ``unshuffle(_:into:width:xorWithPrevious:)``.
///
/// Values are read as little-endian words: the file format assumes a little-endian host
/// (x86-64, arm64), which every platform Swift supports here is.
///
/// - Complexity: O(bytes); the 8-byte width runs an 8×8 byte transpose on registers.
enum ByteShuffle {
    /// Shuffles `source` into `destination` (same size).
    static func shuffle(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, width: Int, xorWithPrevious: Bool
    ) {
        filter("shuffle", source, into: destination, width: width) { src, dst, count in
            if width == 8 {
                shuffle8(src, dst, count: count, xorWithPrevious: xorWithPrevious)
            } else {
                shuffleGeneric(src, dst, count: count, width: width, xorWithPrevious: xorWithPrevious)
            }
        }
    }

    /// Restores what ``shuffle(_:into:width:xorWithPrevious:)`` filtered.
    static func unshuffle(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, width: Int, xorWithPrevious: Bool
    ) {
        filter("unshuffle", source, into: destination, width: width) { src, dst, count in
            if width == 8 {
                unshuffle8(src, dst, count: count, xorWithPrevious: xorWithPrevious)
            } else {
                unshuffleGeneric(src, dst, count: count, width: width, xorWithPrevious: xorWithPrevious)
            }
        }
    }

    /// The frame both directions share: checks the sizes, runs `values` on the whole values
    /// (their count given), and copies the bytes after the last whole value unchanged.
    @inline(__always)
    private static func filter(
        _ name: String, _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, width: Int,
        values: (UnsafeRawPointer, UnsafeMutableRawPointer, Int) -> Void
    ) {
        precondition(source.count == destination.count, "\(name) needs equal sizes, got \(source.count) and \(destination.count)")
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        let count = source.count / width
        let tail = source.count - count * width
        values(src, dst, count)
        if tail > 0 { (dst + count * width).copyMemory(from: src + count * width, byteCount: tail) }
    }

    /// Transposes an 8×8 byte matrix held as 8 little-endian words (row i = word i):
    /// afterwards word j holds byte j of every input word. It is its own inverse.
    @inline(__always)
    private static func transpose(
        _ x0: inout UInt64, _ x1: inout UInt64, _ x2: inout UInt64, _ x3: inout UInt64,
        _ x4: inout UInt64, _ x5: inout UInt64, _ x6: inout UInt64, _ x7: inout UInt64
    ) {
        @inline(__always) func swap(_ a: inout UInt64, _ b: inout UInt64, _ shift: UInt64, _ mask: UInt64) {
            let t = ((a >> shift) ^ b) & mask
            b ^= t
            a ^= t << shift
        }
        let m8: UInt64 = 0x00FF_00FF_00FF_00FF, m16: UInt64 = 0x0000_FFFF_0000_FFFF, m32: UInt64 = 0x0000_0000_FFFF_FFFF
        swap(&x0, &x1, 8, m8); swap(&x2, &x3, 8, m8); swap(&x4, &x5, 8, m8); swap(&x6, &x7, 8, m8)
        swap(&x0, &x2, 16, m16); swap(&x1, &x3, 16, m16); swap(&x4, &x6, 16, m16); swap(&x5, &x7, 16, m16)
        swap(&x0, &x4, 32, m32); swap(&x1, &x5, 32, m32); swap(&x2, &x6, 32, m32); swap(&x3, &x7, 32, m32)
    }

    private static func shuffle8(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, count: Int, xorWithPrevious: Bool) {
        @inline(__always) func load(_ i: Int) -> UInt64 { UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
        var previous: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            var x0 = load(i), x1 = load(i + 1), x2 = load(i + 2), x3 = load(i + 3)
            var x4 = load(i + 4), x5 = load(i + 5), x6 = load(i + 6), x7 = load(i + 7)
            if xorWithPrevious {
                let last = x7
                x7 ^= x6; x6 ^= x5; x5 ^= x4; x4 ^= x3; x3 ^= x2; x2 ^= x1; x1 ^= x0; x0 ^= previous
                previous = last
            }
            transpose(&x0, &x1, &x2, &x3, &x4, &x5, &x6, &x7)
            let lanes = (x0, x1, x2, x3, x4, x5, x6, x7)
            withUnsafeBytes(of: lanes) { words in
                for lane in 0 ..< 8 {
                    (dst + lane * count + i).storeBytes(of: words.load(fromByteOffset: 8 * lane, as: UInt64.self), as: UInt64.self)
                }
            }
            i += 8
        }
        while i < count {
            var x = load(i)
            if xorWithPrevious {
                let current = x
                x ^= previous
                previous = current
            }
            for lane in 0 ..< 8 { dst.storeBytes(of: UInt8(truncatingIfNeeded: x >> (8 * UInt64(lane))), toByteOffset: lane * count + i, as: UInt8.self) }
            i += 1
        }
    }

    private static func unshuffle8(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, count: Int, xorWithPrevious: Bool) {
        @inline(__always) func lane(_ j: Int, _ i: Int) -> UInt64 { src.loadUnaligned(fromByteOffset: j * count + i, as: UInt64.self) }
        var previous: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            var x0 = lane(0, i), x1 = lane(1, i), x2 = lane(2, i), x3 = lane(3, i)
            var x4 = lane(4, i), x5 = lane(5, i), x6 = lane(6, i), x7 = lane(7, i)
            transpose(&x0, &x1, &x2, &x3, &x4, &x5, &x6, &x7)
            if xorWithPrevious {
                x0 ^= previous; x1 ^= x0; x2 ^= x1; x3 ^= x2; x4 ^= x3; x5 ^= x4; x6 ^= x5; x7 ^= x6
                previous = x7
            }
            let words = (x0, x1, x2, x3, x4, x5, x6, x7)
            withUnsafeBytes(of: words) { (dst + 8 * i).copyMemory(from: $0.baseAddress!, byteCount: 64) }
            i += 8
        }
        while i < count {
            var x: UInt64 = 0
            for j in 0 ..< 8 { x |= UInt64(src.load(fromByteOffset: j * count + i, as: UInt8.self)) << (8 * UInt64(j)) }
            if xorWithPrevious {
                x ^= previous
                previous = x
            }
            (dst + 8 * i).storeBytes(of: UInt64(littleEndian: x), as: UInt64.self)
            i += 1
        }
    }

    /// Any width: byte by byte. The XOR is bytewise, which is the same as XOR-ing values.
    private static func shuffleGeneric(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, count: Int, width: Int, xorWithPrevious: Bool) {
        for i in 0 ..< count {
            for j in 0 ..< width {
                var byte = src.load(fromByteOffset: i * width + j, as: UInt8.self)
                if xorWithPrevious, i > 0 { byte ^= src.load(fromByteOffset: (i - 1) * width + j, as: UInt8.self) }
                dst.storeBytes(of: byte, toByteOffset: j * count + i, as: UInt8.self)
            }
        }
    }

    private static func unshuffleGeneric(_ src: UnsafeRawPointer, _ dst: UnsafeMutableRawPointer, count: Int, width: Int, xorWithPrevious: Bool) {
        for i in 0 ..< count {
            for j in 0 ..< width {
                var byte = src.load(fromByteOffset: j * count + i, as: UInt8.self)
                if xorWithPrevious, i > 0 { byte ^= dst.load(fromByteOffset: (i - 1) * width + j, as: UInt8.self) }
                dst.storeBytes(of: byte, toByteOffset: i * width + j, as: UInt8.self)
            }
        }
    }
}
