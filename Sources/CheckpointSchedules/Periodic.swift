/// Periodic (uniform) checkpointing, the CVODES strategy: a checkpoint every `period`
/// steps on the recording sweep; during the reverse sweep each segment is recomputed once
/// from its checkpoint into a store-all buffer and reversed from it.
///
/// ```swift
/// let schedule = try Periodic(steps: 100, period: 10)   // 10 checkpoints + 8 buffer slots
/// ```
///
/// Slots ``checkpointSlots`` = ⌈n / k⌉ hold x[0], x[k], x[2k], …; the ``bufferSlots`` =
/// k − 2 slots after them hold the interior states of the segment being reversed (its
/// last state is the current one, so it needs no slot). The last segment is buffered on
/// the recording sweep itself, so it is never recomputed.
///
/// - Complexity: ⌈n / k⌉ + max(0, k − 2) slots; fewer than 2n advances; O(1) memory and
///   O(1) work per action.
public struct Periodic: CheckpointSchedule {
    /// n: the number of steps to reverse.
    public let steps: Int
    /// k: the distance between checkpoints, in steps (clamped to n).
    public let period: Int
    /// The level every checkpoint and buffer state is stored at.
    public let level: StorageLevel

    /// A periodic schedule with a checkpoint every `period` steps.
    ///
    /// - Throws: ``ScheduleError/invalidStepCount(_:)`` if `steps < 1`,
    ///   ``ScheduleError/invalidPeriod(_:)`` if `period < 1`.
    public init(steps: Int, period: Int, level: StorageLevel = .memory) throws(ScheduleError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        guard period >= 1 else { throw .invalidPeriod(period) }
        self.steps = steps
        self.period = Swift.min(period, steps)
        self.level = level
    }

    /// ⌈n / k⌉: slots holding the segments' first states.
    public var checkpointSlots: Int { (steps + period - 1) / period }
    /// k − 2 (at least 0): slots holding one segment's interior states.
    public var bufferSlots: Int { Swift.max(0, period - 2) }

    /// The slots used at `level`.
    public func capacity(of level: StorageLevel) -> Int {
        level == self.level ? checkpointSlots + bufferSlots : 0
    }

    /// A fresh generator of the schedule's actions.
    public func makeIterator() -> Iterator { Iterator(schedule: self) }

    /// Generates the periodic schedule's actions on demand.
    public struct Iterator: IteratorProtocol {
        enum Position {
            /// Recording sweep: the current state is x[segment·k].
            case recordSegment(Int)
            /// Recomputing or recording segment `segment` into the buffer; the current state is x[step].
            case fillBuffer(segment: Int, step: Int, recording: Bool)
            /// Reversing segment `segment`; the next step to reverse is `step`.
            case reverseSegment(segment: Int, step: Int)
            case done
            case finished
        }

        let schedule: Periodic
        var position: Position = .recordSegment(0)
        var pending = PendingActions()

        init(schedule: Periodic) {
            self.schedule = schedule
        }

        public mutating func next() -> CheckpointAction? {
            while pending.isEmpty {
                if case .finished = position { return nil }
                produce()
            }
            return pending.removeFirst()
        }

        func start(of segment: Int) -> Int { segment * schedule.period }
        func end(of segment: Int) -> Int { Swift.min(schedule.steps, (segment + 1) * schedule.period) }
        var lastSegment: Int { schedule.checkpointSlots - 1 }

        /// Emits the next few actions and moves `position` on.
        mutating func produce() {
            let level = schedule.level
            switch position {
            case let .recordSegment(segment):
                let first = start(of: segment)
                // The last segment's first state is still current when a one-step segment is reversed.
                if segment < lastSegment || end(of: segment) - first > 1 {
                    pending.append(.store(step: first, level: level, slot: segment))
                }
                if segment < lastSegment {
                    pending.append(.advance(from: first, to: end(of: segment)))
                    position = .recordSegment(segment + 1)
                } else {
                    position = .fillBuffer(segment: segment, step: first, recording: true)
                }
            case let .fillBuffer(segment, step, recording):
                let last = end(of: segment) - 1
                if step < last {
                    pending.append(.advance(from: step, to: step + 1))
                    if step + 1 < last {
                        pending.append(.store(step: step + 1, level: level, slot: bufferSlot(step + 1, segment)))
                    }
                    position = .fillBuffer(segment: segment, step: step + 1, recording: recording)
                } else {
                    if recording { pending.append(.endForward) }
                    pending.append(.reverse(step: last))
                    position = last == start(of: segment)
                        ? nextSegment(after: segment) : .reverseSegment(segment: segment, step: last - 1)
                }
            case let .reverseSegment(segment, step):
                let first = start(of: segment)
                let slot = step == first ? segment : bufferSlot(step, segment)
                pending.append(.restore(step: step, level: level, slot: slot, release: true))
                pending.append(.reverse(step: step))
                position = step == first ? nextSegment(after: segment) : .reverseSegment(segment: segment, step: step - 1)
            case .done:
                pending.append(.endReverse)
                position = .finished
            case .finished:
                break
            }
        }

        /// The next segment to reverse after `segment`, restoring its checkpoint first.
        mutating func nextSegment(after segment: Int) -> Position {
            guard segment > 0 else { return .done }
            let previous = segment - 1
            let first = start(of: previous)
            if end(of: previous) - first > 1 {
                pending.append(.restore(step: first, level: schedule.level, slot: previous, release: false))
            } else {
                pending.append(.restore(step: first, level: schedule.level, slot: previous, release: true))
            }
            return .fillBuffer(segment: previous, step: first, recording: false)
        }

        func bufferSlot(_ step: Int, _ segment: Int) -> Int {
            schedule.checkpointSlots + (step - start(of: segment) - 1)
        }
    }
}

/// Store every state: the fastest schedule (n − 1 advances, no recomputation) and the
/// most memory-hungry (n − 1 slots). The baseline every checkpointed gradient must equal.
///
/// - Complexity: n − 1 slots, n − 1 advances.
public struct StoreAll: CheckpointSchedule {
    /// n: the number of steps to reverse.
    public let steps: Int
    /// The level every state is stored at.
    public let level: StorageLevel

    /// A store-all schedule for `steps` steps.
    /// - Throws: ``ScheduleError/invalidStepCount(_:)`` if `steps < 1`.
    public init(steps: Int, level: StorageLevel = .memory) throws(ScheduleError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        self.steps = steps
        self.level = level
    }

    var periodic: Periodic { try! Periodic(steps: steps, period: steps, level: level) }

    /// n − 1 slots at the schedule's level.
    public func capacity(of level: StorageLevel) -> Int { periodic.capacity(of: level) }

    /// A fresh generator: a periodic schedule whose only segment is the whole computation.
    public func makeIterator() -> Periodic.Iterator { periodic.makeIterator() }
}
