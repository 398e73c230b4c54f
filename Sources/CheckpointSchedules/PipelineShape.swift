/// The arithmetic of a ``PipelinedReversal``'s checkpoint tree, without storing the tree: a
/// range at depth d splits into min(K_d, length) near-equal children, the first ones one
/// step longer, so any child, and any range's leaf count, follows in O(1) or O(2^depth).
struct PipelineShape: Hashable, Sendable {
    /// n.
    let steps: Int
    /// [K₁, …, K_D].
    let branching: [Int]

    /// D: every leaf is at this depth.
    var depth: Int { branching.count }

    /// How many children a range at depth `d` splits into (0 for a leaf).
    func childCount(_ range: Range<Int>, depth d: Int) -> Int {
        d < branching.count ? Swift.min(branching[d], range.count) : 0
    }

    /// Child `k` of `range` (at depth `d`, which must not be a leaf's).
    func child(_ k: Int, of range: Range<Int>, depth d: Int) -> Range<Int> {
        let count = childCount(range, depth: d)
        let base = range.count / count, longer = range.count % count
        let start = range.lowerBound + k * base + Swift.min(k, longer)
        return start..<(start + base + (k < longer ? 1 : 0))
    }

    /// The leaves below a range of `length` steps at depth `d`. At every depth the ranges'
    /// lengths take at most two consecutive values, so the recursion has at most two
    /// branches per level.
    func leafCount(length: Int, depth d: Int) -> Int {
        guard d < branching.count else { return 1 }
        let count = Swift.min(branching[d], length)
        let base = length / count, longer = length % count
        var leaves = (count - longer) * leafCount(length: base, depth: d + 1)
        if longer > 0 { leaves += longer * leafCount(length: base + 1, depth: d + 1) }
        return leaves
    }

    /// The longest leaf: the longest child of the longest range, level after level.
    var longestLeaf: Int {
        var length = steps
        for k in branching {
            let count = Swift.min(k, length)
            length = (length + count - 1) / count
        }
        return length
    }
}

/// Walks the states a sweep of a range stores beyond its first, in increasing order: its
/// children's first states, then recursively its last child's; every state of a leaf.
/// O(1) state: the range being walked, its depth and the next child (or state) index.
struct PipelineStoreCursor: Hashable, Sendable {
    private var range: Range<Int>
    private var depth: Int
    private var next = 1

    /// The cursor over the stores of `range` at depth `depth`.
    init(range: Range<Int>, depth: Int) {
        self.range = range
        self.depth = depth
    }

    /// The next state to store, or nil when the sweep stores no more.
    mutating func peek(in shape: PipelineShape) -> Int? {
        while true {
            let count = shape.childCount(range, depth: depth)
            if count == 0 { return next < range.count ? range.lowerBound + next : nil }
            if next < count { return shape.child(next, of: range, depth: depth).lowerBound }
            range = shape.child(count - 1, of: range, depth: depth)
            depth += 1
            next = 1
        }
    }

    /// Moves past the state ``peek(in:)`` returned.
    mutating func pop() { next += 1 }
}

/// Slot indices handed out lowest free first, with the peak of live ones: a min-heap of the
/// freed indices below the highest ever used, so O(log s) per take or release and no
/// allocation once the heap has grown to the peak.
struct LowestFreeSlots: Hashable, Sendable {
    private var freed: [Int] = []
    private var used = 0
    private var live = 0
    private(set) var peak = 0

    /// Freed indices held for reuse (below the peak).
    var freedCount: Int { freed.count }

    /// The lowest free index, now used.
    mutating func take() -> Int {
        live += 1
        peak = Swift.max(peak, live)
        guard let lowest = freed.first else {
            used += 1
            return used - 1
        }
        let last = freed.removeLast()
        if !freed.isEmpty {
            freed[0] = last
            siftDown()
        }
        return lowest
    }

    /// Frees `index`.
    mutating func release(_ index: Int) {
        live -= 1
        freed.append(index)
        var child = freed.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard freed[child] < freed[parent] else { break }
            freed.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < freed.count, freed[left] < freed[smallest] { smallest = left }
            if right < freed.count, freed[right] < freed[smallest] { smallest = right }
            guard smallest != parent else { return }
            freed.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
