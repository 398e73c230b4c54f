import _Differentiation
import CheckpointSchedules
import CheckpointStorage

/// The result of a gradient planned over memory and disk: the gradient, the plan that ran
/// (decision, prediction and every alternative), and what each store spent on encoding
/// and I/O.
public struct PlannedCheckpointedGradient<State, StateCotangent, ParameterCotangent> {
    /// The gradient, as ``gradient(at:parameters:steps:memory:schedule:stores:options:step:losses:)`` returns it.
    public var gradient: CheckpointedGradient<State, StateCotangent, ParameterCotangent>
    /// The planner's decision and its prediction.
    public var plan: CheckpointPlan
    /// Encoding and I/O statistics of the stores that report them (disk, compressed memory).
    public var storage: [StorageLevel: CheckpointIOStatistics]
}

/// The gradient of a sum of loss terms within a memory budget *and* a disk budget: the
/// planner (``CheckpointSchedules/CheckpointPlanner``) chooses store-all, Revolve, or the
/// two-level schedule over memory and disk, the slots, and for each level whether to use
/// `compression`, by least predicted time; the checkpoints then live in a
/// `MemoryCheckpointStore` or a `CompressedMemoryCheckpointStore` and a `FileCheckpointStore`
/// (write-behind, read-ahead, checksummed files, removed when the run ends however it ends).
///
/// ```swift
/// let result = try gradient(at: x0, parameters: 8.0, steps: 1000, memory: .megabytes(512),
///                           disk: .gigabytes(20), compression: .shuffledZstd(level: 1),
///                           step: CheckpointedStep(rk4), losses: [.final { $0.halfSquaredNorm() }])
/// print(result.plan.decision.summary, result.storage[.disk]?.overlappedSeconds ?? 0)
/// ```
///
/// **What is measured first**: the state's size (``CheckpointSized`` for memory,
/// `CheckpointCodable` for files), `compression`'s ratio and speed on x[0] (the codec's
/// ratio on later states is assumed the same: a state that compresses worse can take more
/// disk than planned), and, unless `stepTimes` is given, an advance, a taped step and a
/// pullback at x[0] (``StepTimes/measure(_:at:parameters:losses:steps:budget:)``). The
/// disk's latencies and bandwidths are the budget's (assumed or measured: see
/// ``DiskBudget``). The plan's prediction is for the sweeps (the statistics'
/// `totalSeconds`); planning itself and setting up the stores come on top.
///
/// **Memory accounting**: the driver's working copies come off the budget first, then the
/// disk store's buffers (two writes behind, one read ahead, one spare: four states) when
/// the plan uses the disk, and one scratch state when a codec is offered.
///
/// - Throws: ``CheckpointingError/planning(_:)`` when no plan fits (nothing is created on
///   disk then), ``CheckpointingError/storage(_:)`` when the disk store cannot be set up or
///   a checkpoint fails, and the driver's errors.
/// - Complexity: the chosen schedule's advances and reverses, plus the planner's tables
///   (bounded; see ``CheckpointSchedules/CheckpointPlanner``).
public func gradient<State: CheckpointSized & CheckpointCodable, Parameters, StateCotangent, ParameterCotangent>(
    at x0: State, parameters p: Parameters, steps n: Int,
    memory: MemoryBudget, disk: DiskBudget, compression: CheckpointCodec? = nil,
    stepTimes: StepTimes? = nil, options: CheckpointingOptions = CheckpointingOptions(),
    step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>,
    losses: [CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>]
) throws(CheckpointingError) -> PlannedCheckpointedGradient<State, StateCotangent, ParameterCotangent> {
    typealias Driver = CheckpointedDriver<State, Parameters, StateCotangent, ParameterCotangent>
    let plan = try planCheckpointing(
        at: x0, steps: n, memory: memory, disk: disk, compression: compression,
        stepTimes: stepTimes ?? StepTimes.measure(step, at: x0, parameters: p, losses: losses, steps: n),
        workingBytes: Driver.workingBytes(steps: n, stateBytes: x0.checkpointByteCount, options: options))
    let schedule: PlannedSchedule
    do throws(PlanningError) {
        schedule = try plan.decision.makeSchedule(steps: n)
    } catch {
        throw .planning(error)
    }
    let stores = try makeStores(for: plan.decision, schedule: schedule, state: x0, disk: disk, compression: compression)
    var result = try gradient(
        at: x0, parameters: p, steps: n, memory: .unlimited, schedule: schedule, stores: stores, options: options,
        step: step, losses: losses)
    result.statistics.schedule = "\(result.statistics.schedule) — planned: \(plan.decision.summary)"
    var storage: [StorageLevel: CheckpointIOStatistics] = [:]
    for (level, store) in stores { storage[level] = store.ioStatistics }
    return PlannedCheckpointedGradient(gradient: result, plan: plan, storage: storage)
}

/// The gradient of L = loss(x[n]) with Swift AD, planned over memory and disk; see
/// ``gradient(at:parameters:steps:memory:disk:compression:stepTimes:options:step:losses:)``.
///
/// ```swift
/// let result = try gradient(at: x0, parameters: 8.0, steps: 1000, memory: .megabytes(256),
///                           disk: .gigabytes(4), compression: .shuffledZstd(),
///                           step: { x, F, i in rk4(x, F) }, loss: { $0.halfSquaredNorm() })
/// ```
public func gradient<State: Differentiable & CheckpointSized & CheckpointCodable, Parameters: Differentiable>(
    at x0: State, parameters p: Parameters, steps n: Int,
    memory: MemoryBudget, disk: DiskBudget, compression: CheckpointCodec? = nil,
    stepTimes: StepTimes? = nil, options: CheckpointingOptions = CheckpointingOptions(),
    step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State,
    loss: @escaping @differentiable(reverse) (State) -> Double
) throws(CheckpointingError) -> PlannedCheckpointedGradient<State, State.TangentVector, Parameters.TangentVector> {
    try gradient(
        at: x0, parameters: p, steps: n, memory: memory, disk: disk, compression: compression, stepTimes: stepTimes,
        options: options, step: CheckpointedStep(step), losses: [.final(loss)])
}

/// Plans a run of `steps` steps from x[0] within the budgets: with and without the disk
/// (whose store needs four buffers of memory), keeping the faster and listing the options
/// of both (``mergedPlan(memoryOnly:withDisk:)``).
func planCheckpointing<State: CheckpointSized & CheckpointCodable>(
    at x0: State, steps n: Int, memory: MemoryBudget, disk: DiskBudget, compression: CheckpointCodec?,
    stepTimes: StepTimes, workingBytes: Int
) throws(CheckpointingError) -> CheckpointPlan {
    guard case let .bytes(budget) = memory else {
        throw .planning(.invalidProblem("a disk budget needs a memory budget in bytes (.bytes, .megabytes, .gigabytes), got \(memory)"))
    }
    let stateBytes = Swift.max(1, x0.checkpointByteCount)
    var profiles: [CodecProfile] = []
    if let compression, compression != .identity {
        let sample = x0.checkpointBytes()
        let measured = sample.withUnsafeBytes { compression.measure(on: $0) }
        profiles.append(CodecProfile(
            name: compression.description, ratio: Swift.max(1, measured.ratio),
            compressionSpeed: measured.encodeBytesPerSecond, decompressionSpeed: measured.decodeBytesPerSecond))
    }
    // A file holds the encoded state (its size prefixes included) plus an 80-byte header:
    // scale the disk budget so the planner's slots of `stateBytes` are files that fit.
    let fileBytes = x0.checkpointEncodedByteCount + 80
    let diskForPlanner = Int(Double(disk.bytes) * Double(stateBytes) / Double(Swift.max(fileBytes, stateBytes)))
    let scratch = profiles.isEmpty ? 0 : stateBytes
    func problem(withDisk: Bool) -> PlanningProblem {
        let reserved = workingBytes + scratch + (withDisk ? 4 * stateBytes : 0)
        return PlanningProblem(
            steps: Swift.max(n, 1), stateSize: ByteCount(stateBytes), memory: ByteCount(Swift.max(0, budget - reserved)),
            disk: withDisk ? ByteCount(diskForPlanner) : nil, advanceTime: stepTimes.advance, reverseTime: stepTimes.reverse,
            diskWriteBandwidth: disk.writeBandwidth, diskReadBandwidth: disk.readBandwidth,
            diskWriteLatency: disk.writeLatency, diskReadLatency: disk.readLatency, codecs: profiles)
    }
    let memoryOnly = Result { () throws(PlanningError) in try CheckpointPlanner.plan(problem(withDisk: false)) }
    let withDisk = Result { () throws(PlanningError) in try CheckpointPlanner.plan(problem(withDisk: true)) }
    switch (memoryOnly, withDisk) {
    case let (.success(a), .success(b)): return mergedPlan(memoryOnly: a, withDisk: b)
    case let (.success(a), .failure): return a
    case let (.failure, .success(b)): return b
    case let (.failure, .failure(error)): throw .planning(error)
    }
}

/// One plan from the memory-only plan and the plan that may use the disk (whose memory
/// level is smaller by the disk store's buffers): the faster decision (the memory-only one
/// on a tie), and as alternatives every other option that can really run — the
/// memory-only plan's options and the disk options of the other — fastest first, then the
/// impossible ones. The problem is the one the decision was planned for.
func mergedPlan(memoryOnly: CheckpointPlan, withDisk: CheckpointPlan) -> CheckpointPlan {
    let options = [memoryOnly.decision] + memoryOnly.alternatives + ([withDisk.decision] + withDisk.alternatives).filter { $0.disk != nil }
    let ordered = options.enumerated().sorted { a, b in
        (a.element.predictedTime ?? .infinity, a.offset) < (b.element.predictedTime ?? .infinity, b.offset)
    }.map(\.element)
    var plan = ordered[0].disk == nil ? memoryOnly : withDisk
    plan.decision = ordered[0]
    plan.alternatives = Array(ordered.dropFirst())
    return plan
}

/// The stores a planned decision runs on: plain or compressed memory, and files.
func makeStores<State: CheckpointCodable & CheckpointSized>(
    for decision: CheckpointPlan.Option, schedule: PlannedSchedule, state x0: State,
    disk: DiskBudget, compression: CheckpointCodec?
) throws(CheckpointingError) -> [StorageLevel: any CheckpointStore<State>] {
    func codec(_ profile: CodecProfile) -> CheckpointCodec {
        profile.isIdentity ? .identity : (compression ?? .identity)
    }
    var stores: [StorageLevel: any CheckpointStore<State>] = [:]
    let memorySlots = schedule.capacity(of: .memory)
    if memorySlots > 0 {
        let memoryCodec = codec(decision.memory.codec)
        stores[.memory] = memoryCodec == .identity
            ? MemoryCheckpointStore<State>(capacity: memorySlots, bytesPerState: x0.checkpointByteCount)
            : CompressedMemoryCheckpointStore<State>(capacity: memorySlots, codec: memoryCodec)
    }
    let diskSlots = schedule.capacity(of: .disk)
    if diskSlots > 0, let assignment = decision.disk {
        do throws(CheckpointStoreError) {
            stores[.disk] = try FileCheckpointStore<State>(
                capacity: diskSlots, directory: disk.directory, codec: codec(assignment.codec), writeBehind: 2, readAhead: 1)
        } catch {
            throw .storage(error)
        }
    }
    return stores
}
