/// The checkpoints an online schedule holds: their steps, in increasing order, and the
/// slot each lives in. x0 is always the first.
///
/// Its ``simulatedAdvances(steps:)`` is the closed-form cost of reversing from it, the
/// quantity online schedules minimise when they choose which checkpoint to drop.
public struct OnlineCheckpointLayout: Hashable, Sendable {
    /// The checkpointed steps, increasing; `steps[0] == 0`.
    public internal(set) var steps: [Int] = []
    /// `slots[j]` holds x[`steps[j]`].
    public internal(set) var slots: [Int] = []
    /// The total number of slots, s.
    public let capacity: Int

    /// An empty layout for `capacity` slots.
    public init(capacity: Int) {
        precondition(capacity >= 1, "an online schedule needs at least one slot (for x0), got \(capacity)")
        self.capacity = capacity
    }

    /// The number of checkpoints held.
    public var count: Int { steps.count }
    /// The last checkpointed step, or nil when there is none.
    public var lastStep: Int? { steps.last }

    /// The advances the simulator counts for the reverse sweep from this layout after a
    /// run of `n` steps, plus the n − 1 advances of the recording sweep up to x[n−1]:
    ///
    ///     C = (n − 1) + Σ_{j<k} t(c_{j+1} − c_j, s − j) + t(n − 1 − c_k, s − k),
    ///
    /// with checkpoints c_0 = 0 < … < c_k ≤ n − 1 and t(0, ·) = 0. Gap j is reversed
    /// with the s − j slots left when c_0 … c_j are live (its own included); the steps
    /// c_k … n − 2 are reversed from x[c_k] after step n − 1 was reversed from the
    /// current state. The online total is C + 1 (the discovery step).
    /// - Complexity: O(k·r).
    public func simulatedAdvances(steps n: Int) -> Int {
        precondition(!steps.isEmpty && steps[0] == 0 && steps.last! <= n - 1,
                     "the layout \(steps) cannot serve a run of \(n) steps")
        var total = n - 1
        let k = steps.count - 1
        for j in 0..<k { total += Self.t(steps[j + 1] - steps[j], capacity - j) }
        total += Self.t(n - 1 - steps[k], capacity - k)
        return total
    }

    /// t(l, s) with t(0, s) = 0: revolve's advances for l steps and s slots.
    static func t(_ length: Int, _ slots: Int) -> Int {
        length <= 1 ? 0 : (try? BinomialCheckpointing.minimalAdvances(steps: length, slots: slots)) ?? Int.max / 4
    }

    mutating func append(step: Int, slot: Int) {
        precondition(steps.last.map { $0 < step } ?? (step == 0), "checkpoints are appended in step order, got x\(step) after \(steps)")
        steps.append(step)
        slots.append(slot)
    }

    @discardableResult
    mutating func remove(at index: Int) -> (step: Int, slot: Int) {
        (steps.remove(at: index), slots.remove(at: index))
    }
}
