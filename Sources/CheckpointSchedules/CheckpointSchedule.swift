/// An offline checkpointing schedule: a lazily generated stream of ``CheckpointAction``s
/// that reverses a computation whose number of steps is known in advance.
///
/// Conforming types are small values; iterating them generates actions on demand, so a
/// schedule for 10^9 steps never materialises an array of actions. Play one through the
/// ``ScheduleSimulator`` to check it and to count its work.
public protocol CheckpointSchedule: Sequence, Sendable where Element == CheckpointAction {
    /// n: the number of steps of the computation being reversed.
    var steps: Int { get }
    /// The number of checkpoint slots the schedule may use at `level` at once.
    func capacity(of level: StorageLevel) -> Int
}
