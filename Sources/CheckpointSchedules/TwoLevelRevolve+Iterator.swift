extension TwoLevelRevolve {
    /// Replays the chosen stream: the table's choices (after the top-level disk segments, if
    /// any), the hierarchical, the multistage or the revolve stream.
    public struct Iterator: IteratorProtocol {
        var stream: Stream

        /// The stream of each ``Method``.
        enum Stream {
            case table(TableReplay)
            case hierarchical(HierarchicalRevolvePlan.Stream)
            case multistage(MultistageRevolve.Iterator)
            case revolve(Revolve.Iterator)
            /// Held only while another case is taken out to advance, so that it stays
            /// uniquely referenced (no copy of its arrays).
            case advancing
        }

        init(schedule: TwoLevelRevolve) { self.init(source: schedule.source, steps: schedule.steps) }

        init(source: Source, steps: Int) {
            switch source {
            case let .table(table, segments, segmentDiskFree, tailFree):
                stream = .table(TableReplay(table: table, steps: steps, segments: segments, segmentDiskFree: segmentDiskFree, tailFree: tailFree))
            case let .hierarchical(plan): stream = .hierarchical(HierarchicalRevolvePlan.Stream(plan, steps: steps))
            case let .multistage(schedule): stream = .multistage(schedule.makeIterator())
            case let .revolve(schedule): stream = .revolve(schedule.makeIterator())
            }
        }

        /// The next action, or nil after `endReverse`.
        public mutating func next() -> CheckpointAction? {
            switch stream {
            case var .table(replay):
                stream = .advancing
                defer { stream = .table(replay) }
                return replay.next()
            case var .hierarchical(inner):
                stream = .advancing
                defer { stream = .hierarchical(inner) }
                return inner.next()
            case var .multistage(inner):
                stream = .advancing
                defer { stream = .multistage(inner) }
                return inner.next()
            case var .revolve(inner):
                stream = .advancing
                defer { stream = .revolve(inner) }
                return inner.next()
            case .advancing:
                preconditionFailure("the two-level iterator was re-entered while advancing")
            }
        }
    }

    /// Replays the table's choices as actions, one segment at a time, after the top-level
    /// disk segments of the recording sweep.
    struct TableReplay {
        /// Reverse steps `start ..< start + length`; x[start] is held at `held` (slots in
        /// `slots`), current when `isCurrent`; `free` are the table's free-slot indices.
        struct Frame {
            var start: Int
            var length: Int
            var free: [Int]
            var held: Int
            var isCurrent: Bool
            var slots: [Int]
        }

        let table: TwoLevelCostTable
        var frames: [Frame] = []
        var pending: [CheckpointAction] = []
        var pendingIndex = 0
        /// Released slot indices per level (reused last-in first-out); `nextSlot` numbers
        /// slots never used before.
        var freeSlots: [[Int]]
        var nextSlot: [Int]
        var forwardEnded = false
        var finished = false

        /// The top-level disk segments still to record, and where the next one starts.
        var topSegments: [Int] = []
        var topSegmentDiskFree: [Int] = []
        var nextTopSegment = 0
        var topStart = 0
        /// The segment after the top-level ones: its length and free slots.
        var tailFree: [Int] = [0, 0]
        var tailPushed = false
        let steps: Int

        init(table: TwoLevelCostTable, steps: Int, segments: [Int], segmentDiskFree: [Int], tailFree: [Int]) {
            self.table = table
            self.steps = steps
            self.topSegments = segments
            self.topSegmentDiskFree = segmentDiskFree
            self.tailFree = tailFree
            // Slots are numbered on first use; the table never needs more than the capacity.
            freeSlots = [[], []]
            nextSlot = [0, 0]
        }

        /// The recording sweep of the top level: write the segment's first state to disk
        /// and advance over it; the segment is reversed later from that checkpoint.
        mutating func recordNextTopSegment() {
            let length = topSegments[nextTopSegment]
            let diskFree = topSegmentDiskFree[nextTopSegment]
            nextTopSegment += 1
            let slot = allocate(level: 1)
            pending.append(.store(step: topStart, level: .disk, slot: slot))
            pending.append(.advance(from: topStart, to: topStart + length))
            frames.append(Frame(start: topStart, length: length, free: [tailFree[0], diskFree], held: TwoLevelRevolve.diskHeld, isCurrent: false, slots: [-1, slot]))
            topStart += length
        }

        /// The next action, or nil after `endReverse`.
        mutating func next() -> CheckpointAction? {
            while pendingIndex == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                if nextTopSegment < topSegments.count {
                    recordNextTopSegment()
                    continue
                }
                if !tailPushed {
                    tailPushed = true
                    frames.append(Frame(start: topStart, length: steps - topStart, free: tailFree, held: 0, isCurrent: true, slots: [-1, -1]))
                }
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

        mutating func allocate(level: Int) -> Int {
            if let slot = freeSlots[level].popLast() { return slot }
            defer { nextSlot[level] += 1 }
            return nextSlot[level]
        }

        /// Turns one frame into its next action and the frames that follow.
        mutating func expand(_ frame: Frame) {
            var frame = frame
            let levels = TwoLevelCostTable.levels
            if !frame.isCurrent {
                let choice = table.restoreChoice[table.index(length: frame.length, free: frame.free, held: frame.held)]
                guard let (level, release) = TwoLevelCostTable.Choice.restored(choice) else {
                    preconditionFailure("no finite restore for segment \(frame.start)+\(frame.length), held \(frame.held)")
                }
                pending.append(.restore(step: frame.start, level: levels[level], slot: frame.slots[level], release: release))
                if release {
                    freeSlots[level].append(frame.slots[level])
                    frame.held &= ~(1 << level)
                    if table.capacities[level] != nil { frame.free[level] += 1 }
                }
                frame.isCurrent = true
                frames.append(frame)
                return
            }
            let choice = table.currentChoice[table.index(length: frame.length, free: frame.free, held: frame.held)]
            if choice == TwoLevelCostTable.Choice.reverse {
                if !forwardEnded {
                    forwardEnded = true
                    pending.append(.endForward)
                }
                pending.append(.reverse(step: frame.start))
            } else if let level = TwoLevelCostTable.Choice.storedLevel(choice) {
                let slot = allocate(level: level)
                pending.append(.store(step: frame.start, level: levels[level], slot: slot))
                frame.slots[level] = slot
                frame.held |= 1 << level
                if table.capacities[level] != nil { frame.free[level] -= 1 }
                frames.append(frame)
            } else {
                precondition(choice > 0, "no finite schedule for segment \(frame.start)+\(frame.length), held \(frame.held)")
                let j = Int(choice)
                pending.append(.advance(from: frame.start, to: frame.start + j))
                frames.append(Frame(start: frame.start, length: j, free: frame.free, held: frame.held, isCurrent: false, slots: frame.slots))
                frames.append(Frame(start: frame.start + j, length: frame.length - j, free: frame.free, held: 0, isCurrent: true, slots: [-1, -1]))
            }
        }
    }
}
