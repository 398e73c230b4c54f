/// What the planner needs to know: the computation, the budgets, and measured (or assumed)
/// speeds. All times are in seconds, bandwidths and codec speeds in bytes per second.
///
/// ```swift
/// let problem = PlanningProblem(
///     steps: 1000, stateSize: .megabytes(64), memory: .megabytes(320), disk: .gigabytes(8),
///     advanceTime: 0.020, reverseTime: 0.060,
///     diskWriteBandwidth: 1.0e9, diskReadBandwidth: 2.0e9, diskWriteLatency: 40e-6, diskReadLatency: 20e-6,
///     codecs: [CodecProfile(name: "shuffle+zstd-1", ratio: 1.5, compressionSpeed: 1e9, decompressionSpeed: 1.6e9)])
/// ```
///
/// A disk checkpoint costs a fixed latency per file plus its stored bytes over the
/// bandwidth (``CostModel/transferTime(of:latency:bandwidth:)``). The latency is what makes
/// the disk a loss for small states: creating, writing, renaming, reading and removing a
/// file takes tens of microseconds on a fast local disk and about a millisecond on a cloud
/// VM's virtual disk, far more than recomputing a small step.
///
/// JSON written before the latencies existed decodes with latencies of 0, the model it was
/// planned with.
public struct PlanningProblem: Hashable, Sendable, Codable {
    /// n: the number of steps to reverse.
    public var steps: Int
    /// The bytes of one state x_i.
    public var stateSize: ByteCount
    /// The memory budget for checkpoints and the reserved working states.
    public var memory: ByteCount
    /// The disk budget, or nil when the disk may not be used.
    public var disk: ByteCount?
    /// Seconds for one advance (one step without taping).
    public var advanceTime: Double
    /// Seconds for one reverse (one taped step plus its pullback).
    public var reverseTime: Double
    /// Bytes per second written to disk.
    public var diskWriteBandwidth: Double
    /// Bytes per second read from disk.
    public var diskReadBandwidth: Double
    /// Seconds each stored disk checkpoint costs besides its bytes (file creation, header,
    /// rename, hand-off to the I/O thread).
    public var diskWriteLatency: Double
    /// Seconds each restored disk checkpoint costs besides its bytes (open, header check,
    /// removal, hand-off from the I/O thread).
    public var diskReadLatency: Double
    /// Bytes per second copied into or out of a memory slot; nil counts memory copies as free.
    public var memoryBandwidth: Double?
    /// Codecs to consider besides ``CodecProfile/identity``, at either level.
    public var codecs: [CodecProfile]
    /// States' worth of memory the driver keeps outside the checkpoint slots (current state,
    /// adjoint, work buffers): subtracted from ``memory`` before slots are counted.
    public var reservedStates: Int

    /// The disk write latency assumed when none is given: 50 µs per checkpoint. The file
    /// store overwrites each slot's file in place, and `disk-latency-report` in
    /// `Benchmarks/Reports` measured 23 µs per write with write-behind (11 µs synchronous)
    /// on a 2-core cloud VM with ext4 on a virtual disk; the default doubles that for a
    /// loaded machine. A slot's first store also creates its file (0.2–1.4 ms there), once
    /// per slot and run. Too high a latency only errs towards recomputation.
    public static let defaultDiskWriteLatency = 50e-6
    /// The disk read latency assumed when none is given: 30 µs per file (16–27 µs measured
    /// with the write latency above).
    public static let defaultDiskReadLatency = 30e-6

    /// A planning problem; see the type's documentation for units.
    public init(
        steps: Int, stateSize: ByteCount, memory: ByteCount, disk: ByteCount? = nil,
        advanceTime: Double, reverseTime: Double,
        diskWriteBandwidth: Double = 500e6, diskReadBandwidth: Double = 1e9,
        diskWriteLatency: Double = defaultDiskWriteLatency, diskReadLatency: Double = defaultDiskReadLatency,
        memoryBandwidth: Double? = nil, codecs: [CodecProfile] = [], reservedStates: Int = 0
    ) {
        self.steps = steps
        self.stateSize = stateSize
        self.memory = memory
        self.disk = disk
        self.advanceTime = advanceTime
        self.reverseTime = reverseTime
        self.diskWriteBandwidth = diskWriteBandwidth
        self.diskReadBandwidth = diskReadBandwidth
        self.diskWriteLatency = diskWriteLatency
        self.diskReadLatency = diskReadLatency
        self.memoryBandwidth = memoryBandwidth
        self.codecs = codecs
        self.reservedStates = reservedStates
    }
}
