@testable import CheckpointStorage
import Testing
import RewindTestSupport

let allCodecs: [CheckpointCodec] = [
    .identity, .zstd(level: 1), .zstd(level: 3), .zstd(level: -5), .zstd(level: 3, workers: 2),
    .shuffledZstd(level: 1), .shuffledZstd(level: 3, xorWithPrevious: true),
    .shuffledZstd(level: 1, width: 4), .shuffledZstd(level: 1, width: 3, xorWithPrevious: true),
    CheckpointCodec(filter: .shuffle(width: 8, xorWithPrevious: true)),
]

/// The same codecs with tiny blocks, so the streaming path (many blocks, many chunks,
/// partial last block) runs on small data.
let streamingCodecs = allCodecs.flatMap { codec in
    [7, 24, 64].map { block in
        var small = codec
        small.blockSize = block
        return small
    }
}

@Test(arguments: allCodecs + streamingCodecs)
func roundTripsAreBitExact(codec: CheckpointCodec) throws {
    var sizes = [0, 1, 7, 8, 9, 63, 64, 65, 1000]
    var rng = SplitMix64(seed: 99)
    for _ in 0 ..< 4 { sizes.append(Int(rng.next() % 5000)) }
    for (trial, size) in sizes.enumerated() {
        let seed = UInt64(trial * 1000 + size)
        let raw = randomBytes(size, seed: seed)
        let encoded = raw.withUnsafeBytes { codec.encode($0) }
        #expect(encoded.count <= codec.maxEncodedCount(rawCount: size))
        let back = try encoded.withUnsafeBytes { try codec.decode($0, rawCount: size) }
        #expect(back == raw ? true : false, "codec \(codec) size \(size) seed \(seed)")
    }
    // NaN payloads, signed zeros and a smooth field, as doubles.
    let doubles = awkwardDoubles + smoothField(777)
    let raw = doubles.checkpointBytes()
    let encoded = raw.withUnsafeBytes { codec.encode($0) }
    let back = try encoded.withUnsafeBytes { try codec.decode($0, rawCount: raw.count) }
    let decoded = try back.withUnsafeBytes { try [Double](checkpointBytes: $0) }
    #expect(bits(decoded) == bits(doubles) ? true : false, "codec \(codec)")
}

/// The shuffle filter alone, against its definition: lane j holds byte j of every value.
@Test(arguments: [1, 2, 3, 4, 8, 16])
func shuffleMatchesItsDefinition(width: Int) {
    for size in [0, 1, 7, 8, 9, 100, 129] {
        let raw = randomBytes(size, seed: UInt64(size * 31 + width))
        let codec = CheckpointCodec(filter: .shuffle(width: width, xorWithPrevious: false))
        let shuffled = raw.withUnsafeBytes { codec.encode($0) }
        let count = size / width
        var expected = raw
        for i in 0 ..< count {
            for j in 0 ..< width { expected[j * count + i] = raw[i * width + j] }
        }
        #expect(shuffled == expected, "width \(width) size \(size)")
    }
}

@Test func xorWithPreviousMatchesItsDefinition() {
    let values: [UInt64] = (0 ..< 21).map { UInt64($0) &* 0x0123_4567_89AB_CDEF }
    let raw = values.withUnsafeBytes { Array($0) }
    let xored = values.indices.map { $0 == 0 ? values[0] : values[$0] ^ values[$0 - 1] }
    let expected = xored.withUnsafeBytes { Array($0) }.withUnsafeBytes {
        CheckpointCodec(filter: .shuffle(width: 8, xorWithPrevious: false)).encode($0)
    }
    let codec = CheckpointCodec(filter: .shuffle(width: 8, xorWithPrevious: true))
    #expect(raw.withUnsafeBytes { codec.encode($0) } == expected)
}

@Test(arguments: allCodecs)
func truncatedOrPaddedStreamsAreErrors(codec: CheckpointCodec) {
    let raw = smoothField(300).checkpointBytes()
    let encoded = raw.withUnsafeBytes { codec.encode($0) }
    for cut in [0, 1, encoded.count / 2, encoded.count - 1] {
        #expect(throws: CheckpointCodingError.self, "codec \(codec) cut at \(cut)") {
            try Array(encoded[0 ..< cut]).withUnsafeBytes { try codec.decode($0, rawCount: raw.count) }
        }
    }
    #expect(throws: CheckpointCodingError.self) {
        try (encoded + [0, 1, 2]).withUnsafeBytes { try codec.decode($0, rawCount: raw.count) }
    }
    // Asking for more or fewer bytes than were encoded.
    #expect(throws: CheckpointCodingError.self) {
        try encoded.withUnsafeBytes { try codec.decode($0, rawCount: raw.count + 1) }
    }
    #expect(throws: CheckpointCodingError.self) {
        try encoded.withUnsafeBytes { try codec.decode($0, rawCount: raw.count - 1) }
    }
}

@Test func shuffleHelpsZstdOnASmoothField() {
    let raw = smoothField(1 << 16).checkpointBytes()
    func ratio(_ codec: CheckpointCodec) -> Double {
        Double(raw.count) / Double(raw.withUnsafeBytes { codec.encode($0) }.count)
    }
    let plain = ratio(.zstd(level: 1)), shuffled = ratio(.shuffledZstd(level: 1)), xored = ratio(.shuffledZstd(level: 1, xorWithPrevious: true))
    #expect(shuffled > 1.3 && shuffled > plain * 1.2, "zstd \(plain)×, shuffle+zstd \(shuffled)×")
    #expect(xored > 1.3, "xor+shuffle+zstd \(xored)×")
}

/// Shuffle + zstd stores lanes zstd cannot shrink raw: random data grows only by the
/// 5-byte lane headers, and a smooth field's sign/exponent lanes still shrink.
@Test func incompressibleLanesAreStoredRaw() {
    let codec = CheckpointCodec.shuffledZstd(level: 1)
    let random = randomBytes(1 << 16, seed: 5)
    let encoded = random.withUnsafeBytes { codec.encode($0) }
    #expect(encoded.count <= random.count + 8 * 5, "random data grew from \(random.count) to \(encoded.count) bytes")
    let smooth = smoothField(1 << 13).checkpointBytes()
    #expect(smooth.withUnsafeBytes { codec.encode($0) }.count < smooth.count * 4 / 5)
}

@Test func anUnknownLaneModeIsAnError() {
    let codec = CheckpointCodec.shuffledZstd(level: 1)
    let raw = smoothField(64).checkpointBytes()
    var encoded = raw.withUnsafeBytes { codec.encode($0) }
    encoded[0] = 7
    #expect(throws: CheckpointCodingError("unknown lane mode 7")) { try encoded.withUnsafeBytes { try codec.decode($0, rawCount: raw.count) } }
}
