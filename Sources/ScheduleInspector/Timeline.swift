import CheckpointSchedules

/// The geometry of the classic revolve picture: every action of a schedule placed on a
/// plane of *time* (step executions so far: advances plus reverses) against *step index*.
/// The ASCII and SVG timelines both draw these marks, so they show the same thing.
///
/// An advance a→b starting at time t is the segment (t, a)–(t + b − a, b); a reverse of
/// step i is the segment (t, i + 1)–(t + 1, i), so the reverse sweep reads as a staircase
/// down; stores, restores and discards are points (t, step); `endForward` and `endReverse` are
/// vertical lines at their time.
///
/// ```swift
/// let timeline = try Timeline(Revolve(steps: 10, slots: 3))
/// timeline.totalTime        // 25 = 15 advances + 10 reverses
/// for mark in timeline { print(mark.time, mark.action) }
/// ```
///
/// - Complexity: O(actions) to build (one simulation pass to validate and size the
///   picture); iteration regenerates the schedule lazily in O(1) per mark.
public struct Timeline<Schedule: CheckpointSchedule>: Sequence {
    /// One action placed on the time × step plane.
    public struct Mark: Hashable, Sendable {
        /// The action's 0-based position in the stream.
        public var index: Int
        /// The action itself.
        public var action: CheckpointAction
        /// Step executions before this action.
        public var time: Int
        /// Step executions this action performs: b − a for an advance, 1 for a reverse.
        public var duration: Int
        /// The step index where the mark starts (for points, the only one).
        public var fromStep: Int
        /// The step index where the mark ends.
        public var toStep: Int
        /// The storage level of a store, restore or discard.
        public var level: StorageLevel? {
            switch action {
            case let .store(_, level, _), let .restore(_, level, _, _), let .discard(_, level, _): level
            default: nil
            }
        }
    }

    /// The schedule drawn.
    public let schedule: Schedule
    /// Its statistics (from the validating simulation pass).
    public let statistics: ScheduleStatistics

    /// Lays out `schedule`.
    /// - Precondition: the schedule passes the `ScheduleSimulator` (every library schedule does).
    public init(_ schedule: Schedule) {
        self.schedule = schedule
        do { statistics = try ScheduleSimulator.run(schedule) } catch {
            preconditionFailure("cannot draw a schedule that breaks a rule: \(error)")
        }
    }

    /// n: the top of the step axis.
    public var steps: Int { schedule.steps }
    /// The right end of the time axis: advances + reverses.
    public var totalTime: Int { statistics.advances + statistics.reverses }

    /// Generates the marks.
    public func makeIterator() -> Iterator { Iterator(actions: schedule.makeIterator(), steps: schedule.steps) }

    /// Places each action as it is generated.
    public struct Iterator: IteratorProtocol {
        var actions: Schedule.Iterator
        let steps: Int
        var time = 0
        var index = 0

        /// The next action's mark, or nil at the end of the schedule.
        public mutating func next() -> Mark? {
            guard let action = actions.next() else { return nil }
            let mark: Mark
            switch action {
            case let .advance(from, to):
                mark = Mark(index: index, action: action, time: time, duration: to - from, fromStep: from, toStep: to)
            case let .store(step, _, _), let .restore(step, _, _, _), let .discard(step, _, _):
                mark = Mark(index: index, action: action, time: time, duration: 0, fromStep: step, toStep: step)
            case let .reverse(step):
                mark = Mark(index: index, action: action, time: time, duration: 1, fromStep: step + 1, toStep: step)
            case .endForward, .endReverse:
                mark = Mark(index: index, action: action, time: time, duration: 0, fromStep: 0, toStep: steps)
            }
            time += mark.duration
            index += 1
            return mark
        }
    }
}

/// Round axis ticks: multiples of 1, 2 or 5 × 10^k.
enum AxisTicks {
    /// About `count` ticks from 0 to `maximum` inclusive of 0, integer valued.
    static func ticks(upTo maximum: Int, count: Int) -> [Int] {
        guard maximum > 0 else { return [0] }
        let raw = Double(maximum) / Double(Swift.max(1, count))
        var magnitude = 1
        while Double(magnitude) * 10 <= raw { magnitude *= 10 }
        let step = [1, 2, 5, 10].map { $0 * magnitude }.first { Double($0) >= raw } ?? 10 * magnitude
        return Array(stride(from: 0, through: maximum, by: step))
    }
}
