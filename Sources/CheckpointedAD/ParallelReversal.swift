import CheckpointSchedules
import CheckpointStorage

/// The reversal on two threads behind ``Checkpointing/revolve(memory:threads:stepTimes:)``: the
/// caller's thread reverses while a second thread recomputes (the scheme of
/// `CheckpointSchedules.ParallelReversalLayout`).
///
/// **Recording sweep** (``forward()``, caller's thread): advance from x[0], storing each
/// segment's first state in its top slot, then play the last segment's inner Revolve up to
/// its first reverse and run step n−1 taped, so x[n] is known (revolve's convention).
///
/// **Reverse sweep** (``pullback(_:)``): the caller's thread R applies the taped pullback,
/// then takes x[n−2], …, x[0] from a ``HandOffQueue`` and runs each taped step and its
/// pullback, adding p̄ᵢ and the loss gradients in exactly the one-thread order. A second
/// thread P plays the segments' inner Revolves: at each `reverse(step: i)` it hands x[i]
/// over; while the queue is full it plays the next segment's inner schedule up to its first
/// reverse, so that R finds that segment's checkpoints ready.
///
/// Every step runs on the state it would run on in one thread, so the gradient is bitwise
/// the one-thread gradient (and the store-all gradient, for a deterministic step).
///
/// - Complexity: the layout's predicted advances on P, n reverses on R; live checkpoints at
///   most the layout's `peakSlots`, plus at most `handOffDepth` queued states.
@usableFromInline
final class ParallelReversal<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic>:
    TwoThreadReversalEngine, @unchecked Sendable
{
    @usableFromInline typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
    @usableFromInline typealias Loss = CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>
    /// What the recomputing thread hands over for one step.
    @usableFromInline typealias HandedOff = HandedOffState<State, StateCotangent, ParameterCotangent>

    /// One segment's inner Revolve being played on the recomputing side, in global steps.
    @usableFromInline
    struct SegmentStream {
        @usableFromInline let segment: Int
        @usableFromInline let offset: Int
        @usableFromInline var actions: Revolve.Iterator
        @usableFromInline var current: State?
        @usableFromInline var currentStep: Int
        /// While an advance is under way, the step it goes to (it runs one step per call).
        @usableFromInline var advanceTarget = -1
        /// The reverse the stream waits at: x[step] is `current`, to be handed over.
        @usableFromInline var pendingReverse: Int?
        @usableFromInline var finished = false

        @inlinable
        init(segment: Int, offset: Int, actions: Revolve.Iterator, current: State, currentStep: Int) {
            self.segment = segment
            self.offset = offset
            self.actions = actions
            self.current = current
            self.currentStep = currentStep
        }
    }

    /// What one call of ``playNext(_:)`` did.
    @usableFromInline enum Outcome { case progressed, reverse(Int), finished }

    @usableFromInline let layout: ParallelReversalLayout
    @usableFromInline let initialState: State
    @usableFromInline let parameters: Parameters
    @usableFromInline let step: Step
    @usableFromInline let losses: [Loss]
    @usableFromInline let stateBytes: Int
    @usableFromInline var statistics: CheckpointingStatistics
    @usableFromInline var lossValue = 0.0

    // The recomputing side: the caller's thread on the recording sweep, then thread P.
    @usableFromInline var checkpoints: RecomputingSlots<State>
    @usableFromInline var recomputationAdvances = 0
    @usableFromInline var recomputingCPUSeconds = 0.0
    @usableFromInline var recording = false
    @usableFromInline var highestObserved = -1
    /// After the recording sweep: the last segment, its first reverse done.
    @usableFromInline var lastSegment: SegmentStream?
    @usableFromInline var finalState: State?
    @usableFromInline var taped: (state: State, pullback: Step.Pullback)?
    @usableFromInline var consumed = false

    @usableFromInline
    init(
        layout: ParallelReversalLayout, initialState: State, parameters: Parameters, stateBytes: Int, measuredBytes: Int,
        memorySlots: Int, options: CheckpointingOptions, step: Step, losses: [Loss]
    ) {
        self.layout = layout
        self.initialState = initialState
        self.parameters = parameters
        self.step = step
        self.losses = losses
        self.stateBytes = stateBytes
        self.checkpoints = RecomputingSlots(count: layout.slotIndexCount)
        self.statistics = .twoThreads(
            steps: layout.steps, stateBytes: measuredBytes, memorySlots: memorySlots, reservedBytes: options.reservedBytes,
            schedule: "\(layout)", threads: ParallelReversalStatistics(
                layout: "\(layout)", segments: layout.segmentCount, innerSlots: layout.innerSlots, handOffDepth: layout.handOffDepth))
    }

    // MARK: What the shared reversal (``TwoThreadReversalEngine``) reads

    /// n, for the shared reversal (``TwoThreadReversalEngine``).
    @usableFromInline var reversedSteps: Int { layout.steps }
    /// The hand-off queue's depth, for the shared reversal.
    @usableFromInline var handOffDepth: Int { layout.handOffDepth }
    /// The segment layout records no trace (it refuses traced runs).
    @usableFromInline var threadTrace: ThreadTrace? { nil }
}
