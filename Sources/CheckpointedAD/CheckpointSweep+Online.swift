import CheckpointSchedules

/// An online schedule seen as an action stream: before each advance the schedule's stores
/// and discards, then the advance `i → i+1`; once the sweep has found the end
/// (``end(steps:)``), the schedule's reversal. The sweep plays it with the same `switch`
/// as any offline stream, so online runs get losses, checks, traces and progress alike.
@usableFromInline
final class OnlineActionStream: IteratorProtocol {
    /// The online schedule, told step by step that the run goes on.
    @usableFromInline var schedule: any OnlineCheckpointSchedule
    @usableFromInline var pending: [CheckpointAction] = []
    @usableFromInline var pendingHead = 0
    @usableFromInline var nextStep = 0
    @usableFromInline var reversal: OnlineReversal.Iterator?

    @usableFromInline
    init(_ schedule: any OnlineCheckpointSchedule) { self.schedule = schedule }

    /// The next action: the schedule's stores and discards before advancing from x[i], the
    /// advance, and after ``end(steps:)`` the reversal (`endForward`, `reverse(n−1)`, …).
    @usableFromInline
    func next() -> CheckpointAction? {
        if reversal != nil { return reversal!.next() }
        if pendingHead == pending.count {
            pending = schedule.actionsBeforeAdvancing(from: nextStep)
            pending.append(.advance(from: nextStep, to: nextStep + 1))
            pendingHead = 0
            nextStep += 1
        }
        defer { pendingHead += 1 }
        return pending[pendingHead]
    }

    /// The run has ended after `steps` steps, with x[n−1] current: the reversal follows.
    @usableFromInline
    func end(steps n: Int) {
        pending.removeAll()
        pendingHead = 0
        reversal = schedule.reversal(steps: n).makeIterator()
    }
}

extension CheckpointSweep {
    /// The online recording sweep's advance x[from] → x[from+1], and its stop test: at the
    /// stop condition (or the step limit) the run ends with x[n−1] current and the stream
    /// turns to the reversal.
    @inlinable
    mutating func advanceOnline(from: Int, state x: State) throws(CheckpointingError) {
        let next = step.forward(x, parameters, from)
        statistics.recordingAdvances += 1
        let reached = from + 1
        if reached == steps || shouldStop?(next, reached) == true {
            endOnlineRun(steps: reached)
            try observe(next, at: reached)
            current = x
            currentStep = from
        } else {
            try observe(next, at: reached)
            current = next
            currentStep = reached
        }
    }

    /// Records that the online run has n = `steps` steps.
    @usableFromInline
    mutating func endOnlineRun(steps n: Int) {
        steps = n
        nextReverse = n - 1
        progressEvery = Swift.max(1, n / 100)
        statistics.steps = n
        trace?.steps = n
        if n > 0 { online?.end(steps: n) }
    }

    /// After an online run's first pass, n is known: later passes replay it offline with
    /// Revolve on the same slots and level (t(n, s) advances instead of the online cost).
    @usableFromInline
    mutating func replaceOnlineScheduleWithRevolve() throws(CheckpointingError) {
        guard let stream = online else { return }
        online = nil
        guard steps > 0 else { return }
        do throws(ScheduleError) {
            schedule = try Revolve(steps: steps, slots: stream.schedule.slots, level: stream.schedule.level)
        } catch {
            throw .schedule(error)
        }
    }
}
