import CheckpointSchedules
import CheckpointStorage

/// The recomputing side of a ``PipelinedParallelReversal``: the recording sweep on the
/// caller's thread, then thread P's play of the rest of the stream. P touches only the
/// recomputing side's fields (slots, counts, its action timings) and reads the recording
/// sweep's fingerprints; the reversing thread reads P's fields after joining it.
extension PipelinedParallelReversal {
    /// The recording sweep: the stream up to `endForward`, then step n−1 taped.
    @inlinable
    func record() throws(CheckpointingError) {
        checkpoints.freeAll()
        let start = CheckpointSweep<Int, Int, Double, Double>.now()
        threadTrace?.begin(actions: schedule.actionCount, steps: schedule.steps, at: start)
        var x: State? = initialState
        var current = 0
        try observe(initialState, at: 0)
        var stream = schedule.makeIterator()
        var index = -1
        var taping = false
        while !taping, let action = stream.next() {
            index += 1
            let actionStart = threadTrace == nil ? 0 : CheckpointSweep<Int, Int, Double, Double>.now()
            switch action {
            case let .advance(from, to):
                for i in from..<to {
                    x = step.forward(x!, parameters, i)
                    statistics.recordingAdvances += 1
                    try observe(x!, at: i + 1)
                }
                current = to
            case let .store(stepIndex, _, slot):
                try checkpoints.put(x!, step: stepIndex, slot: slot)
            case let .reverse(stepIndex):
                guard stepIndex == current else { throw invalid("the recording sweep tapes step \(stepIndex) holding x\(current)") }
                let (value, pullback) = step.valueWithPullback(x!, parameters, stepIndex)
                try observe(value, at: stepIndex + 1)
                if finalState == nil { finalState = value }
                taped = (x!, pullback)
                taping = true
            case .endForward:
                break
            case let action:
                throw invalid("the recording sweep cannot play \(action)")
            }
            threadTrace?.played(index, thread: 0, from: actionStart)
        }
        guard taping else { throw invalid("the stream ended before the recording sweep taped step \(schedule.steps - 1)") }
        recomputingStream = stream
        firstRecomputingAction = index + 1
        statistics.recordingSeconds += CheckpointSweep<Int, Int, Double, Double>.now() - start
    }

    /// Thread P's loop: plays the stream after the recording sweep, handing x[i] to the
    /// reversing thread at each `reverse(step: i)`, with step i's pullback taped at x[i] when
    /// ``CheckpointingOptions/tapesOnRecomputingThread`` is set. A failure goes through the queue.
    @inlinable
    func recompute(handingTo queue: HandOffQueue<HandedOff>) {
        let tapes = options.tapesOnRecomputingThread
        let cpuStart = ReversalThread.cpuSeconds()
        defer { recomputingCPUSeconds += ReversalThread.cpuSeconds() - cpuStart }
        do throws(CheckpointingError) {
            var x: State?
            var current = -1
            guard var stream = recomputingStream else { throw invalid("P started before the recording sweep") }
            var index = firstRecomputingAction - 1
            while let action = stream.next() {
                index += 1
                let actionStart = threadTrace == nil ? 0 : CheckpointSweep<Int, Int, Double, Double>.now()
                switch action {
                case let .advance(from, to):
                    guard current == from, var state = x else { throw invalid("P advances from x\(from) holding x\(current)") }
                    x = nil
                    for i in from..<to {
                        state = step.forward(state, parameters, i)
                        recomputationAdvances += 1
                        try verify(state, at: i + 1)
                    }
                    x = state
                    current = to
                case let .store(stepIndex, _, slot):
                    guard current == stepIndex, let state = x else { throw invalid("P stores x\(stepIndex) holding x\(current)") }
                    try checkpoints.put(state, step: stepIndex, slot: slot)
                case let .restore(stepIndex, _, slot, release):
                    x = nil
                    x = try checkpoints.take(step: stepIndex, slot: slot, release: release)
                    current = stepIndex
                case let .reverse(stepIndex):
                    guard current == stepIndex, let state = x else { throw invalid("P hands over x\(stepIndex) holding x\(current)") }
                    x = nil
                    current = -1
                    let pullback = tapes ? tape(state, step: stepIndex) : nil
                    queue.handOver(HandedOff(state: state, pullback: pullback), step: stepIndex)
                case .endReverse, .endForward:
                    break
                case let action:
                    throw invalid("the recomputing thread cannot play \(action)")
                }
                if case .reverse = action { continue }
                threadTrace?.played(index, thread: 1, from: actionStart)
            }
        } catch {
            queue.fail(error)
        }
    }

    /// Step i's pullback at x[i]: the step's `pullback` when it has one, else its
    /// `valueWithPullback` without the value (what the reversing thread would run).
    @inlinable
    func tape(_ x: State, step i: Int) -> Step.Pullback {
        step.pullback.map { $0(x, parameters, i) } ?? step.valueWithPullback(x, parameters, i).pullback
    }

    /// On the recording sweep: checks finiteness, keeps a fingerprint, and evaluates the loss
    /// terms at x[i], the first time x[i] is seen.
    @inlinable
    func observe(_ x: State, at i: Int) throws(CheckpointingError) {
        guard i > highestObserved else { return try verify(x, at: i) }
        highestObserved = i
        if options.checksFiniteness, !(x as! any CheckpointVerifiable).isCheckpointFinite { throw .nonFiniteState(step: i) }
        if options.checksDeterminism { fingerprints[i] = (x as! any CheckpointVerifiable).checkpointFingerprint }
        for loss in losses where loss.steps.contains(i, steps: schedule.steps) {
            lossValue += loss.value(x, parameters, i)
        }
    }

    /// On thread P: a recomputed x[i] must have the recording sweep's fingerprint.
    @inlinable
    func verify(_ x: State, at i: Int) throws(CheckpointingError) {
        guard options.checksDeterminism else { return }
        guard fingerprints[i] == (x as! any CheckpointVerifiable).checkpointFingerprint else { throw .nonDeterministicStep(step: i) }
    }

    @usableFromInline
    func invalid(_ reason: String) -> CheckpointingError {
        .invalidAction(index: 0, action: .endReverse, reason: "pipelined parallel reversal: \(reason)")
    }
}
