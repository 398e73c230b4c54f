import Testing
@testable import CheckpointSchedules

/// Revolve's stream is the same action for action as the generator it replaced (the one
/// before the split rule read β from a table and the right segment skipped the stack),
/// kept here verbatim as the reference.
@Suite struct RevolveStreamTests {
    @Test func sameStreamAsTheReferenceGeneratorOnASmallGrid() throws {
        for n in 1...160 {
            for s in 1...24 {
                let reference = Array(ReferenceRevolve(steps: n, slots: s))
                let streamed = Array(try Revolve(steps: n, slots: s))
                #expect(streamed == reference, "n = \(n), s = \(s)")
            }
        }
    }

    @Test(arguments: [(20_000, 2), (30_011, 3), (65_537, 10), (100_000, 100)])
    func sameStreamAtLargerSizes(steps n: Int, slots s: Int) throws {
        var reference = ReferenceRevolve(steps: n, slots: s).makeIterator()
        var streamed = try Revolve(steps: n, slots: s).makeIterator()
        var index = 0
        while true {
            let expected = reference.next()
            let actual = streamed.next()
            guard actual == expected else {
                Issue.record("n = \(n), s = \(s): action \(index) is \(String(describing: actual)), expected \(String(describing: expected))")
                return
            }
            if expected == nil { break }
            index += 1
        }
    }

    /// Huge budgets build no table (and do not trap); the first actions still come.
    @Test func hugeBudgetsFallBackToTheClosedFormulas() throws {
        #expect(BinomialTable(steps: .max, slots: .max) == nil)
        #expect(BinomialTable(steps: 1 << 40, slots: 2) == nil)  // r ≈ 1.5·10^6: too wide
        var iterator = try Revolve(steps: .max, slots: .max).makeIterator()
        #expect(iterator.next() == .store(step: 0, level: .memory, slot: 0))
        #expect(iterator.next() == .advance(from: 0, to: 1))
    }

    /// The split rule reads the same β from the table as from the closed formulas.
    @Test func tableAgreesWithTheClosedFormulas() throws {
        for (n, s) in [(50, 7), (10_000_000, 100), (1_000_000, 2), (4_000, 3)] {
            let table = try #require(BinomialTable(steps: n, slots: s))
            for c in 2...min(s, 12) {
                for l in stride(from: c, through: n, by: max(1, n / 997)) {
                    let tabulated = table.repetitions(steps: l, slots: c)
                    let closed = BinomialCheckpointing.repetitions(steps: l, slots: c)
                    #expect(tabulated == closed, "l = \(l), c = \(c)")
                }
            }
        }
    }
}

/// The revolve generator as it was before the streamed one, used as the reference.
struct ReferenceRevolve: Sequence {
    let steps: Int
    let slots: Int
    let level: StorageLevel = .memory

    func makeIterator() -> Iterator { Iterator(steps: steps, slots: slots, level: level) }

    struct Iterator: IteratorProtocol {
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
        var segments: [Segment]
        var pending = PendingActions()
        var forwardEnded = false
        var finished = false

        init(steps: Int, slots: Int, level: StorageLevel) {
            self.level = level
            self.steps = steps
            let initialSlots = Swift.min(slots, steps)
            segments = [Segment(start: 0, end: steps, slot: -1, freeSlots: initialSlots, isCurrent: true)]
            segments.reserveCapacity(2 * initialSlots + 4)
        }

        mutating func next() -> CheckpointAction? {
            while pending.isEmpty {
                guard let segment = segments.popLast() else {
                    if finished { return nil }
                    finished = true
                    return .endReverse
                }
                expand(segment)
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
            let split = segment.start + Self.splitOffset(length: length, slots: free + 1)
            pending.append(.advance(from: segment.start, to: split))
            var right = Segment(start: split, end: segment.end, slot: -1, freeSlots: 0, isCurrent: true)
            if segment.end - split > 1 {
                right.slot = slot + 1
                right.freeSlots = free - 1
                pending.append(.store(step: split, level: level, slot: right.slot))
            }
            segments.append(Segment(start: segment.start, end: split, slot: slot, freeSlots: free, isCurrent: false))
            segments.append(right)
        }

        /// The optimal distance from a segment's start to its next checkpoint, for a
        /// segment of `length` ≥ 2 steps whose start holds one of `slots` slots.
        static func splitOffset(length: Int, slots: Int) -> Int {
            if slots <= 1 { return length - 1 }
            let (_, betaPrevious, betaFewerSlotsPrevious) = BinomialCheckpointing.repetitions(steps: length, slots: slots)
            return Swift.min(Swift.max(1, length - betaFewerSlotsPrevious), betaPrevious)
        }
    }
}
