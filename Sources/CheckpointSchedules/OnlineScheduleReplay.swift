/// Plays an online schedule for a run that turns out to have `steps` steps, as one
/// offline action stream: for the ``ScheduleSimulator``, the statistics, the inspector
/// and `rewind schedule --schedule online`.
///
/// ```swift
/// let replay = try OnlineScheduleReplay(OnlineStummWalther(slots: 10), steps: 1000)
/// let stats = try ScheduleSimulator.run(replay)
/// let onlineAdvances = stats.advances + OnlineScheduleReplay<OnlineStummWalther>.discoveryAdvances
/// ```
///
/// The stream is what the driver plays: the schedule's stores and discards before each
/// advance, the recording sweep up to x[n−1], then ``OnlineCheckpointSchedule/reversal(steps:)``.
/// The step that computed x[n] and told the driver the run was over is not in the stream
/// (the driver keeps x[n−1] current, see ``OnlineCheckpointSchedule``): add
/// ``discoveryAdvances`` to the simulated advances for the online total.
///
/// - Complexity: the schedule's own cost per step; consecutive advances are merged into
///   one action.
public struct OnlineScheduleReplay<Schedule: OnlineCheckpointSchedule>: CheckpointSchedule {
    /// n: the number of steps the run turns out to have.
    public let steps: Int
    /// The online schedule in its initial state.
    public let schedule: Schedule

    /// Untaped executions that the stream leaves out: the one that discovered the end.
    public static var discoveryAdvances: Int { 1 }

    /// A replay of `schedule` for a run of `steps` steps.
    /// - Throws: ``ScheduleError/invalidStepCount(_:)`` if `steps < 1`.
    public init(_ schedule: Schedule, steps: Int) throws(ScheduleError) {
        guard steps >= 1 else { throw .invalidStepCount(steps) }
        self.steps = steps
        self.schedule = schedule
    }

    /// The schedule's slots at its level, none elsewhere.
    public func capacity(of level: StorageLevel) -> Int { level == schedule.level ? schedule.slots : 0 }

    /// The final checkpoint layout, after the decisions of steps 0 ..< n.
    /// - Complexity: O(n) schedule steps.
    public var finalLayout: OnlineCheckpointLayout {
        var copy = schedule
        for i in 0..<steps { _ = copy.actionsBeforeAdvancing(from: i) }
        return copy.layout
    }

    /// A fresh generator of the stream.
    public func makeIterator() -> Iterator { Iterator(schedule: schedule, steps: steps) }

    /// Generates the stream on demand.
    public struct Iterator: IteratorProtocol {
        var schedule: Schedule
        let steps: Int
        var step = 0
        var runStart = 0
        var reversal: OnlineReversal.Iterator?
        var pending: [CheckpointAction] = []
        var pendingIndex = 0

        init(schedule: Schedule, steps: Int) {
            self.schedule = schedule
            self.steps = steps
        }

        public mutating func next() -> CheckpointAction? {
            while pendingIndex == pending.count {
                if reversal != nil { return reversal!.next() }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                let actions = schedule.actionsBeforeAdvancing(from: step)
                if !actions.isEmpty {
                    if runStart < step { pending.append(.advance(from: runStart, to: step)) }
                    pending.append(contentsOf: actions)
                    runStart = step
                }
                step += 1
                if step == steps {
                    if runStart < steps - 1 { pending.append(.advance(from: runStart, to: steps - 1)) }
                    reversal = schedule.reversal(steps: steps).makeIterator()
                }
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
    }
}
