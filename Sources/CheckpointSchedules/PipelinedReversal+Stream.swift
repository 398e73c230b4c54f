/// The action stream of a ``PipelinedReversal``, generated one action at a time: the
/// recording sweep, then per leaf, from the last: each hand-over of the leaf's states
/// followed by an even part of each active sweep's share of the period, so that P hands
/// states over at the pace it works and the queue only absorbs the jitter.
///
/// A sweep interrupted between two of its stores parks its current state in a slot of its
/// own (store, later a releasing restore), so that every sweep in progress holds at most
/// one extra state. Slots are allocated lowest index first, so the indices used are below
/// the peak of live slots.
///
/// The tree is never stored: the iterator keeps the path from the root to the current
/// leaf, one sweep's progress per level (the sweep of the current leaf's ancestor's
/// previous sibling), and the slot of each live checkpoint.
///
/// - Complexity: O(D) amortised time per action; O(D + live checkpoints) memory, with no
///   allocation once the slot tables have grown to the schedule's peak.
public struct PipelinedReversalIterator: IteratorProtocol, Sendable {
    /// One node of the path from the root to the current leaf.
    struct Node: Sendable {
        var range: Range<Int>
        /// Its index among its parent's children.
        var index: Int
        /// Leaves below it already reversed, and all its leaves.
        var leavesDone = 0
        var leaves: Int
    }

    /// Where one level's active sweep stands.
    struct Progress: Sendable {
        var position: Int?
        /// The slot holding x[position] between two shares, and whether it is a parking slot.
        var slot = -1
        var parked = false
        var stores: PipelineStoreCursor
    }

    /// What the next call to ``next()`` works on.
    enum Phase: Sendable {
        /// Storing the recording sweep's checkpoints; x0 is stored first unless `storedFirst`.
        case recording(storedFirst: Bool)
        /// Part `part` of the current leaf: hand its state over, then the shares.
        case handOver
        /// The share of the sweep at depth ≤ `depth` (deepest active first).
        case shareBegin(depth: Int)
        /// Advancing the sweep at `depth` to `target`.
        case shareLoop(depth: Int, target: Int, justStored: Bool)
        case finished
    }

    let shape: PipelineShape
    private var phase = Phase.recording(storedFirst: false)
    private var pending: [CheckpointAction] = []
    private var pendingHead = 0
    private var current = 0
    private var recording = true
    private var recordingStores: PipelineStoreCursor
    private var path: [Node] = []
    private var progress: [Progress] = []
    private var part = 0
    private var slotOf: [Int: Int] = [:]
    /// The slots handed out so far, with their peak.
    private(set) var slots = LowestFreeSlots()
    /// P's advances so far (after the recording sweep).
    private(set) var recomputationAdvances = 0

    init(shape: PipelineShape) {
        self.shape = shape
        recordingStores = PipelineStoreCursor(range: 0..<shape.steps, depth: 0)
        pending.reserveCapacity(4)
        path.reserveCapacity(shape.depth + 1)
        path.append(Node(range: 0..<shape.steps, index: 0, leaves: shape.leafCount(length: shape.steps, depth: 0)))
        descendToLastLeaf(from: 0)
        progress = (0...shape.depth).map { PipelineStoreCursor(range: path[$0].range, depth: $0) }.map {
            Progress(position: nil, stores: $0)
        }
        for d in 1..<(shape.depth + 1) { resetSweep(at: d) }
    }

    /// The entries the iterator holds (path nodes, sweep cursors, live checkpoints' slots,
    /// freed slot indices, queued actions): O(D + peak of live slots), whatever n.
    var heldEntries: Int { path.count + progress.count + slotOf.count + slots.freedCount + pending.count }

    /// The next action, or nil after `endReverse`.
    public mutating func next() -> CheckpointAction? {
        while pendingHead == pending.count {
            guard !isFinished else { return nil }
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
            produce()
        }
        pendingHead += 1
        return pending[pendingHead - 1]
    }

    private var isFinished: Bool {
        if case .finished = phase { true } else { false }
    }

    /// Does one unit of work, queueing its actions (at most three).
    private mutating func produce() {
        let n = shape.steps
        switch phase {
        case let .recording(storedFirst):
            let s: Int?
            if storedFirst {
                s = recordingStores.peek(in: shape)
                recordingStores.pop()
            } else {
                s = 0
                phase = .recording(storedFirst: true)
            }
            if let s, s < n - 1 {
                advance(to: s)
                store(s)
            } else {
                advance(to: n - 1)
                pending.append(.endForward)
                pending.append(.reverse(step: n - 1))
                recording = false
                part = 0
                phase = .handOver
            }
        case .handOver:
            let leaf = path[shape.depth].range
            let top = Swift.min(leaf.upperBound, n - 1)
            if part < top - leaf.lowerBound { handOver(top - 1 - part) }
            phase = .shareBegin(depth: shape.depth)
        case let .shareBegin(depth):
            var d = depth
            while d >= 1, path[d].index == 0 { d -= 1 }
            guard d >= 1 else { return endPart() }
            beginShare(at: d)
        case let .shareLoop(d, target, justStored):
            if current < target {
                if let s = progress[d].stores.peek(in: shape), s <= target {
                    advance(to: s)
                    store(current)
                    progress[d].stores.pop()
                    phase = .shareLoop(depth: d, target: target, justStored: true)
                } else {
                    advance(to: target)
                    phase = .shareLoop(depth: d, target: target, justStored: false)
                }
                return
            }
            progress[d].position = current
            if justStored {
                (progress[d].slot, progress[d].parked) = (slotOf[current]!, false)
            } else {
                let slot = slots.take()
                pending.append(.store(step: current, level: .memory, slot: slot))
                (progress[d].slot, progress[d].parked) = (slot, true)
            }
            phase = .shareBegin(depth: d - 1)
        case .finished:
            break
        }
    }

    /// Starts the share of the sweep at depth `d` in this part of the current leaf: it
    /// advances to start + ⌈A·(p + (part+1)/parts)/W⌉, A its advances, W its window's
    /// leaves, p the periods done.
    private mutating func beginShare(at d: Int) {
        let sweep = shape.child(path[d].index - 1, of: path[d - 1].range, depth: d - 1)
        let start = sweep.lowerBound, last = sweep.upperBound - 1
        let done = path[d].leavesDone, width = path[d].leaves
        let numerator = (last - start) * (done * parts + part + 1), denominator = width * parts
        let target = start + (numerator + denominator - 1) / denominator
        let position = progress[d].position ?? start
        guard target > position else {
            phase = .shareBegin(depth: d - 1)
            return
        }
        if progress[d].position == nil {
            pending.append(.restore(step: start, level: .memory, slot: slotOf[start]!, release: false))
        } else {
            pending.append(.restore(step: position, level: .memory, slot: progress[d].slot, release: progress[d].parked))
            if progress[d].parked { slots.release(progress[d].slot) }
        }
        current = position
        phase = .shareLoop(depth: d, target: target, justStored: false)
    }

    /// The hand-overs (one per state below n − 1) of the current leaf, at least one part.
    private var parts: Int {
        let leaf = path[shape.depth].range
        return Swift.max(1, Swift.min(leaf.upperBound, shape.steps - 1) - leaf.lowerBound)
    }

    /// After a part's shares: the next part, the previous leaf, or `endReverse`.
    private mutating func endPart() {
        part += 1
        if part < parts {
            phase = .handOver
            return
        }
        for d in path.indices { path[d].leavesDone += 1 }
        guard let d = path.indices.last(where: { $0 >= 1 && path[$0].index > 0 }) else {
            pending.append(.endReverse)
            phase = .finished
            return
        }
        path[d].index -= 1
        path[d].range = shape.child(path[d].index, of: path[d - 1].range, depth: d - 1)
        path[d].leavesDone = 0
        path[d].leaves = shape.leafCount(length: path[d].range.count, depth: d)
        path.removeSubrange((d + 1)...)
        descendToLastLeaf(from: d)
        for e in d...shape.depth { resetSweep(at: e) }
        part = 0
        phase = .handOver
    }

    /// Extends the path from depth `d` down to the last leaf below it.
    private mutating func descendToLastLeaf(from d: Int) {
        var depth = d
        while depth < shape.depth {
            let parent = path[depth].range
            let count = shape.childCount(parent, depth: depth)
            let range = shape.child(count - 1, of: parent, depth: depth)
            path.append(Node(range: range, index: count - 1, leaves: shape.leafCount(length: range.count, depth: depth + 1)))
            depth += 1
        }
    }

    /// The sweep at depth `d` is now the one of the previous sibling of the path's node.
    private mutating func resetSweep(at d: Int) {
        guard path[d].index > 0 else { return }
        let sweep = shape.child(path[d].index - 1, of: path[d - 1].range, depth: d - 1)
        progress[d] = Progress(position: nil, stores: PipelineStoreCursor(range: sweep, depth: d))
    }

    /// Hands x[i] over, releasing its slot.
    private mutating func handOver(_ i: Int) {
        let slot = slotOf.removeValue(forKey: i)!
        pending.append(.restore(step: i, level: .memory, slot: slot, release: true))
        slots.release(slot)
        pending.append(.reverse(step: i))
    }

    private mutating func advance(to step: Int) {
        guard step > current else { return }
        pending.append(.advance(from: current, to: step))
        if !recording { recomputationAdvances += step - current }
        current = step
    }

    private mutating func store(_ step: Int) {
        let slot = slots.take()
        slotOf[step] = slot
        pending.append(.store(step: step, level: .memory, slot: slot))
    }
}
