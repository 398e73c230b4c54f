/// How much disk the checkpoints may use, where, and how fast the disk is assumed to be.
///
/// ```swift
/// let g = try gradient(at: x0, parameters: p, steps: 1000, memory: .megabytes(256),
///                      disk: .gigabytes(20), compression: .shuffledZstd(level: 1),
///                      step: f, loss: l)
/// ```
///
/// The bandwidths only feed the planner's prediction (which schedule, how many slots, which
/// codec); they default to 500 MB/s write and 1 GB/s read. Megabytes and gigabytes are
/// decimal (10^6 and 10^9 bytes).
public struct DiskBudget: Hashable, Sendable {
    /// At most this many bytes of checkpoint files (headers included).
    public var bytes: Int
    /// The directory under which the run's private directory is made; `nil` for `$TMPDIR`
    /// or `/tmp`.
    public var directory: String?
    /// Bytes per second the planner assumes for writes.
    public var writeBandwidth: Double
    /// Bytes per second the planner assumes for reads.
    public var readBandwidth: Double

    /// A disk budget of `bytes` under `directory`.
    public init(bytes: Int, directory: String? = nil, writeBandwidth: Double = 500e6, readBandwidth: Double = 1e9) {
        precondition(bytes >= 0, "a disk budget cannot be negative, got \(bytes) bytes")
        self.bytes = bytes
        self.directory = directory
        self.writeBandwidth = writeBandwidth
        self.readBandwidth = readBandwidth
    }

    /// `megabytes` × 10^6 bytes under `$TMPDIR` or `/tmp`.
    public static func megabytes(_ megabytes: Double) -> DiskBudget { DiskBudget(bytes: Int(megabytes * 1e6)) }
    /// `gigabytes` × 10^9 bytes under `$TMPDIR` or `/tmp`.
    public static func gigabytes(_ gigabytes: Double) -> DiskBudget { DiskBudget(bytes: Int(gigabytes * 1e9)) }
}
