/// What playing a schedule costs: counts of every kind of action, per level where it
/// matters, the peak number of live slots, and the time a ``CostModel`` predicts.
///
/// Advances follow the convention of ``CheckpointAction``: the recording sweep is counted
/// (``recordingAdvances``), and so is every recomputation (``recomputationAdvances``).
public struct ScheduleStatistics: Hashable, Sendable, Codable {
    /// n: the number of steps reversed.
    public var steps: Int
    /// Advances before `endForward`: the recording sweep.
    public var recordingAdvances = 0
    /// Advances after `endForward`: recomputation during the reverse sweep.
    public var recomputationAdvances = 0
    /// Steps run taped with their pullback (n for every valid schedule).
    public var reverses = 0
    /// States stored, per level.
    public var stores: [StorageLevel: Int] = [:]
    /// States restored, per level.
    public var restores: [StorageLevel: Int] = [:]
    /// The most slots live at once, per level.
    public var peakSlots: [StorageLevel: Int] = [:]
    /// The number of actions in the stream, `endForward` and `endReverse` included.
    public var actions = 0
    /// The time the cost model predicts for the whole stream.
    public var predictedTime = 0.0

    /// Empty statistics for a computation of `steps` steps.
    public init(steps: Int) { self.steps = steps }

    /// All advances: recording sweep plus recomputation. Revolve's equals t(n, s).
    public var advances: Int { recordingAdvances + recomputationAdvances }
    /// Advances per step: 1 means no recomputation beyond the recording sweep.
    public var recomputationRatio: Double { Double(advances) / Double(steps) }
    /// Stores summed over levels.
    public var totalStores: Int { stores.values.reduce(0, +) }
    /// Restores summed over levels.
    public var totalRestores: Int { restores.values.reduce(0, +) }
    /// Peak live slots summed over levels.
    public var totalPeakSlots: Int { peakSlots.values.reduce(0, +) }
}
