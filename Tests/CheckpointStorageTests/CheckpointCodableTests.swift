import CheckpointStorage
import Testing
import RewindTestSupport

/// The doc example: a struct of codable fields conforms in a few lines.
struct Particles: CheckpointCodable, Equatable {
    var positions: [Double]
    var masses: [Float]
    var time: Double
    var scale: Float

    init(positions: [Double], masses: [Float], time: Double, scale: Float) {
        self.positions = positions
        self.masses = masses
        self.time = time
        self.scale = scale
    }

    var checkpointEncodedByteCount: Int {
        positions.checkpointEncodedByteCount + masses.checkpointEncodedByteCount + time.checkpointEncodedByteCount + scale.checkpointEncodedByteCount
    }
    func encodeCheckpoint(to writer: inout CheckpointByteWriter) {
        writer.write(positions)
        writer.write(masses)
        writer.write(time)
        writer.write(scale)
    }
    init(checkpointFrom reader: inout CheckpointByteReader) throws(CheckpointCodingError) {
        positions = try reader.read()
        masses = try reader.read()
        time = try reader.read()
        scale = try reader.read()
    }
}

/// Bitwise equality (NaN payloads and the sign of zero included).
func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// Doubles that stress bit-exactness: NaNs with payloads, signed zeros, infinities, subnormals.
let awkwardDoubles: [Double] = [
    0, -0.0, .infinity, -.infinity, .nan, -.nan, Double(nan: 0x1234, signaling: false),
    Double(nan: 0x55, signaling: true), .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 1.0 / 3.0,
]

@Test func scalarsRoundTripBitExactly() throws {
    for x in awkwardDoubles {
        let bytes = x.checkpointBytes()
        #expect(bytes.count == 8)
        let y = try bytes.withUnsafeBytes { try Double(checkpointBytes: $0) }
        #expect(y.bitPattern == x.bitPattern)
    }
    for x in awkwardDoubles.map(Float.init) + [Float(nan: 0x77, signaling: false), -Float.zero] {
        let y = try x.checkpointBytes().withUnsafeBytes { try Float(checkpointBytes: $0) }
        #expect(y.bitPattern == x.bitPattern)
    }
}

@Test(arguments: [0, 1, 7, 8, 9, 1000])
func arraysRoundTripBitExactly(count: Int) throws {
    var rng = SplitMix64(seed: UInt64(count))
    let doubles = (0 ..< count).map { i in i < awkwardDoubles.count ? awkwardDoubles[i] : Double(bitPattern: rng.next()) }
    let floats = (0 ..< count).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
    let d = try doubles.checkpointBytes().withUnsafeBytes { try [Double](checkpointBytes: $0) }
    let f = try floats.checkpointBytes().withUnsafeBytes { try [Float](checkpointBytes: $0) }
    #expect(doubles.checkpointBytes().count == 8 + 8 * count)
    #expect(bits(d) == bits(doubles))
    #expect(bits(f) == bits(floats))
}

@Test func structOfFieldsRoundTrips() throws {
    let state = Particles(positions: [1, -0.0, .nan, 4], masses: [0.5, 2], time: 3.25, scale: -1)
    let bytes = state.checkpointBytes()
    #expect(bytes.count == (8 + 32) + (8 + 8) + 8 + 4)
    let back = try bytes.withUnsafeBytes { try Particles(checkpointBytes: $0) }
    #expect(bits(back.positions) == bits(state.positions))
    #expect(bits(back.masses) == bits(state.masses))
    #expect(back.time == state.time && back.scale == state.scale)
}

@Test func truncatedOrOverlongBytesAreErrors() {
    let bytes = [1.0, 2.0, 3.0].checkpointBytes()
    for cut in [0, 1, 7, 8, 9, bytes.count - 1] {
        #expect(throws: CheckpointCodingError.self) {
            try Array(bytes[0 ..< cut]).withUnsafeBytes { try [Double](checkpointBytes: $0) }
        }
    }
    #expect(throws: CheckpointCodingError.self) {
        try (bytes + [0]).withUnsafeBytes { try [Double](checkpointBytes: $0) }
    }
    // A count field claiming more elements than there are bytes.
    var huge = bytes
    huge.replaceSubrange(0 ..< 8, with: withUnsafeBytes(of: UInt64.max) { Array($0) })
    #expect(throws: CheckpointCodingError.self) {
        try huge.withUnsafeBytes { try [Double](checkpointBytes: $0) }
    }
}
