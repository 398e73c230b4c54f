extension CostModel {
    /// Seconds to move one stored state to or from a storage device: a fixed latency per
    /// operation plus the bytes over the bandwidth,
    ///
    ///     t = latency + bytes / bandwidth.
    ///
    /// ```swift
    /// CostModel.transferTime(of: .megabytes(1), latency: 1e-3, bandwidth: 500e6)   // 0.003 s
    /// ```
    ///
    /// The planner prices a disk store as the codec's compression time plus this with the
    /// *stored* (compressed) bytes and the write latency and bandwidth, and a restore as this
    /// with the read figures plus decompression. The latency is what keeps small states in
    /// memory: a 320-byte state costs its ~50 µs write, not the 0.6 µs its bytes would.
    ///
    /// - Precondition: `latency` ≥ 0 and `bandwidth` > 0.
    public static func transferTime(of bytes: ByteCount, latency: Double, bandwidth: Double) -> Double {
        precondition(latency >= 0 && bandwidth > 0, "a transfer needs a latency ≥ 0 s and a bandwidth > 0 B/s, got \(latency) and \(bandwidth)")
        return latency + Double(bytes.bytes) / bandwidth
    }
}
