import CheckpointStorage
import Testing

@Test func measurementReportsTheRatioOfTheEncodedBytes() {
    let raw = smoothField(1 << 14).checkpointBytes()
    for codec in [CheckpointCodec.identity, .zstd(level: 1), .shuffledZstd()] {
        let m = raw.withUnsafeBytes { codec.measure(on: $0) }
        let encoded = raw.withUnsafeBytes { codec.encode($0) }
        #expect(m.ratio == Double(raw.count) / Double(encoded.count), "\(m)")
        #expect(m.encodeBytesPerSecond > 0 && m.decodeBytesPerSecond > 0)
    }
}
