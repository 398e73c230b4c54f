extension HRevolve {
    /// Replays the table's choices as actions, one segment at a time.
    public struct Iterator: IteratorProtocol {
        /// Reverse steps `start ..< start + length`; x[start] is held at the levels of
        /// `held` (its slot at level k in `slots[k]`), current when `isCurrent`;
        /// `freeIndex` is the table's free vector.
        struct Frame {
            var start: Int
            var length: Int
            var freeIndex: Int
            var held: Int
            var isCurrent: Bool
            var slots: SIMD8<Int32>
        }

        let table: HRevolveCostTable
        let levels: [StorageLevel]
        var frames: [Frame] = []
        var pending: [CheckpointAction] = []
        var pendingIndex = 0
        /// Released slot indices per level (reused last-in first-out); `nextSlot` numbers
        /// slots never used before.
        var freeSlots: [[Int32]]
        var nextSlot: [Int32]
        var forwardEnded = false
        var finished = false

        init(_ schedule: HRevolve) {
            table = schedule.table
            levels = schedule.levels.map(\.level)
            freeSlots = Array(repeating: [], count: levels.count)
            nextSlot = Array(repeating: 0, count: levels.count)
            let free = table.freeIndex(schedule.levels.map { $0.slots ?? 0 })
            // Segments over the slowest level: the recording sweep stores each segment's first
            // state there and advances over it; each is reversed later from that checkpoint,
            // after the part that follows the last one.
            var start = 0
            let top = levels.count - 1
            for length in schedule.segments {
                let slot = allocate(level: top)
                pending.append(.store(step: start, level: levels[top], slot: Int(slot)))
                pending.append(.advance(from: start, to: start + length))
                var slots = SIMD8<Int32>(repeating: -1)
                slots[top] = slot
                frames.append(Frame(start: start, length: length, freeIndex: free, held: 1 << top, isCurrent: false, slots: slots))
                start += length
            }
            frames.append(Frame(start: start, length: schedule.steps - start, freeIndex: free, held: 0, isCurrent: true,
                                slots: SIMD8(repeating: -1)))
        }

        /// The next action, or nil after `endReverse`.
        public mutating func next() -> CheckpointAction? {
            while pendingIndex == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                guard let frame = frames.popLast() else {
                    if finished { return nil }
                    finished = true
                    return .endReverse
                }
                expand(frame)
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }

        mutating func allocate(level k: Int) -> Int32 {
            if let slot = freeSlots[k].popLast() { return slot }
            defer { nextSlot[k] += 1 }
            return nextSlot[k]
        }

        /// Turns one frame into its next action and the frames that follow.
        mutating func expand(_ frame: Frame) {
            var frame = frame
            let cell = table.index(length: frame.length, freeIndex: frame.freeIndex, held: frame.held)
            if !frame.isCurrent {
                guard let (k, release) = HRevolveCostTable.Choice.restored(table.restoreChoice[cell]) else {
                    preconditionFailure("no finite restore for segment \(frame.start)+\(frame.length), held \(frame.held)")
                }
                pending.append(.restore(step: frame.start, level: levels[k], slot: Int(frame.slots[k]), release: release))
                if release {
                    freeSlots[k].append(frame.slots[k])
                    frame.held &= ~(1 << k)
                    if table.capacities[k] != nil { frame.freeIndex += table.strides[k] }
                }
                frame.isCurrent = true
                frames.append(frame)
                return
            }
            let choice = table.currentChoice[cell]
            if choice == HRevolveCostTable.Choice.reverse {
                if !forwardEnded {
                    forwardEnded = true
                    pending.append(.endForward)
                }
                pending.append(.reverse(step: frame.start))
            } else if let k = HRevolveCostTable.Choice.storedLevel(choice) {
                let slot = allocate(level: k)
                pending.append(.store(step: frame.start, level: levels[k], slot: Int(slot)))
                frame.slots[k] = slot
                frame.held |= 1 << k
                if table.capacities[k] != nil { frame.freeIndex -= table.strides[k] }
                frames.append(frame)
            } else {
                precondition(choice > 0, "no finite schedule for segment \(frame.start)+\(frame.length), held \(frame.held)")
                let j = Int(choice)
                pending.append(.advance(from: frame.start, to: frame.start + j))
                var left = frame
                left.length = j
                left.isCurrent = false
                frames.append(left)
                frames.append(Frame(start: frame.start + j, length: frame.length - j, freeIndex: frame.freeIndex, held: 0,
                                    isCurrent: true, slots: SIMD8(repeating: -1)))
            }
        }
    }
}
