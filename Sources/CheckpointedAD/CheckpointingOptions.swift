/// How a checkpointed run behaves beyond its schedule: checks, timing, trace, progress.
/// The defaults are the fast path: no checks, timing on, no trace.
///
/// ```swift
/// var options = CheckpointingOptions()
/// options.checksDeterminism = true        // fail if a recomputed state differs
/// options.recordsTrace = true             // keep every action with its time
/// options.progress = { print("\($0.stepsReversed)/\($0.steps)") }
/// ```
public struct CheckpointingOptions {
    /// Hash every state on the recording sweep and compare each recomputed state with it;
    /// a mismatch throws ``CheckpointingError/nonDeterministicStep(step:)``. Needs a
    /// ``CheckpointVerifiable`` state; costs one pass over each state and 8 bytes per step.
    public var checksDeterminism = false
    /// Check every new state for NaN and infinities on the recording sweep; one throws
    /// ``CheckpointingError/nonFiniteState(step:)``. Needs a ``CheckpointVerifiable`` state.
    public var checksFiniteness = false
    /// Keep every action with its start time, duration and bytes as a
    /// `CheckpointSchedules.ScheduleTrace` (memory: 160 bytes per action). Given stores
    /// that encode or do I/O (disk, compressed memory) also keep a record of each call,
    /// which the driver copies into the trace when the reverse sweep ends (after waiting
    /// for writes behind still in flight): encoded bytes, waits, background I/O time and
    /// where each restore came from. Read-ahead requests are timed apart and given to the
    /// restore they prepare.
    public var recordsTrace = false
    /// Measure the time split between recording, recomputation and reverses (a clock read
    /// at each change of phase; every action when tracing).
    public var measuresTime = true
    /// State-sized buffers that one taped step and its pullback hold at once, beyond the
    /// driver's own four (the current state, the state a step produces, the adjoint and
    /// x[n]). Used only to turn a byte budget into slots; count the step's tape (states its
    /// pullback captures) plus the temporaries and result its pullback allocates. A fused
    /// hand-written RK4 pullback of Lorenz-96 needs 6; Swift AD over ``Vector`` operations
    /// of the same step about 20.
    public var workspaceStates = 4
    /// Bytes of the budget that the caller needs for itself while the run goes on (a
    /// Runge–Kutta stepper's stage buffers, an optimiser's arrays): they come off a byte
    /// budget before any slot is counted, and a budget too small names them in its error.
    public var reservedBytes = 0
    /// With a reversal on two threads (`.revolve(memory:threads: 2)`), let the recomputing
    /// thread tape each x[i] (run the step's `pullback` when it has one, else its
    /// `valueWithPullback`) before handing it over, so that the caller's thread only runs
    /// pullbacks and loss gradients. This balances the threads when taping is a good part of
    /// a reverse (a pullback that recomputes stages); the gradient is bitwise the same.
    ///
    /// Set it only when taping one step while another step's pullback runs on the other
    /// thread is safe: the step's closures share no mutable state (a stepper with one
    /// workspace for its forward and its pullback does not qualify). Each queued state then
    /// holds its tape too, so the hand-off queue is shortened until its states and tapes
    /// (1 + ``workspaceStates`` states each) fit in the states the budget left for the queue,
    /// keeping room for two at least. Ignored on one thread and when the budget is too small
    /// for a pipelined tree (the segment-layout fallback tapes on the caller's thread).
    public var tapesOnRecomputingThread = false
    /// With `.revolve(memory:threads: 2)`, the advance time (seconds, the given or measured
    /// ``StepTimes/advance``) below which the driver runs on one thread instead, and says so in
    /// the statistics' `schedule`. Two threads hand every state from one to the other, about
    /// 1–2 µs a step on the machines measured (Papers/CheapGradient.md): Lorenz-96 with 40
    /// variables (0.2–0.9 µs a step) ran 1.5–2× slower on two threads than on one, with 512
    /// variables (about 1.2 µs) 10–20% faster. Unless `.revolve(memory:threads:stepTimes:)`
    /// was given the step's times, the driver measures them first (a few calls of the step,
    /// a few milliseconds at most), and bounds the time spent choosing the two-thread tree by
    /// 5% of the gradient they predict. Set 0 to keep two threads whatever the step: the step
    /// is then not measured, and the tree is chosen by the full search.
    public var minimumAdvanceSecondsForSecondThread = 1e-6
    /// Called after the recording sweep, then about every 1% of the reverse sweep, and at
    /// the end.
    public var progress: ((CheckpointingProgress) -> Void)?

    /// The default options.
    public init() {}

    /// The bytes a run needs besides its checkpoints: the driver's four states (the current
    /// state, the state a step produces, the adjoint, and x[n], which it keeps for the
    /// pullback), ``workspaceStates`` for one taped step and its pullback, the determinism
    /// fingerprints (8 bytes a state), and ``reservedBytes``.
    public func workingBytes(steps n: Int, stateBytes: Int) -> Int {
        (4 + Swift.max(0, workspaceStates)) * stateBytes + (checksDeterminism ? 8 * (n + 1) : 0) + reservedBytes
    }

    /// The hand-off queue's depth on two threads for a queue given `queueStates` states: the
    /// same when the caller's thread tapes; with ``tapesOnRecomputingThread``, the queued
    /// items of 1 + ``workspaceStates`` states each (a state and its tape) that fit, two at least.
    @usableFromInline
    func handOffDepth(queueStates: Int) -> Int {
        guard tapesOnRecomputingThread else { return queueStates }
        return Swift.max(2, queueStates / (1 + Swift.max(0, workspaceStates)))
    }

    /// The states a hand-off queue of `depth` items holds at most, with the tape the
    /// recomputing thread holds while it waits for room (``tapesOnRecomputingThread``).
    func handOffStates(depth: Int) -> Int {
        guard tapesOnRecomputingThread else { return depth }
        let tape = Swift.max(0, workspaceStates)
        return depth * (1 + tape) + tape
    }
}

/// How far a checkpointed run has come, as reported to ``CheckpointingOptions/progress``.
public struct CheckpointingProgress: Hashable, Sendable {
    /// n: the number of steps.
    public var steps: Int
    /// Steps whose pullback has run so far (0 during the recording sweep).
    public var stepsReversed: Int
    /// Advances so far, recording sweep included.
    public var advances: Int
    /// Seconds since the run began.
    public var elapsedSeconds: Double

    /// The fraction of the reverse sweep done, 0…1.
    public var fractionReversed: Double { steps == 0 ? 1 : Double(stepsReversed) / Double(steps) }
}
