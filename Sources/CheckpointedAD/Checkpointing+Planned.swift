import _Differentiation
import CheckpointSchedules
import CheckpointStorage

/// A planned strategy made concrete: the planner's decision over memory and disk, the
/// schedule it builds and the stores it runs on (see
/// ``Checkpointing/planned(memory:disk:compression:stepTimes:)``).
@usableFromInline
struct PlannedCheckpointing<State> {
    /// The decision, its prediction and every alternative.
    var plan: CheckpointPlan
    /// The schedule the decision builds.
    var schedule: PlannedSchedule
    /// Plain or compressed memory, and files when the plan uses the disk.
    var stores: [StorageLevel: any CheckpointStore<State>]
}

extension PlannedCheckpointing where State: CheckpointSized & CheckpointCodable {
    /// Plans, checks the decision against the memory budget, and creates the stores
    /// (nothing is created on disk when planning fails).
    static func make(
        at x0: State, steps n: Int, memory: MemoryBudget, disk: DiskBudget, compression: CheckpointCodec?,
        stepTimes: StepTimes, options: CheckpointingOptions
    ) throws(CheckpointingError) -> Self {
        let workingBytes = options.workingBytes(steps: n, stateBytes: x0.checkpointByteCount)
        let plan = try planCheckpointing(
            at: x0, steps: n, memory: memory, disk: disk, compression: compression, stepTimes: stepTimes,
            workingBytes: workingBytes, reservedBytes: options.reservedBytes)
        let decision = plan.decision
        if case let .bytes(budget) = memory {
            // The planner's memory level must fit beside what was set aside for it.
            let stateBytes = Swift.max(1, x0.checkpointByteCount)
            let reserved = plannerReservedBytes(
                workingBytes: workingBytes, stateBytes: stateBytes, codec: compression, usesDisk: decision.disk != nil)
            let needed = reserved + decision.memory.bytes.bytes + (decision.compressedMemory?.bytes.bytes ?? 0)
            guard budget >= needed else {
                throw .budgetTooSmall(
                    budgetBytes: budget, minimumBytes: needed, stateBytes: stateBytes, reservedBytes: options.reservedBytes)
            }
        }
        let schedule: PlannedSchedule
        do throws(PlanningError) {
            schedule = try decision.makeSchedule(steps: n)
        } catch {
            throw .planning(error)
        }
        if let assignment = decision.disk, schedule.capacity(of: .disk) > 0 {
            let needed = plannedFileBytes(slots: schedule.capacity(of: .disk), assignment: assignment, state: x0)
            let available: Int
            do throws(CheckpointStoreError) {
                available = try FileSystemSpace.availableBytes(under: disk.directory)
            } catch {
                throw .storage(error)
            }
            guard needed <= available else {
                throw .insufficientDiskSpace(
                    neededBytes: needed, availableBytes: available, directory: FileSystemSpace.checkpointParent(disk.directory))
            }
        }
        let stores = try makeStores(for: decision, schedule: schedule, state: x0, disk: disk, compression: compression)
        return PlannedCheckpointing(plan: plan, schedule: schedule, stores: stores)
    }
}

/// The bytes `slots` checkpoint files of the plan's disk level take: each holds the encoded
/// state (at the codec ratio measured on x0) plus its size prefixes and an 80-byte header.
func plannedFileBytes<State: CheckpointSized & CheckpointCodable>(
    slots: Int, assignment: CheckpointPlan.LevelAssignment, state x0: State
) -> Int {
    let stateBytes = Swift.max(1, x0.checkpointByteCount)
    let encodedPerState = Double(assignment.bytesPerSlot.bytes) * Double(x0.checkpointEncodedByteCount) / Double(stateBytes)
    return slots * (Int(encodedPerState.rounded(.up)) + 80)
}

/// Bytes the planner's memory level must leave free: the driver's working bytes, one
/// scratch state when a codec is offered, and the disk store's four buffers (two writes
/// behind, one read ahead, one spare) when the plan uses the disk.
func plannerReservedBytes(workingBytes: Int, stateBytes: Int, codec: CheckpointCodec?, usesDisk: Bool) -> Int {
    let scratch = codec == nil || codec == .identity ? 0 : stateBytes
    return workingBytes + scratch + (usesDisk ? 4 * stateBytes : 0)
}

/// Plans a run of `steps` steps from x[0] within the budgets: with and without the disk
/// (whose store needs four buffers of memory), keeping the faster and listing the options
/// of both (``mergedPlan(memoryOnly:withDisk:)``). A variant whose own buffers do not fit
/// in the memory budget is not planned; when neither fits, the error names the smaller
/// minimum.
func planCheckpointing<State: CheckpointSized & CheckpointCodable>(
    at x0: State, steps n: Int, memory: MemoryBudget, disk: DiskBudget, compression: CheckpointCodec?,
    stepTimes: StepTimes, workingBytes: Int, reservedBytes: Int = 0
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
    func reserved(withDisk: Bool) -> Int {
        plannerReservedBytes(workingBytes: workingBytes, stateBytes: stateBytes, codec: compression, usesDisk: withDisk)
    }
    // The least memory each variant can run in: its buffers, plus x0 when it has no disk.
    let memoryOnlyMinimum = reserved(withDisk: false) + stateBytes
    let withDiskMinimum = reserved(withDisk: true)
    func problem(withDisk: Bool) -> PlanningProblem {
        let reserved = reserved(withDisk: withDisk)
        return PlanningProblem(
            steps: Swift.max(n, 1), stateSize: ByteCount(stateBytes), memory: ByteCount(Swift.max(0, budget - reserved)),
            disk: withDisk ? ByteCount(diskForPlanner) : nil, advanceTime: stepTimes.advance, reverseTime: stepTimes.reverse,
            diskWriteBandwidth: disk.writeBandwidth, diskReadBandwidth: disk.readBandwidth,
            diskWriteLatency: disk.writeLatency, diskReadLatency: disk.readLatency, codecs: profiles)
    }
    func plan(withDisk: Bool) -> Result<CheckpointPlan, PlanningError> {
        let minimum = withDisk ? withDiskMinimum : memoryOnlyMinimum
        guard budget >= minimum else {
            return .failure(.stateDoesNotFit(
                stateSize: ByteCount(stateBytes), memory: ByteCount(budget), disk: withDisk ? ByteCount(diskForPlanner) : nil,
                reserved: ByteCount(reserved(withDisk: withDisk))))
        }
        return Result { () throws(PlanningError) in try CheckpointPlanner.plan(problem(withDisk: withDisk)) }
    }
    switch (plan(withDisk: false), plan(withDisk: true)) {
    case let (.success(a), .success(b)): return mergedPlan(memoryOnly: a, withDisk: b)
    case let (.success(a), .failure): return a
    case let (.failure, .success(b)): return b
    case let (.failure, .failure(error)):
        let minimum = Swift.min(memoryOnlyMinimum, withDiskMinimum)
        guard budget >= minimum else {
            throw .budgetTooSmall(budgetBytes: budget, minimumBytes: minimum, stateBytes: stateBytes, reservedBytes: reservedBytes)
        }
        throw .planning(error)
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

/// The stores a planned decision runs on: plain or compressed memory, compressed memory
/// beside plain memory for an H-Revolve decision, and files.
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
    let compressedSlots = schedule.capacity(of: .compressedMemory)
    if compressedSlots > 0, let assignment = decision.compressedMemory {
        stores[.compressedMemory] = CompressedMemoryCheckpointStore<State>(capacity: compressedSlots, codec: codec(assignment.codec))
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
