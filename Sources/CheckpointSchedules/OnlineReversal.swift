/// The reverse sweep of an online schedule once the run has ended after n steps: each gap
/// between consecutive checkpoints is reversed binomially (revolve) with the slots free
/// at that time, the last gap first.
///
/// The current state is x[n−1] (see ``OnlineCheckpointSchedule``), so step n−1 is
/// reversed at once; a checkpoint of x[n−1], if the schedule holds one, is released
/// first. Then the steps c_k … n − 2 are reversed from x[c_k], then c_{k−1} … c_k − 1
/// from x[c_{k−1}], and so on down to x0. Each checkpoint is released by its last
/// restore, so every later gap has one slot more.
///
/// ```swift
/// let actions = Array(schedule.reversal(steps: 20))  // endForward, reverse 19, restore …
/// ```
///
/// - Complexity: ``OnlineCheckpointLayout/simulatedAdvances(steps:)`` − (n − 1)
///   advances, the least with which this layout can be reversed; O(s) memory; O(s) work
///   per gap plus O(1) amortised per action.
public struct OnlineReversal: Sequence, Sendable {
    /// n: the number of steps of the run.
    public let steps: Int
    /// The checkpoints held when the run ended.
    public let layout: OnlineCheckpointLayout
    /// s: the number of slots.
    public let slots: Int
    /// The level the checkpoints live at.
    public let level: StorageLevel

    /// The reversal of a run of `steps` steps from `layout`.
    public init(steps: Int, layout: OnlineCheckpointLayout, slots: Int, level: StorageLevel) {
        precondition(steps >= 1, "a run has at least one step, got \(steps)")
        precondition(layout.steps.first == 0 && (layout.lastStep ?? 0) <= steps - 1,
                     "the layout \(layout.steps) cannot serve a run of \(steps) steps: x0 must be stored and no checkpoint may lie beyond x\(steps - 1)")
        self.steps = steps
        self.layout = layout
        self.slots = slots
        self.level = level
    }

    /// A fresh generator of the reversal's actions.
    public func makeIterator() -> Iterator { Iterator(reversal: self) }

    /// Generates the reversal's actions on demand.
    public struct Iterator: IteratorProtocol {
        let reversal: OnlineReversal
        var live: [Bool]
        var checkpoints: Int
        var gapEnd: Int
        var segment: OnlineSegmentReversal?
        var pending: [CheckpointAction] = []
        var pendingIndex = 0
        var started = false
        var finished = false

        init(reversal: OnlineReversal) {
            self.reversal = reversal
            live = Array(repeating: false, count: reversal.slots)
            for slot in reversal.layout.slots { live[slot] = true }
            checkpoints = reversal.layout.count
            gapEnd = reversal.steps - 1
        }

        public mutating func next() -> CheckpointAction? {
            while true {
                if pendingIndex < pending.count {
                    defer { pendingIndex += 1 }
                    return pending[pendingIndex]
                }
                if segment != nil {
                    if let action = segment!.next() { return action }
                    segment = nil
                }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                if finished { return nil }
                produce()
            }
        }

        /// Emits `endForward` and step n − 1 first, then one gap at a time, then `endReverse`.
        mutating func produce() {
            let layout = reversal.layout
            let level = reversal.level
            if !started {
                started = true
                pending.append(.endForward)
                let last = checkpoints - 1
                if layout.steps[last] == reversal.steps - 1 {
                    // x[n−1] is current anyway: its checkpoint is not needed.
                    pending.append(.restore(step: layout.steps[last], level: level, slot: layout.slots[last], release: true))
                    live[layout.slots[last]] = false
                    checkpoints -= 1
                }
                pending.append(.reverse(step: reversal.steps - 1))
                return
            }
            guard checkpoints > 0 else {
                pending.append(.endReverse)
                finished = true
                return
            }
            let j = checkpoints - 1
            let start = layout.steps[j]
            let slot = layout.slots[j]
            var free: [Int] = []
            free.reserveCapacity(reversal.slots - checkpoints)
            for s in 0..<reversal.slots where !live[s] { free.append(s) }
            segment = OnlineSegmentReversal(start: start, end: gapEnd, startSlot: slot, freeSlots: free, level: level)
            live[slot] = false  // released by the segment's last restore
            checkpoints -= 1
            gapEnd = start
        }
    }
}
