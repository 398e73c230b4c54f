/// What a reversal on two threads did on each thread (``Checkpointing/revolve(memory:threads:stepTimes:)``
/// with two threads), beside the run's ``CheckpointingStatistics``.
///
/// The recomputing thread plays every advance, store and restore after the recording sweep;
/// the reversing thread (the caller's) runs every taped step and pullback. Wait times say
/// which thread was the bottleneck: the reversing thread waiting means recomputation was
/// late; the recomputing thread waiting means it was ahead by the whole hand-off queue.
public struct ParallelReversalStatistics: Hashable, Sendable, Codable {
    /// The layout that ran, such as `ParallelReversal(steps: 10000, segments: 22, innerSlots: 22, handOff: 4)`.
    public var layout: String
    /// K: the segments between the recording sweep's checkpoints.
    public var segments: Int
    /// The slots of each of the two banks the segments' inner Revolves use.
    public var innerSlots: Int
    /// The most states handed over and not yet reversed (the queue's depth bounds it).
    public var handOffDepth: Int
    /// The most checkpoints live at once (at most the layout's peak slots).
    public var peakCheckpoints = 0
    /// The most states waiting in the hand-off queue at once.
    public var peakHandedOff = 0
    /// Advances the recomputing thread ran (after the recording sweep).
    public var recomputingThreadAdvances = 0
    /// CPU seconds of the recomputing thread.
    public var recomputingThreadCPUSeconds = 0.0
    /// CPU seconds of the reversing thread during the reverse sweep.
    public var reversingThreadCPUSeconds = 0.0
    /// Seconds the reversing thread waited for a state (recomputation was late).
    public var reversingThreadWaitSeconds = 0.0
    /// Seconds the recomputing thread waited for room in the queue (it was ahead).
    public var recomputingThreadWaitSeconds = 0.0
    /// Wall seconds of the reverse sweep (from the seed to x̄[0]).
    public var reverseSweepSeconds = 0.0
    /// For a pipelined tree (`CheckpointSchedules.PipelinedReversal`): how many children a
    /// range of each level splits into; nil for the segment layout.
    public var branching: [Int]?

    /// Statistics of a run with the given layout, nothing counted yet.
    public init(layout: String, segments: Int, innerSlots: Int, handOffDepth: Int) {
        self.layout = layout
        self.segments = segments
        self.innerSlots = innerSlots
        self.handOffDepth = handOffDepth
    }
}
