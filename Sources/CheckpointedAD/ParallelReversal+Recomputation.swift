import CheckpointSchedules
import CheckpointStorage

/// The recomputing side of a ``ParallelReversal``: the recording sweep, and thread P's loop
/// over the segments' inner Revolves. Everything here touches only the recomputing side's
/// fields (slots, counts, streams); the reversing thread reads them after joining P.
extension ParallelReversal {
    /// The recording sweep, on the caller's thread: top checkpoints, the last segment's
    /// inner forward part, and step n−1 taped.
    @inlinable
    func record() throws(CheckpointingError) {
        checkpoints.freeAll()
        recording = true
        defer { recording = false }
        let start = CheckpointSweep<Int, Int, Double, Double>.now()
        let n = layout.steps, last = layout.segmentCount - 1
        var x = initialState
        try observe(x, at: 0)
        var i = 0
        for k in 0..<last {
            try checkpoints.put(x, step: i, slot: layout.topSlot(k))
            while i < layout.segmentStarts[k + 1] {
                x = step.forward(x, parameters, i)
                i += 1
                statistics.recordingAdvances += 1
                try observe(x, at: i)
            }
        }
        var stream = openSegment(last, at: x)
        while true {
            switch try playNext(&stream) {
            case .progressed: continue
            case let .reverse(r):
                guard r == n - 1 else { throw invalid("the last segment's first reverse is step \(r), not \(n - 1)") }
            case .finished: throw invalid("the last segment's schedule ended before its first reverse")
            }
            break
        }
        let xLast = takeHandOver(&stream)
        let (value, pullback) = step.valueWithPullback(xLast, parameters, n - 1)
        try observe(value, at: n)
        if finalState == nil { finalState = value }
        taped = (xLast, pullback)
        lastSegment = stream
        statistics.recordingSeconds += CheckpointSweep<Int, Int, Double, Double>.now() - start
    }

    /// Thread P's loop: hand the current segment's states over in reverse order; while the
    /// queue is full, play the next segment's forward part. A failure goes through the queue.
    @inlinable
    func recompute(handingTo queue: HandOffQueue<HandedOff>) {
        let cpuStart = ReversalThread.cpuSeconds()
        defer { recomputingCPUSeconds += ReversalThread.cpuSeconds() - cpuStart }
        do throws(CheckpointingError) {
            guard var current = lastSegment else { return }
            lastSegment = nil
            var nextSegment = layout.segmentCount - 2
            var ahead: SegmentStream? = nextSegment >= 0 ? try openSegment(nextSegment) : nil
            var aheadReady = ahead == nil
            nextSegment -= 1
            while true {
                if !current.finished {
                    guard case let .reverse(i) = try playNext(&current) else { continue }
                    if queue.tryHandOver(HandedOff(state: current.current!), step: i) {
                        _ = takeHandOver(&current)
                    } else if !aheadReady {
                        if case .reverse = try playNext(&ahead!) { aheadReady = true }
                        if ahead!.finished { throw invalid("segment \(ahead!.segment)'s schedule ended before its first reverse") }
                    } else {
                        queue.handOver(HandedOff(state: takeHandOver(&current)), step: i)
                    }
                    continue
                }
                guard var next = ahead else { return }
                while !aheadReady {
                    if case .reverse = try playNext(&next) { aheadReady = true }
                    if next.finished { throw invalid("segment \(next.segment)'s schedule ended before its first reverse") }
                }
                current = next
                ahead = nextSegment >= 0 ? try openSegment(nextSegment) : nil
                aheadReady = ahead == nil
                nextSegment -= 1
            }
        } catch {
            queue.fail(error)
        }
    }

    /// Segment `k`'s inner Revolve from x[a[k]], taken (and released) from its top slot.
    @inlinable
    func openSegment(_ k: Int) throws(CheckpointingError) -> SegmentStream {
        openSegment(k, at: try checkpoints.take(step: layout.segmentStarts[k], slot: layout.topSlot(k), release: true))
    }

    /// Segment `k`'s inner Revolve from x[a[k]] = `state`.
    @inlinable
    func openSegment(_ k: Int, at state: State) -> SegmentStream {
        SegmentStream(
            segment: k, offset: layout.segmentStarts[k], actions: layout.innerSchedule(k).makeIterator(), current: state,
            currentStep: layout.segmentStarts[k])
    }

    /// Plays one step of an advance, or one action, of `stream`; stops at a reverse (left
    /// pending until ``takeHandOver(_:)``).
    @inlinable
    func playNext(_ stream: inout SegmentStream) throws(CheckpointingError) -> Outcome {
        if let pending = stream.pendingReverse { return .reverse(pending) }
        if stream.currentStep < stream.advanceTarget, let x = stream.current {
            stream.current = nil
            let i = stream.currentStep
            let next = step.forward(x, parameters, i)
            stream.currentStep = i + 1
            if stream.currentStep == stream.advanceTarget { stream.advanceTarget = -1 }
            if recording {
                statistics.recordingAdvances += 1
                try observe(next, at: i + 1)
            } else {
                recomputationAdvances += 1
            }
            stream.current = next
            return .progressed
        }
        guard let action = stream.actions.next() else {
            stream.finished = true
            return .finished
        }
        let offset = stream.offset
        switch action {
        case let .advance(from, to):
            guard stream.currentStep == from + offset, stream.current != nil else {
                throw invalid("segment \(stream.segment) advances from x\(from + offset) but holds x\(stream.currentStep)")
            }
            stream.advanceTarget = to + offset
        case let .store(local, _, slot):
            guard stream.currentStep == local + offset, let x = stream.current else {
                throw invalid("segment \(stream.segment) stores x\(local + offset) but holds x\(stream.currentStep)")
            }
            try checkpoints.put(x, step: local + offset, slot: layout.innerSlot(slot, segment: stream.segment))
        case let .restore(local, _, slot, release):
            stream.current = nil
            stream.current = try checkpoints.take(step: local + offset, slot: layout.innerSlot(slot, segment: stream.segment), release: release)
            stream.currentStep = local + offset
        case let .discard(local, _, slot):
            _ = try checkpoints.take(step: local + offset, slot: layout.innerSlot(slot, segment: stream.segment), release: true)
        case let .reverse(local):
            guard stream.currentStep == local + offset, stream.current != nil else {
                throw invalid("segment \(stream.segment) reverses x\(local + offset) but holds x\(stream.currentStep)")
            }
            stream.pendingReverse = local + offset
            return .reverse(local + offset)
        case .endForward:
            break
        case .endReverse:
            stream.finished = true
            return .finished
        }
        return .progressed
    }

    /// Takes the state of the stream's pending reverse out of it.
    @inlinable
    func takeHandOver(_ stream: inout SegmentStream) -> State {
        let x = stream.current!
        stream.current = nil
        stream.currentStep = -1
        stream.pendingReverse = nil
        return x
    }

    /// On the recording sweep: the loss terms' values at x[i], the first time x[i] is seen.
    @inlinable
    func observe(_ x: State, at i: Int) throws(CheckpointingError) {
        guard i > highestObserved else { return }
        highestObserved = i
        for loss in losses where loss.steps.contains(i, steps: layout.steps) {
            lossValue += loss.value(x, parameters, i)
        }
    }

    @usableFromInline
    func invalid(_ reason: String) -> CheckpointingError {
        .invalidAction(index: 0, action: .endReverse, reason: "parallel reversal: \(reason)")
    }
}
