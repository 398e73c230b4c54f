/// How fast checkpoint files are written and read on one machine, as a planner needs it:
/// a fixed cost per file (latency) and a cost per byte (bandwidth), so that storing a state
/// of b bytes takes `writeLatency + b / writeBandwidth` seconds and restoring it
/// `readLatency + b / readBandwidth`.
///
/// ```swift
/// let disk = try DiskSpeedMeasurement.measure()
/// print(disk)   // "write 38.0 µs + 1.9 GB/s, read 45.0 µs + 3.1 GB/s (fitted to …)"
/// ```
///
/// The latency is everything a checkpoint costs besides its bytes: opening and closing its
/// slot's file (created once, by the slot's first store, then overwritten in place),
/// writing and checking its header, and handing the work to the store's I/O thread and
/// back. For small states it dominates: a 320-byte state costs tens of
/// microseconds to store, not the sub-microsecond its bytes alone would suggest.
public struct DiskSpeedMeasurement: Hashable, Sendable, CustomStringConvertible {
    /// Seconds per stored file beyond its bytes.
    public var writeLatency: Double
    /// Seconds per restored file beyond its bytes.
    public var readLatency: Double
    /// Bytes per second written, beyond the latency.
    public var writeBandwidth: Double
    /// Bytes per second read, beyond the latency.
    public var readBandwidth: Double
    /// The two state sizes (encoded bytes) the figures were fitted to, smaller first.
    public var sampleSizes: [Int]

    /// Figures in seconds and bytes per second; latencies are at least 0, bandwidths positive.
    public init(writeLatency: Double, readLatency: Double, writeBandwidth: Double, readBandwidth: Double, sampleSizes: [Int]) {
        precondition(writeLatency >= 0 && readLatency >= 0, "disk latencies are at least 0 s, got \(writeLatency) and \(readLatency)")
        precondition(writeBandwidth > 0 && readBandwidth > 0, "disk bandwidths are positive, got \(writeBandwidth) and \(readBandwidth)")
        self.writeLatency = writeLatency
        self.readLatency = readLatency
        self.writeBandwidth = writeBandwidth
        self.readBandwidth = readBandwidth
        self.sampleSizes = sampleSizes
    }

    /// The line t(b) = latency + b / bandwidth through two timed sizes.
    ///
    /// The bandwidth is the slope's inverse, (b₂ − b₁) / (t₂ − t₁), and the latency the
    /// intercept, t₁ − b₁ / bandwidth. Timing noise can make the fit meaningless: when the
    /// larger state was not slower, all of its time is counted as transfer (bandwidth
    /// b₂ / t₂, an underestimate) and the smaller state's time as latency; an intercept
    /// below 0 becomes 0.
    ///
    /// ```swift
    /// DiskSpeedMeasurement.fitLine(small: (bytes: 1_000, seconds: 30e-6), large: (bytes: 1_001_000, seconds: 1_030e-6))
    /// // (latency: 29e-6, bandwidth: 1e9)
    /// ```
    ///
    /// - Precondition: `small.bytes < large.bytes` and both times positive.
    public static func fitLine(
        small: (bytes: Int, seconds: Double), large: (bytes: Int, seconds: Double)
    ) -> (latency: Double, bandwidth: Double) {
        precondition(small.bytes < large.bytes, "fit two different sizes, smaller first, got \(small.bytes) and \(large.bytes) bytes")
        precondition(small.seconds > 0 && large.seconds > 0, "timed operations take positive time, got \(small.seconds) and \(large.seconds) s")
        guard large.seconds > small.seconds else {
            return (latency: small.seconds, bandwidth: Double(large.bytes) / large.seconds)
        }
        let bandwidth = Double(large.bytes - small.bytes) / (large.seconds - small.seconds)
        return (latency: Swift.max(0, small.seconds - Double(small.bytes) / bandwidth), bandwidth: bandwidth)
    }

    /// `write 38.0 µs + 1.9 GB/s, read 45.0 µs + 3.1 GB/s (fitted to 64 B and 4194312 B states)`.
    public var description: String {
        func micro(_ s: Double) -> String { "\((s * 1e7).rounded() / 10) µs" }
        func giga(_ b: Double) -> String { "\((b / 1e8).rounded() / 10) GB/s" }
        let sizes = sampleSizes.map { "\($0) B" }.joined(separator: " and ")
        return "write \(micro(writeLatency)) + \(giga(writeBandwidth)), read \(micro(readLatency)) + \(giga(readBandwidth)) (fitted to \(sizes) states)"
    }
}
