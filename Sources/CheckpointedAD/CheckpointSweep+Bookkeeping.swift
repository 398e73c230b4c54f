import CheckpointSchedules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sweep's bookkeeping: errors with their context, time charged per phase, trace
/// events, counts and progress.
extension CheckpointSweep {
    @usableFromInline
    func invalid(_ index: Int, _ action: CheckpointAction, _ reason: String) -> CheckpointingError {
        .invalidAction(index: index, action: action, reason: reason)
    }

    @usableFromInline
    func describeCurrent() -> String { currentStep < 0 ? "undefined" : "x\(currentStep)" }

    /// Time is measured at changes of phase (recording, recomputation, reverse), not per
    /// action: a clock read costs about as much as the driver's whole bookkeeping for one
    /// step. A store or restore is charged to the phase it happens in. With a trace, every
    /// action is timed.
    @inlinable
    mutating func startTiming(_ action: CheckpointAction) {
        let category: TimeCategory
        switch action {
        case .advance: category = forwardEnded ? .recomputation : .recording
        case .reverse: category = .reverse
        case .store, .restore, .discard, .endForward, .endReverse: return
        }
        if category != timeCategory {
            if !options.recordsTrace { chargeTime(until: Self.now()) }
            timeCategory = category
        }
    }

    /// Charges the time since the last reading to the current phase.
    @inlinable
    mutating func chargeTime(until time: Double) {
        let elapsed = time - lastTime
        switch timeCategory {
        case .recording: statistics.recordingSeconds += elapsed
        case .recomputation: statistics.recomputationSeconds += elapsed
        case .reverse: statistics.reverseSeconds += elapsed
        }
        lastTime = time
    }

    /// With a trace: times `action` alone, charges it and records it.
    @inlinable
    mutating func finishAction(_ action: CheckpointAction, bytes: Int) {
        guard options.recordsTrace else { return }
        let start = lastTime
        let time = Self.now()
        chargeTime(until: time)
        recordEvent(action, start: start - runStart, duration: time - start, bytes: bytes)
    }

    /// Appends the event of `action`. A read-ahead request the action made is taken out of
    /// its duration and given to the next restore, the one it prepares.
    @usableFromInline
    mutating func recordEvent(_ action: CheckpointAction, start: Double, duration: Double, bytes: Int) {
        let ownDuration = Swift.max(0, duration - (readAheadRequestInAction ?? 0))
        var event = TraceEvent(action: action, start: start, duration: ownDuration, bytes: bytes)
        if event.kind == .restore {
            event.readAheadRequestSeconds = readAheadRequestForNextRestore
            readAheadRequestForNextRestore = nil
        }
        if let requested = readAheadRequestInAction {
            readAheadRequestForNextRestore = requested
            readAheadRequestInAction = nil
        }
        trace?.events.append(event)
    }

    @usableFromInline
    mutating func addToLastReverseEvent(_ elapsed: Double) {
        if let index = trace?.events.lastIndex(where: { $0.kind == .reverse }) { trace?.events[index].duration += elapsed }
    }

    @usableFromInline
    mutating func updateCountStatistics() {
        for level in StorageLevel.allCases {
            if storeCounts[level.index] > 0 { statistics.stores[level] = storeCounts[level.index] }
            if restoreCounts[level.index] > 0 { statistics.restores[level] = restoreCounts[level.index] }
        }
    }

    @usableFromInline
    func report(stepsReversed: Int) {
        guard let progress = options.progress else { return }
        progress(CheckpointingProgress(
            steps: steps, stepsReversed: stepsReversed, advances: statistics.advances, elapsedSeconds: Self.now() - runStart))
    }

    /// Monotonic seconds.
    @inlinable
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
