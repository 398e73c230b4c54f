/// Plays a two-thread action stream (a ``PipelinedReversal``'s) as two threads and checks
/// it: the reversing thread R plays the recording sweep up to and including the first
/// `reverse`; the recomputing thread P plays the rest, where `reverse(step: i)` hands its
/// current x[i] to R through a queue of `handOffDepth` states.
///
/// The checks: every restore reads a live slot holding the named step (no slot is read
/// before it is written, or after it is released); every store goes to a free slot below
/// the capacity; P hands over x[i] only when its current state is x[i], in the order
/// n − 2, …, 0; at the end every slot is free. Memory per thread: P holds its live slots,
/// its current state and the queue; R holds the state it reverses. The simulator returns
/// the peaks of both, and, with an advance costing 1 and a taped step with its pullback ρ,
/// the predicted times: R waits when the queue is empty, P when it is full.
///
/// - Complexity: O(1) per action; O(min(q, n)) memory for the hand-over times (R takes the
///   states in order, so only the last q + 1 take times are ever read), besides the slots.
public struct ParallelStreamSimulator {
    /// What the two threads did.
    public struct Report: Hashable, Sendable {
        /// Advances on the recording sweep (R) and after it (P).
        public var recordingAdvances = 0
        public var recomputingAdvances = 0
        /// The most slots live at once.
        public var peakSlots = 0
        /// The most states P holds at once: live slots, its current state and the queued states.
        public var peakRecomputingStates = 0
        /// The most states queued at once.
        public var peakQueued = 0
        /// Predicted wall time of the recording sweep and of the reverse sweep, in advances.
        public var recordingTime = 0.0
        public var reverseSweepTime = 0.0
        /// Predicted time R waited for a state, and P waited for room in the queue.
        public var reversingWait = 0.0
        public var recomputingWait = 0.0
        /// Recording plus reverse sweep.
        public var totalTime: Double { recordingTime + reverseSweepTime }
        /// Per action, when asked for: the thread that plays it and its predicted timing.
        public var timings: [ActionTiming] = []
    }

    /// Where one action falls in the predicted play of a two-thread stream.
    public struct ActionTiming: Hashable, Sendable {
        /// 0: the reversing (caller's) thread, which plays the recording sweep and every
        /// reverse; 1: the recomputing thread.
        public var thread: Int
        /// Start and duration in advances (a `reverse` is drawn at R's taped step and pullback).
        public var start: Double
        public var duration: Double
    }

    /// Plays `actions` for `steps` steps with `slots` memory slots and a queue of
    /// `handOffDepth` states; `reverseCost` is ρ. With `recomputingStates`, the states P
    /// holds at once (live slots, its current state and the states handed over and not yet
    /// taken in the predicted play) may not exceed it.
    ///
    /// - Throws: ``ScheduleViolation`` at the first action that breaks a rule.
    public static func run(
        _ actions: some Sequence<CheckpointAction>, steps n: Int, slots capacity: Int, handOffDepth q: Int,
        reverseCost rho: Double = 2.5, recordsTimings: Bool = false, recomputingStates bound: Int? = nil
    ) throws(ScheduleViolation) -> Report {
        precondition(n >= 1 && q >= 1, "ParallelStreamSimulator.run needs n ≥ 1 and a queue of one state at least")
        var report = Report()
        var contents = Array(repeating: -1, count: capacity)
        var live = 0
        var current: Int? = 0
        var onP = false
        var nextHandOver = n - 2
        var handed = 0
        // P's clock, and the times R takes each handed state (index = hand-over number).
        var clockP = 0.0
        var clockR = 0.0
        // takes[k % ring]: when R takes the k-th handed state; only k ≥ handed − q is read.
        let ring = Swift.min(q, n) + 1
        var takes = Array(repeating: 0.0, count: ring)
        var taken = 0, queued = 0
        var index = -1
        for action in actions {
            index += 1
            func fail(_ reason: String) -> ScheduleViolation {
                ScheduleViolation(actionIndex: index, action: action, reason: "\(onP ? "recomputing" : "reversing") thread: \(reason)")
            }
            let before = (thread: onP ? 1 : 0, clock: onP ? clockP : Double(report.recordingAdvances))
            switch action {
            case let .advance(from, to):
                guard current == from, to > from, to <= n else { throw fail("advances from x\(from) holding \(current.map { "x\($0)" } ?? "no state")") }
                current = to
                if onP {
                    report.recomputingAdvances += to - from
                    clockP += Double(to - from)
                } else {
                    report.recordingAdvances += to - from
                }
            case let .store(step, level, slot):
                guard level == .memory, slot >= 0, slot < capacity else { throw fail("stores into \(level)[\(slot)], outside the \(capacity) memory slots") }
                guard contents[slot] < 0 else { throw fail("stores into memory[\(slot)], which still holds x\(contents[slot])") }
                guard current == step else { throw fail("stores x\(step) holding \(current.map { "x\($0)" } ?? "no state")") }
                contents[slot] = step
                live += 1
                report.peakSlots = Swift.max(report.peakSlots, live)
            case let .restore(step, level, slot, release):
                guard level == .memory, slot >= 0, slot < capacity, contents[slot] == step else {
                    throw fail("reads x\(step) from \(level)[\(slot)] before it is written (it holds \(slot >= 0 && slot < capacity && contents[slot] >= 0 ? "x\(contents[slot])" : "nothing"))")
                }
                current = step
                if release {
                    contents[slot] = -1
                    live -= 1
                }
            case let .discard(step, _, slot):
                guard slot >= 0, slot < capacity, contents[slot] == step else { throw fail("discards x\(step) from slot \(slot), which does not hold it") }
                contents[slot] = -1
                live -= 1
            case let .reverse(step):
                guard current == step else { throw fail("reverses step \(step) holding \(current.map { "x\($0)" } ?? "no state")") }
                if !onP {
                    guard step == n - 1 else { throw fail("the recording sweep's reverse is step \(step), not \(n - 1)") }
                    report.recordingTime = Double(report.recordingAdvances)
                    clockR = report.recordingTime + rho
                    clockP = report.recordingTime
                    onP = true
                } else {
                    guard step == nextHandOver else { throw fail("hands over x\(step) where x\(nextHandOver) is due") }
                    if handed >= q {
                        let room = takes[(handed - q) % ring]
                        if room > clockP { report.recomputingWait += room - clockP }
                        clockP = Swift.max(clockP, room)
                    }
                    // R takes this state once it has reversed the previous one and the state is here.
                    if clockP > clockR { report.reversingWait += clockP - clockR }
                    let take = Swift.max(clockR, clockP)
                    takes[handed % ring] = take
                    clockR = take + rho
                    handed += 1
                    nextHandOver -= 1
                    while taken < handed, takes[taken % ring] <= clockP { taken += 1 }
                    queued = handed - taken
                    report.peakQueued = Swift.max(report.peakQueued, queued)
                }
                current = nil
                if recordsTimings { report.timings.append(ActionTiming(thread: 0, start: clockR - rho, duration: rho)) }
            case .endForward, .endReverse:
                break
            }
            if recordsTimings, !isReverse(action) {
                let now = before.thread == 1 ? clockP : Double(report.recordingAdvances)
                let clock = action == .endReverse ? Swift.max(clockR, clockP) : before.clock
                report.timings.append(ActionTiming(thread: before.thread, start: clock, duration: now - before.clock))
            }
            if onP {
                report.peakRecomputingStates = Swift.max(report.peakRecomputingStates, live + 1 + queued)
                if let bound, live + 1 + queued > bound {
                    throw fail("holds \(live) checkpoints, its current state and \(queued) handed-over states, more than its \(bound) states")
                }
            }
        }
        guard nextHandOver == -1 else {
            throw ScheduleViolation(actionIndex: index, action: nil, reason: "the stream ended with x\(nextHandOver) not handed over")
        }
        guard live == 0 else {
            throw ScheduleViolation(actionIndex: index, action: nil, reason: "the stream ended with \(live) slots live")
        }
        report.reverseSweepTime = clockR - report.recordingTime
        return report
    }

    private static func isReverse(_ action: CheckpointAction) -> Bool {
        if case .reverse = action { true } else { false }
    }
}
