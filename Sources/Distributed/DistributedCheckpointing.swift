import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD

/// A checkpointing strategy made concrete on one rank of a distributed run: the same
/// schedule on every rank, each rank's checkpoints in its own stores.
///
/// Every rank plans with the same inputs — the step count, the per-rank budgets, the
/// *largest* shard's bytes and the *slowest* rank's step times (both taken across ranks
/// with an exact maximum) — so the planner (`CheckpointPlanner`: store-all, Revolve or the
/// two-level memory + disk schedule of Aupy et al. 2016, by least predicted time) makes the
/// same decision everywhere. The settings and a SHA-256 of the schedule's whole action
/// stream are then compared across ranks (``RankAgreement``): ranks that disagree stop
/// together with one error that lists every rank's value. Disk checkpoints go to a
/// `FileCheckpointStore` per rank, in its own private directory under the disk budget's
/// directory (removed when the run ends, and on `SIGTERM` with `CheckpointInterruption`).
///
/// With a codec, each rank measures it on its own x[0] and the ranks plan with the worst
/// ratio and speeds (exact minima), so the planner may put compressed checkpoints in
/// memory (a `CompressedMemoryCheckpointStore` per rank), beside plain memory slots on a
/// compressed memory level (H-Revolve), or in the files.
///
/// ```swift
/// let plan = try DistributedCheckpointing<Vector>.plan(
///     steps: 5_000, initialState: x0, memory: 64_000_000,
///     disk: DiskBudget(bytes: 1_000_000_000), stepTimes: times, across: world)
/// let g = try valueWithCheckpointedGradient(at: x0, parameters: p, steps: 5_000,
///                                           checkpointing: plan.checkpointing, step: step, losses: losses)
/// ```
public struct DistributedCheckpointing<State: CheckpointCodable & CheckpointSized> {
    /// The planner's decision (identical on every rank).
    public let plan: CheckpointPlan
    /// The schedule every rank plays.
    public let schedule: PlannedSchedule
    /// A SHA-256 of the schedule's action stream (identical on every rank).
    public let scheduleDigest: SHA256Digest
    /// The bytes of the largest shard, which the plan was made for.
    public let stateBytes: Int
    /// This rank's compressed memory store, when the plan compresses in memory.
    public let memoryStore: CompressedMemoryCheckpointStore<State>?
    /// This rank's store for the compressed memory level, when the plan is H-Revolve with
    /// plain and compressed memory slots (`CheckpointPlan.Option.compressedMemory`).
    public let compressedMemoryStore: CompressedMemoryCheckpointStore<State>?
    /// This rank's disk store, when the schedule uses the disk.
    public let fileStore: FileCheckpointStore<State>?

    /// The strategy to hand to the driver: exactly ``schedule``, on this rank's stores
    /// (the memory level is the driver's built-in slots unless it is compressed).
    public var checkpointing: Checkpointing<State> {
        var stores: [StorageLevel: any CheckpointStore<State>] = [:]
        if let memoryStore { stores[.memory] = memoryStore }
        if let compressedMemoryStore { stores[.compressedMemory] = compressedMemoryStore }
        if let fileStore { stores[.disk] = fileStore }
        return .schedule(schedule, stores: stores)
    }

    /// Plans the run on every rank and checks that the ranks agree.
    ///
    /// - Parameters:
    ///   - n: the number of steps.
    ///   - x0: this rank's shard of the initial state (its bytes and the codec's sample).
    ///   - memory: bytes of memory each rank may use (working states and checkpoints).
    ///   - disk: bytes of disk each rank may use, where, and how fast; nil for none.
    ///   - compression: a codec the planner may use at either level; nil for none.
    ///   - stepTimes: this rank's measured times of one advance and one reverse.
    ///   - options: the options the driver will run with (for its working bytes).
    ///   - communicator: the ranks.
    /// - Throws: ``DistributedError/ranksDisagree(setting:values:)`` when ranks disagree
    ///   about the steps, the budgets or the schedule; ``DistributedError/rankFailed(rank:message:)``
    ///   when a budget is too small or a store cannot be created on some rank. Every rank
    ///   throws the same error.
    public static func plan(
        steps n: Int, initialState x0: State, memory: Int, disk: DiskBudget?, compression: CheckpointCodec? = nil,
        stepTimes: StepTimes, options: CheckpointingOptions = CheckpointingOptions(), across communicator: Communicator
    ) throws(DistributedError) -> Self {
        try RankAgreement.check(
            [("step count", "\(n)"), ("memory budget per rank", "\(memory) bytes"),
             ("disk budget per rank", disk.map { "\($0.bytes) bytes" } ?? "none"),
             ("compression", compression.map { "\($0)" } ?? "none")],
            across: communicator)
        let stateBytes = communicator.maximum(x0.checkpointByteCount)
        let times = StepTimes(advance: communicator.maximum(stepTimes.advance), reverse: communicator.maximum(stepTimes.reverse))
        let codec = compression == .identity ? nil : compression
        let codecs = codec.map { [agreedProfile(of: $0, on: x0, across: communicator)] } ?? []
        let (plan, schedule) = try RankAgreement.agree(across: communicator) {
            try makePlan(steps: n, stateBytes: stateBytes, memory: memory, disk: disk, codecs: codecs, stepTimes: times, options: options)
        }
        let digest = digest(of: schedule)
        try RankAgreement.check([("schedule", "\(plan.decision.summary) [SHA-256 \(digest.hexadecimal.prefix(16))]")], across: communicator)
        let (memoryStore, compressedMemoryStore) = memoryStores(for: plan, schedule: schedule, codec: codec)
        let diskSlots = schedule.capacity(of: .disk)
        let diskCodec = codec.flatMap { plan.decision.disk?.codec.isIdentity == false ? $0 : nil } ?? .identity
        let fileStore = try RankAgreement.agree(across: communicator) { () throws -> FileCheckpointStore<State>? in
            diskSlots > 0 ? try FileCheckpointStore<State>(capacity: diskSlots, directory: disk?.directory, codec: diskCodec) : nil
        }
        return Self(
            plan: plan, schedule: schedule, scheduleDigest: digest, stateBytes: stateBytes, memoryStore: memoryStore,
            compressedMemoryStore: compressedMemoryStore, fileStore: fileStore)
    }

    /// The in-memory stores `schedule` needs on this rank: a compressed store for its
    /// memory level when the plan compresses there, and one for its compressed memory level
    /// (H-Revolve) when it has one; nil where the level is plain memory (the driver's slots)
    /// or unused.
    static func memoryStores(for plan: CheckpointPlan, schedule: PlannedSchedule, codec: CheckpointCodec?)
        -> (memory: CompressedMemoryCheckpointStore<State>?, compressedMemory: CompressedMemoryCheckpointStore<State>?)
    {
        func store(_ assignment: CheckpointPlan.LevelAssignment?, level: StorageLevel) -> CompressedMemoryCheckpointStore<State>? {
            let slots = schedule.capacity(of: level)
            guard let codec, let assignment, !assignment.codec.isIdentity, slots > 0 else { return nil }
            return CompressedMemoryCheckpointStore<State>(capacity: slots, codec: codec)
        }
        return (store(plan.decision.memory, level: .memory), store(plan.decision.compressedMemory, level: .compressedMemory))
    }

    /// `codec` measured on this rank's x[0], with the worst ratio and speeds of all ranks
    /// (exact minima, so every rank gets the same profile).
    static func agreedProfile(of codec: CheckpointCodec, on x0: State, across communicator: Communicator) -> CodecProfile {
        let measured = x0.checkpointBytes().withUnsafeBytes { codec.measure(on: $0) }
        func minimum(_ value: Double) -> Double { -communicator.maximum(-value) }
        return CodecProfile(
            name: codec.description, ratio: minimum(Swift.max(1, measured.ratio)),
            compressionSpeed: minimum(measured.encodeBytesPerSecond), decompressionSpeed: minimum(measured.decodeBytesPerSecond))
    }

    /// The planner's decision and its schedule for one rank's share, with the driver's
    /// working states (and, with a disk, the file store's four buffers) set aside first:
    /// what ``plan(steps:stateBytes:memory:disk:stepTimes:options:across:)`` computes on
    /// every rank, here without MPI (for `rewind-mpi-heat plan` and models).
    ///
    /// - Throws: ``DistributedError/budgetTooSmall(budgetBytes:minimumBytes:stateBytes:)``,
    ///   or the planner's `PlanningError`.
    public static func makePlan(
        steps n: Int, stateBytes: Int, memory: Int, disk: DiskBudget?, codecs: [CodecProfile] = [], stepTimes: StepTimes,
        options: CheckpointingOptions
    ) throws -> (CheckpointPlan, PlannedSchedule) {
        let usesDisk = (disk?.bytes ?? 0) > 0
        // The working states, the file store's four buffers, and a scratch state for a codec.
        let reserved = options.workingBytes(steps: n, stateBytes: stateBytes) + (usesDisk ? 4 * stateBytes : 0)
            + (codecs.isEmpty ? 0 : stateBytes)
        let minimum = reserved + (usesDisk ? 0 : stateBytes)
        guard memory >= minimum else {
            throw DistributedError.budgetTooSmall(budgetBytes: memory, minimumBytes: minimum, stateBytes: stateBytes)
        }
        // A file holds the state plus its size prefix and an 80-byte header.
        let fileBytes = stateBytes + 96
        let problem = PlanningProblem(
            steps: Swift.max(n, 1), stateSize: ByteCount(stateBytes), memory: ByteCount(memory - reserved),
            disk: usesDisk ? ByteCount((disk?.bytes ?? 0) / fileBytes * stateBytes) : nil,
            advanceTime: stepTimes.advance, reverseTime: stepTimes.reverse,
            diskWriteBandwidth: disk?.writeBandwidth ?? 500e6, diskReadBandwidth: disk?.readBandwidth ?? 1e9,
            diskWriteLatency: disk?.writeLatency ?? PlanningProblem.defaultDiskWriteLatency,
            diskReadLatency: disk?.readLatency ?? PlanningProblem.defaultDiskReadLatency, codecs: codecs)
        let plan = try CheckpointPlanner.plan(problem)
        return (plan, try plan.decision.makeSchedule(steps: n))
    }

    /// A SHA-256 of every action of `schedule`, in order, and of its capacities.
    public static func digest(of schedule: some CheckpointSchedule) -> SHA256Digest {
        var hash = SHA256()
        hash.update(Array("steps \(schedule.steps)\n".utf8))
        for action in schedule { hash.update(Array("\(action)\n".utf8)) }
        return hash.finalize()
    }
}
