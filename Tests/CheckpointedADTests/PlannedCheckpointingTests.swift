import _Differentiation
import CheckpointSchedules
import CheckpointStorage
import Foundation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// A private scratch directory for one test's checkpoint files.
private final class Scratch {
    let path: String
    init() {
        var template = Array("/tmp/rewind-ad-test-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var entries: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}

private let steps = 40
private func initialState() -> Vector {
    var generator = SplitMix64(seed: 11)
    return Vector.random(count: 256, using: &generator)
}
private func storeAllGradient() throws -> CheckpointedGradient<Vector, Vector, Double> {
    try valueWithCheckpointedGradient(at: initialState(), parameters: 1.3, steps: steps, checkpointing: .storeAll, step: nonlinearStep, loss: { $0.halfSquaredNorm() })
}

private let diskCodecs: [CheckpointCodec] = [.identity, .zstd(level: 3), .shuffledZstd(level: 1)]

/// Two memory slots and six disk slots, the optimal two-level schedule: the gradient is
/// the store-all gradient, bit for bit, whatever the codec of the files.
@Test(arguments: diskCodecs)
func gradientsThroughTheDiskAreBitwiseStoreAll(codec: CheckpointCodec) throws {
    let scratch = Scratch()
    let reference = try storeAllGradient()
    let schedule = try TwoLevelRevolve(
        steps: steps, memorySlots: 2, diskSlots: 6, costModel: CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3]))
    let disk = try FileCheckpointStore<Vector>(capacity: schedule.capacity(of: .disk), directory: scratch.path, codec: codec)
    let g = try valueWithCheckpointedGradient(at: initialState(), parameters: 1.3, steps: steps,
        checkpointing: .schedule(schedule, stores: [.memory: MemoryCheckpointStore<Vector>(capacity: schedule.capacity(of: .memory), bytesPerState: 2048), .disk: disk]),
        step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    #expect(g.initialState == reference.initialState && g.parameters == reference.parameters && g.value == reference.value)
    #expect((g.statistics.restores[.disk] ?? 0) > 0 && disk.statistics.restores == g.statistics.restores[.disk])
    #expect(disk.diskBytesInUse == 0, "every disk checkpoint was released")
    #expect(scratch.entries.count == 1, "only the run's directory, now empty")
}

/// A memory budget with room for a few states and a disk budget whose files cost only
/// their bytes: the planner takes the disk, and the gradient is still the store-all
/// gradient bit for bit.
@Test(arguments: [nil, CheckpointCodec.shuffledZstd(level: 1)])
func aPlannedRunUsesTheDiskAndMatchesStoreAll(compression: CheckpointCodec?) throws {
    let scratch = Scratch()
    let reference = try storeAllGradient()
    let stateBytes = initialState().checkpointByteCount
    let working = CheckpointingOptions().workingBytes(steps: steps, stateBytes: stateBytes)
    let result = try valueWithCheckpointedGradient(at: initialState(), parameters: 1.3, steps: steps,
        checkpointing: .planned(memory: .bytes(working + stateBytes + 4 * stateBytes + 3 * stateBytes), disk: DiskBudget(bytes: 1_000_000, directory: scratch.path, writeLatency: 0, readLatency: 0), compression: compression, stepTimes: StepTimes(advance: 1e-3, reverse: 3e-3)),
        step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    #expect(result.plan!.decision.disk != nil, "\(result.plan!.decision.summary)")
    #expect(result.initialState == reference.initialState && result.parameters == reference.parameters)
    #expect((result.storage[.disk]?.stores ?? 0) > 0)
    #expect(result.statistics.schedule.contains("planned"))
    #expect(scratch.entries.isEmpty, "the run's files and directory are gone after success")
}

/// The test step, except that x31 holds NaN.
@differentiable(reverse)
func stepTurningNaNAfter30(_ x: Vector, _ a: Double, _ i: Int) -> Vector {
    nonlinearStep(x, a, i) + (i == 30 ? Double.nan : 0)
}

@Test func noFileIsLeftAfterAThrownError() throws {
    let scratch = Scratch()
    var options = CheckpointingOptions()
    options.checksFiniteness = true
    let stateBytes = initialState().checkpointByteCount
    let working = options.workingBytes(steps: steps, stateBytes: stateBytes)
    let memory = MemoryBudget.bytes(working + 7 * stateBytes)
    let disk = DiskBudget(bytes: 1_000_000, directory: scratch.path, writeLatency: 0, readLatency: 0)
    let plan = try planCheckpointing(
        at: initialState(), steps: steps, memory: memory, disk: disk, compression: nil,
        stepTimes: StepTimes(advance: 1e-3, reverse: 3e-3), workingBytes: working)
    #expect(plan.decision.disk != nil, "the run must write files before it fails: \(plan.decision.summary)")
    #expect(throws: CheckpointingError.nonFiniteState(step: 31)) {
        try valueWithCheckpointedGradient(at: initialState(), parameters: 1.3, steps: steps,
            checkpointing: .planned(memory: memory, disk: disk, stepTimes: StepTimes(advance: 1e-3, reverse: 3e-3)),
            options: options, step: stepTurningNaNAfter30, loss: { $0.halfSquaredNorm() })
    }
    #expect(scratch.entries.isEmpty)
}

@Test func noFileIsLeftAfterABudgetError() throws {
    let scratch = Scratch()
    #expect {
        try valueWithCheckpointedGradient(at: initialState(), parameters: 1.3, steps: steps,
            checkpointing: .planned(memory: .bytes(1000), disk: DiskBudget(bytes: 100, directory: scratch.path), stepTimes: StepTimes(advance: 1e-3, reverse: 3e-3)),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    } throws: { error in
        guard case .budgetTooSmall(1000, let minimum, _, _) = error as? CheckpointingError else { return false }
        return minimum > 1000 && "\(error)".contains("raise the budget to at least .bytes(\(minimum))")
    }
    #expect(scratch.entries.isEmpty)
}

@Test func vectorRoundTripsThroughCheckpointBytes() throws {
    let x = Vector([1, -0.0, .nan, .infinity, 2.5])
    let back = try x.checkpointBytes().withUnsafeBytes { try Vector(checkpointBytes: $0) }
    #expect(back.scalars.map(\.bitPattern) == x.scalars.map(\.bitPattern))
    #expect(x.checkpointEncodedByteCount == 8 + 5 * 8)
}

/// No disk, a tight memory budget, a smooth state and expensive steps: the planner holds
/// the checkpoints compressed in memory (more states in the same bytes), and the gradient
/// is still the store-all gradient bit for bit.
@Test func aCompressedMemoryLevelIsPlannedAndExact() throws {
    let x0 = Vector((0 ..< 4096).map { sin(Double($0) * 1e-3) })
    let reference = try valueWithCheckpointedGradient(at: x0, parameters: 1.3, steps: steps, checkpointing: .storeAll, step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    let stateBytes = x0.checkpointByteCount
    let working = CheckpointingOptions().workingBytes(steps: steps, stateBytes: stateBytes)
    let result = try valueWithCheckpointedGradient(at: x0, parameters: 1.3, steps: steps,
        checkpointing: .planned(memory: .bytes(working + stateBytes + 6 * stateBytes), disk: DiskBudget(bytes: 0), compression: .shuffledZstd(level: 1), stepTimes: StepTimes(advance: 1, reverse: 3)),
        step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    // Compressed as the only memory level (two-level) or beside plain memory (H-Revolve).
    let decision = result.plan!.decision
    let compressedLevel: StorageLevel = decision.compressedMemory == nil ? .memory : .compressedMemory
    #expect(!decision.memory.codec.isIdentity || decision.compressedMemory != nil, "\(decision.summary)")
    #expect(result.initialState == reference.initialState && result.parameters == reference.parameters)
    #expect((result.storage[compressedLevel]?.stores ?? 0) > 0 && (result.storage[compressedLevel]?.compressionRatio ?? 0) > 1.2)
}

/// The budget's latencies reach the planner: with files as cheap as their bytes the disk
/// pays (the case above), with a file costing 1000 advances it does not, and the plan says
/// so with the disk options among its alternatives. Either way the gradient is exact.
@Test func aDiskFileDearerThanRecomputationKeepsEveryCheckpointInMemory() throws {
    let scratch = Scratch()
    let reference = try storeAllGradient()
    let stateBytes = initialState().checkpointByteCount
    let working = CheckpointingOptions().workingBytes(steps: steps, stateBytes: stateBytes)
    let memory = MemoryBudget.bytes(working + 8 * stateBytes)
    let times = StepTimes(advance: 1e-3, reverse: 3e-3)
    let cheap = try planCheckpointing(
        at: initialState(), steps: steps, memory: memory,
        disk: DiskBudget(bytes: 1_000_000, directory: scratch.path, writeLatency: 0, readLatency: 0),
        compression: nil, stepTimes: times, workingBytes: working)
    #expect(cheap.decision.disk != nil, "\(cheap.decision.summary)")
    let dear = DiskBudget(bytes: 1_000_000, directory: scratch.path, writeLatency: 1, readLatency: 0.1)
    let result = try valueWithCheckpointedGradient(at: initialState(), parameters: 1.3, steps: steps,
        checkpointing: .planned(memory: memory, disk: dear, stepTimes: times), step: nonlinearStep,
        loss: { $0.halfSquaredNorm() })
    let plan = try #require(result.plan)
    #expect(plan.decision.disk == nil, "\(plan.decision.summary)")
    #expect(plan.problem.diskWriteLatency == 1 && plan.problem.diskReadLatency == 0.1)
    let diskOption = try #require(plan.alternatives.first { $0.disk != nil && $0.isFeasible })
    #expect(diskOption.disk!.writeTime >= 1 && diskOption.predictedTime! > plan.decision.predictedTime!)
    #expect(result.storage[.disk] == nil && scratch.entries.isEmpty)
    #expect(result.initialState == reference.initialState && result.parameters == reference.parameters)
}

/// The merged plan's decision is the fastest option of the two plans, the memory-only one
/// on a tie; the alternatives hold the memory-only options and the disk options, never the
/// disk plan's memory-only options (whose memory lost room to the disk store's buffers).
@Test func theMergedPlanKeepsTheFastestAndEveryOptionThatCanRun() throws {
    func problem(memory: Int, disk: ByteCount?) -> PlanningProblem {
        PlanningProblem(steps: 100, stateSize: 1000, memory: ByteCount(memory), disk: disk, advanceTime: 1, reverseTime: 3,
                        diskWriteBandwidth: 1000, diskReadBandwidth: 1000, diskWriteLatency: 0, diskReadLatency: 0)
    }
    for (latency, diskWins) in [(0.0, true), (500.0, false)] {
        let memoryOnly = try CheckpointPlanner.plan(problem(memory: 8000, disk: nil))
        var withDiskProblem = problem(memory: 4000, disk: .megabytes(1))
        withDiskProblem.diskWriteLatency = latency
        let withDisk = try CheckpointPlanner.plan(withDiskProblem)
        let merged = mergedPlan(memoryOnly: memoryOnly, withDisk: withDisk)
        let fastest = Swift.min(memoryOnly.decision.predictedTime!, withDisk.decision.predictedTime!)
        #expect(merged.decision.predictedTime == fastest)
        #expect((merged.decision.disk != nil) == diskWins, "latency \(latency): \(merged.decision.summary)")
        #expect(merged.problem == (diskWins ? withDisk.problem : memoryOnly.problem))
        let all = [merged.decision] + merged.alternatives
        #expect(all.filter { $0.disk == nil }.count == 1 + memoryOnly.alternatives.count)
        #expect(all.filter { $0.disk != nil }.count == ([withDisk.decision] + withDisk.alternatives).filter { $0.disk != nil }.count)
        let times = merged.alternatives.compactMap(\.predictedTime)
        #expect(times == times.sorted() && times.allSatisfy { $0 >= fastest })
    }
    // A tie goes to memory.
    let plan = try CheckpointPlanner.plan(problem(memory: 8000, disk: nil))
    #expect(mergedPlan(memoryOnly: plan, withDisk: plan).decision == plan.decision)
}

/// A budget with room for the memory-only plan but not for the disk store's four buffers
/// plans without the disk (it used to pick a disk plan that overran the budget), and a
/// budget too small for either is a typed error naming the smaller minimum; nothing is
/// written.
@Test func aPlanWhoseBuffersDoNotFitIsNotChosen() throws {
    let scratch = Scratch()
    let stateBytes = initialState().checkpointByteCount
    let working = CheckpointingOptions().workingBytes(steps: steps, stateBytes: stateBytes)
    let cheapDisk = DiskBudget(bytes: 1_000_000, directory: scratch.path, writeLatency: 0, readLatency: 0)
    let times = StepTimes(advance: 1e-3, reverse: 3e-3)
    // Memory-only needs working + 1 state; with the disk, working + 4 buffers.
    let roomForThree = MemoryBudget.bytes(working + 3 * stateBytes)
    let g = try valueWithCheckpointedGradient(
        at: initialState(), parameters: 1.3, steps: steps,
        checkpointing: .planned(memory: roomForThree, disk: cheapDisk, stepTimes: times),
        step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    #expect(g.plan?.decision.disk == nil, "\(g.plan?.decision.summary ?? "no plan")")
    #expect(g.statistics.capacities[.memory] == 3 && g.statistics.capacities[.disk] == nil)
    let reference = try storeAllGradient()
    #expect(g.initialState == reference.initialState && g.parameters == reference.parameters)
    #expect(throws: CheckpointingError.budgetTooSmall(
        budgetBytes: working, minimumBytes: working + stateBytes, stateBytes: stateBytes, reservedBytes: 0)) {
        try valueWithCheckpointedGradient(
            at: initialState(), parameters: 1.3, steps: steps,
            checkpointing: .planned(memory: .bytes(working), disk: cheapDisk, stepTimes: times),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    }
    #expect(scratch.entries.isEmpty)
}

/// A plan whose checkpoint files would not fit in the file system's free space is refused
/// before the forward sweep, naming both numbers, and nothing is created on disk.
@Test func aDiskPlanLargerThanTheFreeSpaceIsRefusedFirst() throws {
    let scratch = Scratch()
    let available = try FileSystemSpace.availableBytes(under: scratch.path)
    let x0 = Vector(repeating: 0.5, count: 1 << 23)   // 64 MiB states
    let stateBytes = x0.checkpointByteCount
    // Store-all on disk would take about twice the free space; steps are dear and the disk
    // is free, so the planner wants every state on disk.
    let n = Int(Swift.min(Double(available) / Double(stateBytes) * 2 + 10, 1e6))
    let options = CheckpointingOptions()
    let memory = MemoryBudget.bytes(options.workingBytes(steps: n, stateBytes: stateBytes) + 6 * stateBytes)
    let disk = DiskBudget(bytes: Int.max / 2, directory: scratch.path, writeBandwidth: 1e15, readBandwidth: 1e15,
                          writeLatency: 0, readLatency: 0)
    #expect {
        try valueWithCheckpointedGradient(
            at: x0, parameters: 1.0, steps: n,
            checkpointing: .planned(memory: memory, disk: disk, stepTimes: StepTimes(advance: 1, reverse: 3)),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    } throws: { error in
        guard case let .insufficientDiskSpace(needed, free, directory) = error as? CheckpointingError else { return false }
        return needed > free && directory == scratch.path && "\(error)".contains("\(free) bytes free")
    }
    #expect(scratch.entries.isEmpty)
}
