/// The optimal offline binomial checkpointing schedule, *revolve*.
///
/// Reverses n steps with s checkpoint slots (x0 included) using exactly
/// t(n, s) = r·n − β(s + 1, r − 1) advances, the least possible (Griewank & Walther 2000,
/// ACM TOMS 26(1), doi:10.1145/347837.347846; see ``BinomialCheckpointing``).
///
/// ```swift
/// let schedule = try Revolve(steps: 10, slots: 3)
/// for action in schedule { print(action) }   // store x0 → memory[0], advance 0→4, …
/// ```
///
/// The schedule is generated lazily from a stack of pending segments, the way the
/// recursive algorithm would unwind: to reverse steps a ..< b with x[a] checkpointed and
/// c more free slots, advance to a split point m, checkpoint x[m], reverse m ..< b with
/// c − 1 free slots, then restore x[a] and reverse a ..< m with c free slots. The split
/// m − a = min(max(1, l − β(c, r − 1)), β(c + 1, r − 1)), where l = b − a and r is the
/// repetition number of (l, c + 1), attains t(l, c + 1) (checked against the dynamic
/// program T(l, s) = min_m m + T(l − m, s − 1) + T(m, s) in the tests). Slots are used
/// as a stack: the checkpoint of a segment nested k deep lives in slot k.
///
/// - Complexity: O(s) memory; O(r) arithmetic per segment split, where r is the
///   repetition number (r ≤ 5 for n = 10^7, s = 100), so O(1) amortised per action for a
///   fixed r. Never an array of all actions: usable for n up to 10^9 and beyond.
public struct Revolve: CheckpointSchedule {
    /// n: the number of steps to reverse.
    public let steps: Int
    /// s: the number of checkpoint slots, x0 included.
    public let slots: Int
    /// The level every checkpoint is stored at.
    public let level: StorageLevel

    /// A revolve schedule for `steps` steps with `slots` checkpoint slots (x0 included).
    ///
    /// - Throws: ``ScheduleError/invalidStepCount(_:)`` if `steps < 1`,
    ///   ``ScheduleError/invalidSlotCount(_:)`` if `slots < 1`.
    public init(steps: Int, slots: Int, level: StorageLevel = .memory) throws(ScheduleError) {
        try BinomialCheckpointing.validate(steps: steps, slots: slots)
        self.steps = steps
        self.slots = slots
        self.level = level
    }

    /// The slots available at `level`: `slots` at the schedule's level, none elsewhere.
    public func capacity(of level: StorageLevel) -> Int { level == self.level ? slots : 0 }

    /// t(n, s), the number of advances this schedule performs.
    public var minimalAdvances: Int {
        get throws(ScheduleError) { try BinomialCheckpointing.minimalAdvances(steps: steps, slots: slots) }
    }

    /// A fresh generator of the schedule's actions.
    public func makeIterator() -> Iterator { Iterator(steps: steps, slots: slots, level: level) }

    /// Generates revolve's actions on demand.
    public struct Iterator: IteratorProtocol {
        /// Reverse steps `start ..< end`. x[start] is in `slot` when `slot >= 0`; the current
        /// state is x[start] when `isCurrent`; `freeSlots` more slots may be used.
        struct Segment {
            var start: Int
            var end: Int
            var slot: Int
            var freeSlots: Int
            var isCurrent: Bool
        }

        let level: StorageLevel
        let steps: Int
        /// β tabulated up to the schedule's repetition number (nil past its size limit).
        let binomials: BinomialTable?
        /// The segment to expand next, when it is known without consulting `segments`.
        var current: Segment?
        /// Segments waiting for their turn, the next on top.
        var segments: [Segment]
        var pending = PendingActions()
        var forwardEnded = false
        var finished = false

        init(steps: Int, slots: Int, level: StorageLevel) {
            self.level = level
            self.steps = steps
            let initialSlots = Swift.min(slots, steps)
            binomials = BinomialTable(steps: steps, slots: initialSlots)
            current = Segment(start: 0, end: steps, slot: -1, freeSlots: initialSlots, isCurrent: true)
            segments = []
            segments.reserveCapacity(Swift.min(initialSlots, 1 << 12) + 4)  // grows beyond if needed
        }

        public mutating func next() -> CheckpointAction? {
            while pending.isEmpty {
                if let segment = current {
                    current = nil
                    expand(segment)
                } else if let segment = segments.popLast() {
                    expand(segment)
                } else {
                    if finished { return nil }
                    finished = true
                    return .endReverse
                }
            }
            return pending.removeFirst()
        }

        /// Turns one segment into its first few actions and the segments that follow.
        mutating func expand(_ segment: Segment) {
            let length = segment.end - segment.start
            if length == 1 {
                if !segment.isCurrent {
                    pending.append(.restore(step: segment.start, level: level, slot: segment.slot, release: true))
                }
                if !forwardEnded {
                    forwardEnded = true
                    pending.append(.endForward)
                }
                pending.append(.reverse(step: segment.start))
                return
            }
            var slot = segment.slot
            var free = segment.freeSlots
            if segment.slot < 0 {
                // x[start] is current but not yet checkpointed: it will be needed again.
                slot = 0
                free -= 1
                pending.append(.store(step: segment.start, level: level, slot: slot))
            } else if !segment.isCurrent {
                pending.append(.restore(step: segment.start, level: level, slot: slot, release: false))
            }
            let split = segment.start + splitOffset(length: length, slots: free + 1)
            pending.append(.advance(from: segment.start, to: split))
            var right = Segment(start: split, end: segment.end, slot: -1, freeSlots: 0, isCurrent: true)
            if segment.end - split > 1 {
                right.slot = slot + 1
                right.freeSlots = free - 1
                pending.append(.store(step: split, level: level, slot: right.slot))
            }
            // The right part is reversed first; the left one waits on the stack.
            segments.append(Segment(start: segment.start, end: split, slot: slot, freeSlots: free, isCurrent: false))
            current = right
        }

        /// The optimal distance from a segment's start to its next checkpoint, for a
        /// segment of `length` ≥ 2 steps whose start holds one of `slots` slots.
        static func splitOffset(length: Int, slots: Int) -> Int {
            if slots <= 1 { return length - 1 }
            let (_, betaPrevious, betaFewerSlotsPrevious) = BinomialCheckpointing.repetitions(steps: length, slots: slots)
            return Swift.min(Swift.max(1, length - betaFewerSlotsPrevious), betaPrevious)
        }

        /// ``splitOffset(length:slots:)`` read from the schedule's table of β.
        @inline(__always)
        func splitOffset(length: Int, slots: Int) -> Int {
            guard slots > 1, let binomials else { return Self.splitOffset(length: length, slots: slots) }
            let (_, betaPrevious, betaFewerSlotsPrevious) = binomials.repetitions(steps: length, slots: Swift.min(slots, length))
            return Swift.min(Swift.max(1, length - betaFewerSlotsPrevious), betaPrevious)
        }
    }
}
