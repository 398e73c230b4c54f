/// A codec measured on a real state: what a planner needs to weigh compression against
/// memory, disk space and bandwidth.
public struct CheckpointCodecMeasurement: Hashable, Sendable, CustomStringConvertible {
    /// The codec measured.
    public var codec: CheckpointCodec
    /// State bytes over encoded bytes (≥ 1 in practice; below 1 means the codec expands it).
    public var ratio: Double
    /// State bytes encoded per second (wall clock, best of the repetitions).
    public var encodeBytesPerSecond: Double
    /// State bytes decoded per second (wall clock, best of the repetitions).
    public var decodeBytesPerSecond: Double

    /// `shuffle8+zstd(1): 1.71×, encode 0.9 GB/s, decode 2.4 GB/s`.
    public var description: String {
        "\(codec): \((ratio * 100).rounded() / 100)×, encode \((encodeBytesPerSecond / 1e8).rounded() / 10) GB/s, decode \((decodeBytesPerSecond / 1e8).rounded() / 10) GB/s"
    }
}

extension CheckpointCodec {
    /// Encodes and decodes `sample` (a state's bytes) `repetitions` times and reports the
    /// ratio and the best speeds. The round trip is checked bit for bit.
    ///
    /// ```swift
    /// let sample = x0.checkpointBytes()
    /// let m = sample.withUnsafeBytes { CheckpointCodec.shuffledZstd().measure(on: $0) }
    /// ```
    ///
    /// - Complexity: O(`repetitions` × `sample.count`).
    public func measure(on sample: UnsafeRawBufferPointer, repetitions: Int = 2) -> CheckpointCodecMeasurement {
        precondition(repetitions >= 1, "measure a codec at least once, got \(repetitions) repetitions")
        let compressor = CheckpointCompressor(codec: self)
        let decompressor = CheckpointDecompressor(codec: self)
        var encoded = [UInt8]()
        encoded.reserveCapacity(maxEncodedCount(rawCount: sample.count))
        let decoded = ByteBuffer(capacity: sample.count)
        decoded.count = sample.count
        var encodeSeconds = Double.infinity, decodeSeconds = Double.infinity
        for _ in 0 ..< repetitions {
            encoded.removeAll(keepingCapacity: true)
            var start = monotonicSeconds()
            compressor.compress(sample) { (chunk: UnsafeRawBufferPointer) in encoded.append(contentsOf: chunk) }
            encodeSeconds = Swift.min(encodeSeconds, monotonicSeconds() - start)
            start = monotonicSeconds()
            do throws(CheckpointCodingError) {
                try decompressor.decompress(into: decoded.mutableBytes, from: encoded)
            } catch {
                preconditionFailure("\(self) failed to decode its own output: \(error)")
            }
            decodeSeconds = Swift.min(decodeSeconds, monotonicSeconds() - start)
        }
        precondition(
            sample.count == 0 || memcmp(sample.baseAddress!, decoded.base, sample.count) == 0,
            "\(self) did not round-trip the sample bit for bit")
        let bytes = Double(sample.count)
        return CheckpointCodecMeasurement(
            codec: self, ratio: encoded.isEmpty ? 1 : bytes / Double(encoded.count),
            encodeBytesPerSecond: bytes / Swift.max(encodeSeconds, 1e-9), decodeBytesPerSecond: bytes / Swift.max(decodeSeconds, 1e-9))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
