import CheckpointSchedules
import CheckpointStorage

/// The engine of a ``CheckpointSchedules/PipelinedReversal`` on two threads: the caller's
/// thread R plays the recording sweep and then every taped step and pullback; a second
/// thread P plays the rest of the stream, handing x[i] to R at each `reverse(step: i)`
/// through a ``HandOffQueue``. With ``CheckpointingOptions/tapesOnRecomputingThread``, P
/// tapes x[i] before handing it over and R runs only the pullbacks.
///
/// Every step runs on the state it would run on in one thread (the stream is a one-thread
/// schedule too), and R applies the pullbacks and loss gradients in the one-thread order,
/// so the gradient is bitwise the one-thread gradient (and the store-all gradient, for a
/// deterministic step).
///
/// - Complexity: the schedule's advances on P, n reverses on R; live checkpoints at most
///   the schedule's `peakSlots`, plus at most `handOffDepth` queued states. The stream is
///   generated as it is played (O(tree depth + `peakSlots`) memory); only a recorded trace
///   holds it whole.
@usableFromInline
final class PipelinedParallelReversal<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic>:
    TwoThreadReversalEngine, @unchecked Sendable
{
    @usableFromInline typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
    @usableFromInline typealias Loss = CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>
    /// What the recomputing thread hands over for one step.
    @usableFromInline typealias HandedOff = HandedOffState<State, StateCotangent, ParameterCotangent>

    @usableFromInline let schedule: PipelinedReversal
    /// The stream after the recording sweep's `reverse(step: n − 1)`, where thread P
    /// resumes it (the stream is generated as it is played, never stored).
    @usableFromInline var recomputingStream: PipelinedReversalIterator?
    /// Index of the first action after the recording sweep's `reverse(step: n − 1)`.
    @usableFromInline var firstRecomputingAction = 0
    @usableFromInline let initialState: State
    @usableFromInline let parameters: Parameters
    @usableFromInline let step: Step
    @usableFromInline let losses: [Loss]
    @usableFromInline let stateBytes: Int
    @usableFromInline var statistics: CheckpointingStatistics
    @usableFromInline var lossValue = 0.0
    @usableFromInline let options: CheckpointingOptions
    /// Who ran what and when, if the run records a trace.
    @usableFromInline let threadTrace: ThreadTrace?
    /// With ``CheckpointingOptions/checksDeterminism``: x[i]'s fingerprint from the recording sweep.
    @usableFromInline var fingerprints: [UInt64]

    // The recomputing side: the caller's thread on the recording sweep, then thread P.
    @usableFromInline var checkpoints: RecomputingSlots<State>
    @usableFromInline var recomputationAdvances = 0
    @usableFromInline var recomputingCPUSeconds = 0.0
    @usableFromInline var highestObserved = -1
    @usableFromInline var finalState: State?
    @usableFromInline var taped: (state: State, pullback: Step.Pullback)?
    @usableFromInline var consumed = false

    @usableFromInline
    init(
        schedule: PipelinedReversal, initialState: State, parameters: Parameters, stateBytes: Int, measuredBytes: Int,
        memorySlots: Int, options: CheckpointingOptions, step: Step, losses: [Loss]
    ) {
        self.schedule = schedule
        self.initialState = initialState
        self.parameters = parameters
        self.step = step
        self.losses = losses
        self.stateBytes = stateBytes
        self.options = options
        self.fingerprints = options.checksDeterminism ? Array(repeating: 0, count: schedule.steps + 1) : []
        self.checkpoints = RecomputingSlots(count: schedule.peakSlots)
        var threads = ParallelReversalStatistics(
            layout: "\(schedule)", segments: schedule.branching.first ?? 1, innerSlots: 0,
            handOffDepth: options.handOffDepth(queueStates: schedule.handOffDepth))
        threads.branching = schedule.branching
        self.statistics = .twoThreads(
            steps: schedule.steps, stateBytes: measuredBytes, memorySlots: memorySlots, reservedBytes: options.reservedBytes,
            schedule: "\(schedule)", threads: threads)
        self.threadTrace = options.recordsTrace ? ThreadTrace() : nil
    }

    /// Every action in stream order with its thread and timing, once a pullback has run.
    @usableFromInline
    var trace: ScheduleTrace? {
        guard let threadTrace, consumed else { return nil }
        return threadTrace.trace(
            of: schedule.actions(), steps: schedule.steps, stateBytes: statistics.stateBytes, capacities: [.memory: schedule.peakSlots])
    }

    /// n, for the shared reversal (``TwoThreadReversalEngine``).
    @usableFromInline var reversedSteps: Int { schedule.steps }
    /// The hand-off queue's depth, for the shared reversal: the tree's, or fewer when each
    /// queued state holds its tape (``CheckpointingOptions/handOffDepth(queueStates:)``).
    @usableFromInline var handOffDepth: Int { options.handOffDepth(queueStates: schedule.handOffDepth) }
}
