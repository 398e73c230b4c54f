import CheckpointSchedules

/// What the two engines of a two-thread reversal (``PipelinedParallelReversal`` and the
/// segment-layout fallback ``ParallelReversal``) share: the caller's thread applies each
/// pullback and the loss gradients in the one-thread order, and both threads' counts are
/// folded into the run's statistics once the recomputing thread has been joined.
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
    var peakLiveSlots: Int { get }
    /// The recomputing side's counts since the last fold.
    var storeCount: Int { get set }
    var restoreCount: Int { get set }
    var recomputationAdvances: Int { get set }
    var recomputingCPUSeconds: Double { get set }
}

extension TwoThreadReversalEngine {
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
    func finishStatistics(queue: HandOffQueue<State>, reversingCPU: Double, wall: Double) {
        statistics.reverses += reversedSteps
        statistics.recomputationAdvances += recomputationAdvances
        statistics.stores[.memory, default: 0] += storeCount
        statistics.restores[.memory, default: 0] += restoreCount
        statistics.peakCheckpointBytes = Swift.max(statistics.peakCheckpointBytes, peakLiveSlots * stateBytes)
        statistics.reverseSeconds += wall
        if var threads = statistics.parallel {
            threads.peakCheckpoints = Swift.max(threads.peakCheckpoints, peakLiveSlots)
            threads.peakHandedOff = Swift.max(threads.peakHandedOff, queue.peakCount)
            threads.recomputingThreadAdvances += recomputationAdvances
            threads.recomputingThreadCPUSeconds += recomputingCPUSeconds
            threads.reversingThreadCPUSeconds += reversingCPU
            threads.reversingThreadWaitSeconds += queue.takerWaitSeconds
            threads.recomputingThreadWaitSeconds += queue.giverWaitSeconds
            threads.reverseSweepSeconds += wall
            statistics.parallel = threads
        }
        storeCount = 0
        restoreCount = 0
        recomputationAdvances = 0
        recomputingCPUSeconds = 0
    }
}
