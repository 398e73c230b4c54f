import CheckpointSchedules

/// What a checkpointed run did and what it cost, counted as it ran.
///
/// Counting follows `CheckpointAction`: an advance is one untaped step
/// (recording sweep included), a reverse one taped step with its pullback. For Revolve,
/// ``advances`` equals t(n, s) and ``reverses`` equals n; the numbers match the
/// `ScheduleSimulator`'s statistics of the same schedule. A pullback called a second time
/// replays the whole schedule and adds to every count.
public struct CheckpointingStatistics: Hashable, Sendable, Codable {
    /// n: the number of steps.
    public var steps: Int
    /// The bytes of one state, as measured (0 when the state is not ``CheckpointSized``).
    public var stateBytes: Int
    /// The slots the schedule could use at each level.
    public var capacities: [StorageLevel: Int] = [:]
    /// A short description of the schedule that ran, such as `Revolve(steps: 1000, slots: 10)`.
    public var schedule: String = ""
    /// Advances before `endForward`: the recording sweep.
    public var recordingAdvances = 0
    /// Advances after `endForward`: recomputation.
    public var recomputationAdvances = 0
    /// Taped steps with their pullback.
    public var reverses = 0
    /// States stored, per level.
    public var stores: [StorageLevel: Int] = [:]
    /// States restored, per level.
    public var restores: [StorageLevel: Int] = [:]
    /// The bytes of the budget the caller reserved for its own working set
    /// (``CheckpointingOptions/reservedBytes``).
    public var reservedBytes = 0
    /// The most bytes the checkpoint stores held at once (summed over levels, as the
    /// stores account them).
    public var peakCheckpointBytes = 0
    /// Seconds spent in the recording sweep (its stores included).
    public var recordingSeconds = 0.0
    /// Seconds spent in recomputation advances (and the stores and restores among them).
    public var recomputationSeconds = 0.0
    /// Seconds spent in reverses: taped step, pullback, loss gradients (and the restores
    /// between consecutive reverses).
    public var reverseSeconds = 0.0
    /// Per-thread facts of a reversal on two threads; nil for one thread.
    public var parallel: ParallelReversalStatistics?

    /// Empty statistics.
    public init(steps: Int, stateBytes: Int) {
        self.steps = steps
        self.stateBytes = stateBytes
    }

    /// All advances.
    public var advances: Int { recordingAdvances + recomputationAdvances }
    /// Stores over all levels.
    public var totalStores: Int { stores.values.reduce(0, +) }
    /// Restores over all levels.
    public var totalRestores: Int { restores.values.reduce(0, +) }
    /// The measured seconds, all phases.
    public var totalSeconds: Double { recordingSeconds + recomputationSeconds + reverseSeconds }
}
