import CheckpointSchedules
import CheckpointStorage

/// How much disk the checkpoints may use, where, and how fast the disk is assumed to be.
///
/// ```swift
/// let g = try valueWithCheckpointedGradient(
///     at: x0, parameters: p, steps: 1000,
///     checkpointing: .planned(memory: .megabytes(256), disk: .gigabytes(20),
///                             compression: .shuffledZstd(level: 1)),
///     step: f, loss: l)
/// // or with this machine's own figures (a fraction of a second to measure):
/// let measured = DiskBudget(bytes: 20_000_000_000, measured: try DiskSpeedMeasurement.measure())
/// ```
///
/// The speeds only feed the planner's prediction (which schedule, how many slots, which
/// codec): one checkpoint file costs latency + bytes / bandwidth to write or read. They
/// default to 500 MB/s write and 1 GB/s read, and to
/// `PlanningProblem.defaultDiskWriteLatency` (50 µs) and
/// `PlanningProblem.defaultDiskReadLatency` (30 µs) per file, about twice what a cloud VM
/// measured (each slot's file is created once, then overwritten in place);
/// ``init(bytes:directory:measured:)`` takes a `DiskSpeedMeasurement` of your disk instead. Megabytes and
/// gigabytes are decimal (10^6 and 10^9 bytes).
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
    /// Seconds per checkpoint file written that the planner assumes besides its bytes.
    public var writeLatency: Double
    /// Seconds per checkpoint file read that the planner assumes besides its bytes.
    public var readLatency: Double

    /// A disk budget of `bytes` under `directory`, with assumed speeds.
    public init(
        bytes: Int, directory: String? = nil, writeBandwidth: Double = 500e6, readBandwidth: Double = 1e9,
        writeLatency: Double = PlanningProblem.defaultDiskWriteLatency, readLatency: Double = PlanningProblem.defaultDiskReadLatency
    ) {
        precondition(bytes >= 0, "a disk budget cannot be negative, got \(bytes) bytes")
        precondition(writeLatency >= 0 && readLatency >= 0, "disk latencies cannot be negative, got \(writeLatency) s and \(readLatency) s")
        self.bytes = bytes
        self.directory = directory
        self.writeBandwidth = writeBandwidth
        self.readBandwidth = readBandwidth
        self.writeLatency = writeLatency
        self.readLatency = readLatency
    }

    /// A disk budget of `bytes` under `directory` with measured speeds (measure in the same
    /// directory: file systems differ).
    public init(bytes: Int, directory: String? = nil, measured: DiskSpeedMeasurement) {
        self.init(
            bytes: bytes, directory: directory, writeBandwidth: measured.writeBandwidth, readBandwidth: measured.readBandwidth,
            writeLatency: measured.writeLatency, readLatency: measured.readLatency)
    }

    /// `megabytes` × 10^6 bytes under `$TMPDIR` or `/tmp`.
    public static func megabytes(_ megabytes: Double) -> DiskBudget { DiskBudget(bytes: Int(megabytes * 1e6)) }
    /// `gigabytes` × 10^9 bytes under `$TMPDIR` or `/tmp`.
    public static func gigabytes(_ gigabytes: Double) -> DiskBudget { DiskBudget(bytes: Int(gigabytes * 1e9)) }
}
