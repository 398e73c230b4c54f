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
/// - Complexity: generating the stream costs O(D·n) time and O(n) memory.
public struct PipelinedReversal: CheckpointSchedule, Hashable, CustomStringConvertible {
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
        let tree = PipelineTree(steps: steps, branching: branching)
        var summary = PipelineStreamBuilder(tree: tree, emitting: false)
        summary.build()
        self.peakSlots = summary.slots.peak
        self.recomputationAdvances = summary.recomputationAdvances
        self.longestLeaf = tree.leaves.map(\.count).max() ?? 1
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

    /// The whole action stream: the recording sweep (the reversing thread's), `endForward`,
    /// `reverse(n − 1)`, then the recomputing thread's sweeps and hand-overs, `endReverse`.
    public func actions() -> [CheckpointAction] {
        var builder = PipelineStreamBuilder(tree: PipelineTree(steps: steps, branching: branching), emitting: true)
        builder.build()
        return builder.actions
    }

    /// Iterates ``actions()``.
    public func makeIterator() -> IndexingIterator<[CheckpointAction]> { actions().makeIterator() }

    /// A short description, such as `PipelinedReversal(steps: 10000, branching: [12, 12, 12], handOff: 8)`.
    public var description: String {
        "PipelinedReversal(steps: \(steps), branching: \(branching), handOff: \(handOffDepth))"
    }
}

/// The checkpoint tree of a ``PipelinedReversal``: every range with its level, and the
/// sweeps with the leaves during whose reversal they run.
struct PipelineTree {
    /// One sweep: prepares `range` (level ≥ 1, not the last child of its parent) while the
    /// leaves `window` (forward leaf indices) of its next sibling are reversed.
    struct Sweep {
        let range: Range<Int>
        let level: Int
        let window: Range<Int>
        /// The states it stores after its first, in increasing order.
        let stores: [Int]
    }

    let steps: Int
    let branching: [Int]
    /// The leaves in forward order.
    private(set) var leaves: [Range<Int>] = []
    private(set) var sweeps: [Sweep] = []
    /// The states the recording sweep stores (x0 included unless n = 1), in increasing order.
    private(set) var recordingStores: [Int] = []

    init(steps: Int, branching: [Int]) {
        self.steps = steps
        self.branching = branching
        recordingStores = ([0] + preparationStores(0..<steps, level: 0)).filter { $0 < steps - 1 }
        collect(0..<steps, level: 0)
    }

    /// Splits `range` (at `level`) into its children: near-equal, the first ones longer.
    func children(_ range: Range<Int>, level: Int) -> [Range<Int>] {
        guard level < branching.count else { return [] }
        let count = Swift.min(branching[level], range.count)
        let base = range.count / count, longer = range.count % count
        var result: [Range<Int>] = []
        result.reserveCapacity(count)
        var start = range.lowerBound
        for k in 0..<count {
            let end = start + base + (k < longer ? 1 : 0)
            result.append(start..<end)
            start = end
        }
        return result
    }

    /// The states a sweep of `range` stores beyond its first: its children's first states,
    /// then recursively its last child's; every state of a leaf.
    func preparationStores(_ range: Range<Int>, level: Int) -> [Int] {
        let parts = children(range, level: level)
        guard let last = parts.last else { return Array(range.dropFirst()) }
        return parts.dropFirst().map(\.lowerBound) + preparationStores(last, level: level + 1)
    }

    /// Walks the tree: leaves in order, and a sweep for every child but the last.
    private mutating func collect(_ range: Range<Int>, level: Int) {
        let parts = children(range, level: level)
        guard !parts.isEmpty else {
            leaves.append(range)
            return
        }
        var leafStarts: [Int] = []
        for part in parts {
            leafStarts.append(leaves.count)
            collect(part, level: level + 1)
        }
        leafStarts.append(leaves.count)
        for c in 0..<(parts.count - 1) {
            sweeps.append(Sweep(
                range: parts[c], level: level + 1, window: leafStarts[c + 1]..<leafStarts[c + 2],
                stores: preparationStores(parts[c], level: level + 1)))
        }
    }
}
