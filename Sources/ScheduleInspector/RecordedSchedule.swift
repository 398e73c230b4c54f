import CheckpointSchedules

/// A fixed list of actions as a `CheckpointSchedule`: lets the inspector list, count and
/// draw what a real run played (the actions of a `ScheduleTrace`) exactly as it draws a
/// generated schedule.
///
/// ```swift
/// let recorded = RecordedSchedule(trace)
/// let picture = try SVGTimeline(Timeline(recorded)).rendered()
/// ```
///
/// - Complexity: O(actions) memory (the trace holds them anyway).
public struct RecordedSchedule: CheckpointSchedule {
    /// n: the number of steps the run reversed.
    public let steps: Int
    /// The actions, in order.
    public let actions: [CheckpointAction]
    /// Slots per level.
    public let capacities: [StorageLevel: Int]

    /// The actions of `trace`.
    public init(_ trace: ScheduleTrace) {
        steps = trace.steps
        actions = trace.actions
        capacities = trace.capacities
    }

    /// The slots the run could use at `level`.
    public func capacity(of level: StorageLevel) -> Int { capacities[level] ?? 0 }

    /// The actions, in order.
    public func makeIterator() -> IndexingIterator<[CheckpointAction]> { actions.makeIterator() }
}
