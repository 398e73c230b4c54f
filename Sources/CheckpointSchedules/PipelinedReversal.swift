/// A reversal schedule for two threads that pipelines every level of a checkpoint tree:
/// while the reversing thread R reverses one range, the recomputing thread P sweeps the
/// range before it and lays that range's checkpoints, at every level at once.
///
/// The n steps form a tree: the root [0, n) splits into K₁ near-equal children, each of
/// those into K₂, …, down to the leaves at depth D (``branching`` = [K₁, …, K_D]). A range
/// is *prepared* when its children's first states are stored, and, recursively, its last
/// child is prepared; a leaf is prepared when every one of its states is stored. Preparing
/// a range takes one *sweep*: restore its first state, advance to its end and store those
/// states. The recording sweep prepares the root.
///
/// Reversing a prepared range reverses its children from the last to the first; while
/// child c is being reversed, P sweeps child c − 1, spread evenly over the leaves of child c
/// (so every level's sweep advances about one leaf length per leaf reversed). When R
/// reaches child c − 1 it is prepared. R receives a leaf's states through a hand-off queue
/// of ``handOffDepth`` states: P hands leaf f over (x[end−1], …, x[start], releasing their
/// slots), then does the sweeps' share of the period in which R reverses leaf f.
///
/// ```
/// recording R: x0 ─▶ K₁ checkpoints ─▶ last child's K₂ … ─▶ last leaf's states ─▶ x[n]
/// reversal  R: ◀ leaf G−1 ◀ leaf G−2 ◀ …                      (taped steps, pullbacks)
///           P:   sweep pieces of every level, one share per leaf, then hand the next leaf over
/// ```
///
/// The whole stream is also a valid one-thread schedule (a `reverse` is a hand-over on two
/// threads), so the ``ScheduleSimulator`` checks it, and ``ParallelStreamSimulator`` checks
/// it as two threads. P runs about Σ_ℓ (1 − 1/K_ℓ)·n advances after the recording sweep;
/// with a reverse costing ρ advances, R never waits when that is below ρ·n and the queue
/// covers one period.
///
/// This is our two-thread form of the pipelining in Walther's time-minimal parallel
/// reversal schedules (thesis, 1999; Lehmann & Walther, ICCS 2002), which use one processor
/// per level; `Papers/ParallelReversal.md` has the derivation and measurements.
///
/// - Complexity: the stream is generated lazily (``PipelinedReversalIterator``) in O(D·n)
///   time and O(D + ``peakSlots``) memory; ``init(steps:branching:handOffDepth:)`` walks it
///   once to count it.
public struct PipelinedReversal: CheckpointSchedule, Hashable, Sendable, CustomStringConvertible {
    /// n: the number of steps.
    public let steps: Int
    /// [K₁, …, K_D]: how many children a range of each level splits into.
    public let branching: [Int]
    /// The states P may hand to R ahead of R's progress.
    public private(set) var handOffDepth: Int
    /// The most checkpoints (stored states, the leaves' included) live at once in the stream.
    public let peakSlots: Int
    /// P's advances after the recording sweep.
    public let recomputationAdvances: Int
    /// The longest leaf.
    public let longestLeaf: Int
    /// The number of actions in the stream.
    public let actionCount: Int

    /// The schedule for `steps` steps with the given branching and queue depth.
    ///
    /// - Throws: ``ScheduleError`` when `steps < 1`, a branching factor is below 1, or
    ///   `handOffDepth < 1`.
    public init(steps: Int, branching: [Int], handOffDepth: Int) throws(ScheduleError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        guard branching.allSatisfy({ $0 >= 1 }) else { throw .invalidSlotCount(branching.min() ?? 0) }
        guard handOffDepth >= 1 else { throw .invalidSlotCount(handOffDepth) }
        self.steps = steps
        self.branching = branching
        self.handOffDepth = handOffDepth
        let shape = PipelineShape(steps: steps, branching: branching)
        var summary = PipelinedReversalIterator(shape: shape)
        var count = 0
        while summary.next() != nil { count += 1 }
        self.actionCount = count
        self.peakSlots = summary.slots.peak
        self.recomputationAdvances = summary.recomputationAdvances
        self.longestLeaf = shape.longestLeaf
    }

    /// The same tree with another queue depth (no need to walk the tree again).
    func withHandOffDepth(_ depth: Int) -> PipelinedReversal {
        var copy = self
        copy.handOffDepth = depth
        return copy
    }

    /// The memory slots the stream uses (slot indices 0 ..< ``peakSlots``).
    public func capacity(of level: StorageLevel) -> Int { level == .memory ? peakSlots : 0 }

    /// State buffers the run needs beyond one thread's working set: the checkpoints and
    /// the queue.
    public var states: Int { peakSlots + handOffDepth }

    /// The whole action stream as an array (``actionCount`` actions; runs and simulators
    /// iterate the schedule lazily instead): the recording sweep (the reversing thread's),
    /// `endForward`, `reverse(n − 1)`, then the recomputing thread's sweeps and hand-overs,
    /// `endReverse`.
    public func actions() -> [CheckpointAction] {
        var result: [CheckpointAction] = []
        result.reserveCapacity(actionCount)
        for action in self { result.append(action) }
        return result
    }

    /// The stream, generated as it is read.
    public func makeIterator() -> PipelinedReversalIterator {
        PipelinedReversalIterator(shape: PipelineShape(steps: steps, branching: branching))
    }

    /// A short description, such as `PipelinedReversal(steps: 10000, branching: [12, 12, 12], handOff: 8)`.
    public var description: String {
        "PipelinedReversal(steps: \(steps), branching: \(branching), handOff: \(handOffDepth))"
    }
}
