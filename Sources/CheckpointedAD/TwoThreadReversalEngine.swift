import CheckpointSchedules

/// What the two engines of a two-thread reversal (``PipelinedParallelReversal`` and the
/// segment-layout fallback ``ParallelReversal``) share: the reverse sweep on the caller's
/// thread, which takes each x[i] from the recomputing thread and applies the pullbacks and
/// the loss gradients in the one-thread order, and the folding of both threads' counts into
/// the run's statistics once the recomputing thread has been joined. The engines differ in
/// what the recomputing thread plays (``recompute(handingTo:)``) and how it records.
@usableFromInline
protocol TwoThreadReversalEngine<State>: AnyObject {
    associatedtype State
    associatedtype Parameters
    associatedtype StateCotangent: AdditiveArithmetic
    associatedtype ParameterCotangent: AdditiveArithmetic

    /// n, the number of steps reversed.
    var reversedSteps: Int { get }
    var parameters: Parameters { get }
    var losses: [CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>] { get }
    var stateBytes: Int { get }
    var statistics: CheckpointingStatistics { get set }
    /// The recomputing side's checkpoints, with its store and restore counts since the last fold.
    var checkpoints: RecomputingSlots<State> { get set }
    var recomputationAdvances: Int { get set }
    var recomputingCPUSeconds: Double { get set }

    var step: CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent> { get }
    /// The states a hand-off queue holds.
    var handOffDepth: Int { get }
    /// x[n], once the recording sweep has run.
    var finalState: State? { get }
    /// x[n−1] and its pullback, taped by the recording sweep for the first reverse.
    var taped: (state: State, pullback: (StateCotangent) -> (StateCotangent, ParameterCotangent))? { get set }
    /// Whether a pullback has run since the last recording sweep.
    var consumed: Bool { get set }
    /// Who ran what and when, if the run records a trace.
    var threadTrace: ThreadTrace? { get }

    /// The recording sweep on the caller's thread: x[0] to x[n], the checkpoints the
    /// recomputing thread starts from, and the taped step n−1.
    func record() throws(CheckpointingError)
    /// The recomputing thread's part: every state the reverse sweep needs, in the order
    /// n−2, …, 0, handed over through `queue` (with its pullback, if the thread tapes it).
    func recompute(handingTo queue: HandOffQueue<HandedOffState<State, StateCotangent, ParameterCotangent>>)
}

extension TwoThreadReversalEngine {
    /// The recording sweep and the taped step n−1; returns x[n].
    @inlinable
    func forward() throws(CheckpointingError) -> State {
        if let finalState { return finalState }
        try record()
        return finalState!
    }

    /// The reverse sweep on two threads from the seed x̄[n]; a second call replays the
    /// recording sweep first.
    @inlinable
    func pullback(_ seed: StateCotangent) throws(CheckpointingError) -> (initialState: StateCotangent, parameters: ParameterCotangent) {
        _ = try forward()
        if consumed { try record() }
        consumed = true
        let n = reversedSteps
        guard let (tapedState, tapedPullback) = taped, let finalState else {
            preconditionFailure("\(Self.self).pullback: the recording sweep left no taped step")
        }
        taped = nil
        let queue = HandOffQueue<HandedOffState<State, StateCotangent, ParameterCotangent>>(depth: handOffDepth)
        let recomputing = n >= 2 ? ReversalThread { [self] in recompute(handingTo: queue) } : nil
        let wallStart = CheckpointSweep<Int, Int, Double, Double>.now()
        let cpuStart = ReversalThread.cpuSeconds()
        var adjoint = seed
        var parameterAdjoint = ParameterCotangent.zero
        injectLosses(at: n, state: finalState, &adjoint, &parameterAdjoint)
        reverse(tapedPullback, state: tapedState, step: n - 1, &adjoint, &parameterAdjoint)
        threadTrace?.reversed(n - 1, from: wallStart)
        var failure: CheckpointingError?
        var i = n - 2
        while i >= 0 {
            let item: (step: Int, element: HandedOffState<State, StateCotangent, ParameterCotangent>)
            do { item = try queue.take() } catch { failure = error; break }
            precondition(item.step == i, "the recomputing thread handed over x\(item.step) where x\(i) was due")
            let start = threadTrace == nil ? 0 : CheckpointSweep<Int, Int, Double, Double>.now()
            let state = item.element.state
            let pullback = item.element.pullback
                ?? step.pullback.map { $0(state, parameters, i) } ?? step.valueWithPullback(state, parameters, i).pullback
            reverse(pullback, state: state, step: i, &adjoint, &parameterAdjoint)
            threadTrace?.reversed(i, from: start)
            i -= 1
        }
        let reversingCPU = ReversalThread.cpuSeconds() - cpuStart
        recomputing?.join()
        let wall = CheckpointSweep<Int, Int, Double, Double>.now() - wallStart
        finishStatistics(queue: queue, reversingCPU: reversingCPU, wall: wall)
        if let failure { throw failure }
        return (adjoint, parameterAdjoint)
    }

    /// One reverse on the caller's thread: x̄[i] = B_i(x̄[i+1]), p̄ += p̄ᵢ, then the loss terms at x[i].
    @inlinable
    func reverse(
        _ pullback: (StateCotangent) -> (StateCotangent, ParameterCotangent), state x: State, step i: Int,
        _ adjoint: inout StateCotangent, _ parameterAdjoint: inout ParameterCotangent
    ) {
        let (stateBar, parameterBar) = pullback(adjoint)
        adjoint = stateBar
        parameterAdjoint += parameterBar
        injectLosses(at: i, state: x, &adjoint, &parameterAdjoint)
    }

    /// Adds the gradients of the loss terms at x[i] to the adjoints (the one-thread order).
    @inlinable
    func injectLosses(at i: Int, state x: State, _ adjoint: inout StateCotangent, _ parameterAdjoint: inout ParameterCotangent) {
        for loss in losses where loss.steps.contains(i, steps: reversedSteps) {
            let (_, stateBar, parameterBar) = loss.valueWithGradient(x, parameters, i)
            adjoint += stateBar
            parameterAdjoint += parameterBar
        }
    }

    /// Folds both threads' counts into ``statistics`` once the recomputing thread has been
    /// joined, and zeroes the recomputing side's counts for a repeated pullback.
    @usableFromInline
    func finishStatistics(queue: HandOffQueue<HandedOffState<State, StateCotangent, ParameterCotangent>>, reversingCPU: Double, wall: Double) {
        statistics.reverses += reversedSteps
        statistics.recomputationAdvances += recomputationAdvances
        statistics.stores[.memory, default: 0] += checkpoints.stores
        statistics.restores[.memory, default: 0] += checkpoints.restores
        statistics.peakCheckpointBytes = Swift.max(statistics.peakCheckpointBytes, checkpoints.peakLive * stateBytes)
        statistics.reverseSeconds += wall
        if var threads = statistics.parallel {
            threads.peakCheckpoints = Swift.max(threads.peakCheckpoints, checkpoints.peakLive)
            threads.peakHandedOff = Swift.max(threads.peakHandedOff, queue.peakCount)
            threads.recomputingThreadAdvances += recomputationAdvances
            threads.recomputingThreadCPUSeconds += recomputingCPUSeconds
            threads.reversingThreadCPUSeconds += reversingCPU
            threads.reversingThreadWaitSeconds += queue.takerWaitSeconds
            threads.recomputingThreadWaitSeconds += queue.giverWaitSeconds
            threads.reverseSweepSeconds += wall
            statistics.parallel = threads
        }
        checkpoints.stores = 0
        checkpoints.restores = 0
        recomputationAdvances = 0
        recomputingCPUSeconds = 0
    }
}
