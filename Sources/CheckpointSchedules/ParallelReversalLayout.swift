/// How a reversal on two threads splits n steps and s memory slots: K segments between
/// checkpoints taken on the recording sweep, each reversed by an inner Revolve with
/// ``innerSlots`` slots, and a hand-over queue of ``handOffDepth`` states between the
/// threads.
///
/// The scheme (segment-pipelined asynchronous Revolve): thread P plays every advance, store
/// and restore; thread R runs every taped step and pullback, in the order n−1, …, 0. When P
/// meets `reverse(step: i)` in segment k's inner schedule it hands x[i] to R through the
/// queue instead of running it. While the queue is full, P plays segment k−1's inner
/// schedule up to its first reverse (restore the segment's checkpoint, advance, store its
/// inner checkpoints), so that when R reaches segment k−1 its checkpoints are ready. Two
/// banks of ``innerSlots`` slots alternate between consecutive segments.
///
/// ```
/// recording  P: ──x0──▶ top checkpoints ──▶ last segment's inner forward part ──▶ x[n]
/// reversal   P: hand segment K−1's states │ forward part of segment K−2 │ hand segment K−2 …
///            R:          reverse segment K−1 (n−1 … a[K−1])   reverse segment K−2 …
/// ```
///
/// Memory: a segment's top checkpoint moves into slot 0 of its bank when its forward part
/// starts, so at most ``peakSlots`` = K − 2 + 2·s_in checkpoints are live at once (s_in
/// for K = 1), plus the queue's states, which the driver counts as working states.
/// Gradients are bitwise those of one thread: the same steps run on the same states, and R
/// applies every pullback in the one-thread order.
///
/// - Complexity: ``predictedAdvances`` = a[K−1] + Σₖ t(mₖ, min(s_in, mₖ)) advances (P's
///   work, recording included) and n reverses (R's work).
public struct ParallelReversalLayout: Hashable, Sendable, CustomStringConvertible {
    /// n: the number of steps.
    public let steps: Int
    /// a[0] = 0 < a[1] < … < a[K−1] < n: where each segment starts.
    public let segmentStarts: [Int]
    /// s_in: the slots of each of the two banks (a segment of m steps uses min(s_in, m)).
    public let innerSlots: Int
    /// States P may hand to R ahead of R's progress.
    public let handOffDepth: Int

    /// A layout with `segments` segments of near-equal length (the first ones one step
    /// longer) and `innerSlots` slots per bank.
    ///
    /// - Throws: ``ScheduleError`` when `steps < 1`, `segments` is not in 1…n, or
    ///   `innerSlots < 1` or `handOffDepth < 1`.
    public init(steps: Int, segments: Int, innerSlots: Int, handOffDepth: Int = Self.defaultHandOffDepth) throws(ScheduleError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        guard segments >= 1, segments <= steps else { throw .invalidSlotCount(segments) }
        guard innerSlots >= 1 else { throw .invalidSlotCount(innerSlots) }
        guard handOffDepth >= 1 else { throw .invalidSlotCount(handOffDepth) }
        self.steps = steps
        self.innerSlots = innerSlots
        self.handOffDepth = handOffDepth
        let base = steps / segments, longer = steps % segments
        var starts: [Int] = []
        starts.reserveCapacity(segments)
        var start = 0
        for k in 0..<segments {
            starts.append(start)
            start += base + (k < longer ? 1 : 0)
        }
        self.segmentStarts = starts
    }

    /// The layout for `slots` checkpoints: one segment storing every state when the slots
    /// hold all n, otherwise the layout of two or more segments (so that the threads
    /// overlap) with the fewest predicted advances whose ``peakSlots`` is at most `slots`,
    /// preferring, among equals, fewer live checkpoints. With one slot, or n = 1, it is a
    /// single segment (Revolve on P, reverses on R).
    ///
    /// - Throws: ``ScheduleError`` when `steps < 1` or `slots < 1`.
    /// - Complexity: O(s·r) arithmetic.
    public init(steps: Int, slots: Int, handOffDepth: Int = Self.defaultHandOffDepth) throws(ScheduleError) {
        let all = try Self.candidates(steps: steps, slots: slots, handOffDepth: handOffDepth)
        // The first candidate is the single segment: it is best only when it stores every state.
        var best = all[0]
        if all.count > 1 {
            var bestCost = (Int.max, Int.max)
            for layout in all.dropFirst() {
                let cost = (try layout.predictedAdvances, layout.peakSlots)
                if cost < bestCost { (best, bestCost) = (layout, cost) }
            }
        }
        self = best
    }

    /// The hand-over queue's depth when none is given (a budget in slots, which bounds the
    /// checkpoints only): deep enough to ride over the short advance bursts of an inner Revolve.
    public static let defaultHandOffDepth = 8

    /// K: the number of segments.
    public var segmentCount: Int { segmentStarts.count }

    /// The steps of segment `k`.
    public func segment(_ k: Int) -> Range<Int> {
        segmentStarts[k]..<(k + 1 < segmentStarts.count ? segmentStarts[k + 1] : steps)
    }

    /// The inner schedule of segment `k`, in the segment's own step numbers (0 is a[k]).
    public func innerSchedule(_ k: Int) -> Revolve {
        let length = segment(k).count
        // Revolve validates steps ≥ 1 and slots ≥ 1, which every segment satisfies.
        return try! Revolve(steps: length, slots: Swift.min(innerSlots, length))
    }

    /// The memory slot of segment `k`'s top checkpoint (k < K − 1; the last segment's start
    /// goes straight into its bank on the recording sweep).
    public func topSlot(_ k: Int) -> Int { k }

    /// The memory slot of segment `k`'s inner slot `j`.
    public func innerSlot(_ j: Int, segment k: Int) -> Int { (segmentCount - 1) + (k % 2) * innerSlots + j }

    /// The number of distinct memory slot indices the layout uses (not all live at once).
    public var slotIndexCount: Int { (segmentCount - 1) + (segmentCount > 1 ? 2 : 1) * innerSlots }

    /// The most checkpoints live at once: K − 2 + 2·s_in, or s_in when K = 1.
    public var peakSlots: Int {
        let inner = Swift.min(innerSlots, segment(0).count)
        return segmentCount == 1 ? inner : segmentCount - 2 + 2 * inner
    }

    /// P's advances, the recording sweep included: a[K−1] + Σₖ t(mₖ, min(s_in, mₖ)).
    /// Segments have two lengths at most, so this costs two evaluations of t.
    public var predictedAdvances: Int {
        get throws(ScheduleError) {
            let short = steps / segmentCount, longer = steps % segmentCount
            func t(_ length: Int) throws(ScheduleError) -> Int {
                try BinomialCheckpointing.minimalAdvances(steps: length, slots: Swift.min(innerSlots, length))
            }
            var total = segmentStarts[segmentCount - 1] + (segmentCount - longer) * (try t(short))
            if longer > 0 { total += longer * (try t(short + 1)) }
            return total
        }
    }

    /// A short description, such as `ParallelReversal(steps: 10000, segments: 22, innerSlots: 22, handOff: 4)`.
    public var description: String {
        "ParallelReversal(steps: \(steps), segments: \(segmentCount), innerSlots: \(innerSlots), handOff: \(handOffDepth))"
    }
}
