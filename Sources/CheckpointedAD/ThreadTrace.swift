import CheckpointSchedules

/// The timings of a run on two threads, per action of its stream, from which the
/// ``ScheduleTrace`` is assembled once both threads are done: each thread writes only its
/// own arrays (the recomputing thread its actions', the reversing thread the recording
/// sweep's and every reverse's), so they never write the same memory.
@usableFromInline
final class ThreadTrace: @unchecked Sendable {
    /// The run's start (seconds of the monotonic clock).
    @usableFromInline var origin = 0.0
    /// Per action index: when it started, how long it took, which thread played it.
    @usableFromInline var starts: [Double] = []
    @usableFromInline var durations: [Double] = []
    @usableFromInline var threads: [Int] = []
    /// Per step: when the reversing thread's taped step and pullback started and took.
    @usableFromInline var reverseStarts: [Double] = []
    @usableFromInline var reverseDurations: [Double] = []

    @usableFromInline init() {}

    /// Clears the arrays for a stream of `actions` actions and `steps` steps starting at `origin`.
    @usableFromInline
    func begin(actions: Int, steps: Int, at origin: Double) {
        self.origin = origin
        starts = Array(repeating: 0, count: actions)
        durations = starts
        threads = Array(repeating: 0, count: actions)
        reverseStarts = Array(repeating: 0, count: steps)
        reverseDurations = reverseStarts
    }

    /// Action `index` ran on `thread` from `start` until now.
    @inlinable
    func played(_ index: Int, thread: Int, from start: Double) {
        starts[index] = start - origin
        durations[index] = CheckpointSweep<Int, Int, Double, Double>.now() - start
        threads[index] = thread
    }

    /// Step `step` was reversed on the caller's thread from `start` until now.
    @inlinable
    func reversed(_ step: Int, from start: Double) {
        reverseStarts[step] = start - origin
        reverseDurations[step] = CheckpointSweep<Int, Int, Double, Double>.now() - start
    }

    /// The trace of `actions` in stream order, every event with its thread; a `reverse`
    /// carries the reversing thread's timing of that step.
    func trace(of actions: [CheckpointAction], steps: Int, stateBytes: Int, capacities: [StorageLevel: Int]) -> ScheduleTrace {
        var events: [TraceEvent] = []
        events.reserveCapacity(actions.count)
        for (index, action) in actions.enumerated() {
            var event: TraceEvent
            switch action {
            case let .reverse(step):
                event = TraceEvent(action: action, start: reverseStarts[step], duration: reverseDurations[step], bytes: 0)
                event.thread = 0
            case .store, .restore:
                event = TraceEvent(action: action, start: starts[index], duration: durations[index], bytes: stateBytes)
                event.thread = threads[index]
            default:
                event = TraceEvent(action: action, start: starts[index], duration: durations[index], bytes: 0)
                event.thread = threads[index]
            }
            events.append(event)
        }
        return ScheduleTrace(steps: steps, stateBytes: stateBytes, capacities: capacities, events: events)
    }
}
