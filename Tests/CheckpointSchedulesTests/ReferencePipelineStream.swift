@testable import CheckpointSchedules

// The array-building stream generator the lazy ``PipelinedReversalIterator`` replaced, kept
// here as the reference it must equal action for action: it materialises the whole tree
// (every leaf, every sweep with its list of stores) and a step-indexed slot table.

/// The checkpoint tree of a `PipelinedReversal`: every range with its level, and the
/// sweeps with the leaves during whose reversal they run.
struct ReferencePipelineTree {
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

/// Writes the action stream of a `PipelinedReversal` (or only counts it): the recording
/// sweep, then per leaf, from the last: each hand-over of the leaf's states followed by an
/// even part of each active sweep's share of the period, so that P hands states over at
/// the pace it works and the queue only absorbs the jitter.
///
/// A sweep interrupted between two of its stores parks its current state in a slot of its
/// own (store, later a releasing restore), so that every sweep in progress holds at most
/// one extra state. Slots are allocated lowest index first, so the indices used are below
/// the peak of live slots.
struct ReferencePipelineStreamBuilder {
    /// Where one sweep stands.
    struct Progress {
        var position: Int?
        /// The slot holding x[position] between two shares, and whether it is a parking slot.
        var slot = -1
        var parked = false
        var nextStore = 0
    }

    let tree: ReferencePipelineTree
    let emitting: Bool
    private(set) var actions: [CheckpointAction] = []
    private(set) var slots = ReferenceLowestFreeSlots()
    private(set) var recomputationAdvances = 0
    private var slotOf: [Int]
    private var current = 0
    private var recording = true

    init(tree: ReferencePipelineTree, emitting: Bool) {
        self.tree = tree
        self.emitting = emitting
        self.slotOf = Array(repeating: -1, count: tree.steps)
    }

    /// Plays the whole schedule.
    mutating func build() {
        let n = tree.steps
        for s in tree.recordingStores {
            advance(to: s)
            store(s)
        }
        advance(to: n - 1)
        emit(.endForward)
        emit(.reverse(step: n - 1))
        recording = false
        var active = Array(repeating: [Int](), count: tree.leaves.count)
        for (index, sweep) in tree.sweeps.enumerated() {
            for f in sweep.window { active[f].append(index) }
        }
        var progress = Array(repeating: Progress(), count: tree.sweeps.count)
        for f in tree.leaves.indices.reversed() {
            let states = tree.leaves[f].reversed().filter { $0 < n - 1 }
            let parts = Swift.max(1, states.count)
            // Deepest level first: its sweep prepares the very next leaf.
            let sweeps = active[f].sorted { tree.sweeps[$0].level > tree.sweeps[$1].level }
            for part in 0..<parts {
                if part < states.count { handOver(states[part]) }
                for index in sweeps { share(of: tree.sweeps[index], in: f, part: part, of: parts, &progress[index]) }
            }
        }
        emit(.endReverse)
    }

    /// Hands x[i] over, releasing its slot.
    private mutating func handOver(_ i: Int) {
        emit(.restore(step: i, level: .memory, slot: slotOf[i], release: true))
        slots.release(slotOf[i])
        slotOf[i] = -1
        emit(.reverse(step: i))
    }

    /// Part `part` of `parts` of the share of `sweep` in the period of leaf `f`: it
    /// advances to start + ⌈A·(p + (part+1)/parts)/W⌉, A its advances, W its window's
    /// leaves, p the periods done.
    private mutating func share(of sweep: ReferencePipelineTree.Sweep, in f: Int, part: Int, of parts: Int, _ progress: inout Progress) {
        let start = sweep.range.lowerBound, last = sweep.range.upperBound - 1
        let done = sweep.window.upperBound - 1 - f, width = sweep.window.count
        let numerator = (last - start) * (done * parts + part + 1), denominator = width * parts
        let target = start + (numerator + denominator - 1) / denominator
        let position = progress.position ?? start
        guard target > position else { return }
        if progress.position == nil {
            emit(.restore(step: start, level: .memory, slot: slotOf[start], release: false))
        } else {
            emit(.restore(step: position, level: .memory, slot: progress.slot, release: progress.parked))
            if progress.parked { slots.release(progress.slot) }
        }
        current = position
        var justStored = false
        while current < target {
            justStored = false
            if progress.nextStore < sweep.stores.count, sweep.stores[progress.nextStore] <= target {
                advance(to: sweep.stores[progress.nextStore])
                store(current)
                progress.nextStore += 1
                justStored = true
            } else {
                advance(to: target)
            }
        }
        progress.position = current
        if justStored {
            (progress.slot, progress.parked) = (slotOf[current], false)
        } else {
            let slot = slots.take()
            emit(.store(step: current, level: .memory, slot: slot))
            (progress.slot, progress.parked) = (slot, true)
        }
    }

    private mutating func advance(to step: Int) {
        guard step > current else { return }
        emit(.advance(from: current, to: step))
        if !recording { recomputationAdvances += step - current }
        current = step
    }

    private mutating func store(_ step: Int) {
        let slot = slots.take()
        slotOf[step] = slot
        emit(.store(step: step, level: .memory, slot: slot))
    }

    private mutating func emit(_ action: CheckpointAction) {
        if emitting { actions.append(action) }
    }
}

/// Slot indices handed out lowest first, with the peak of live ones.
struct ReferenceLowestFreeSlots {
    private var used: [Bool] = []
    private var live = 0
    private(set) var peak = 0

    /// The lowest free index, now used.
    mutating func take() -> Int {
        let index = used.firstIndex(of: false) ?? used.count
        if index == used.count { used.append(true) } else { used[index] = true }
        live += 1
        peak = Swift.max(peak, live)
        return index
    }

    /// Frees `index`.
    mutating func release(_ index: Int) {
        used[index] = false
        live -= 1
    }
}
