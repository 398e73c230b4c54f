import CheckpointSchedules

/// Reading the action stream: the next action, and looking ahead for the next restore so
/// that a slow store can read it ahead.
extension CheckpointSweep {
    @inlinable
    mutating func nextAction() -> CheckpointAction? {
        if lookaheadHead < lookahead.count {
            let action = lookahead[lookaheadHead]
            lookaheadHead += 1
            if lookaheadHead == lookahead.count {
                lookahead.removeAll(keepingCapacity: true)
                lookaheadHead = 0
            }
            return action
        }
        return actions?.next()
    }

    /// Finds the next restore in the stream (reading at most 64 actions ahead) and asks a
    /// given store to prefetch it. The built-in memory level needs no prefetch.
    @inlinable
    mutating func prefetchNextRestore() {
        if !hasGivenStores { return }
        var index = lookaheadHead
        while index < lookahead.count {
            if requestPrefetch(lookahead[index]) { return }
            index += 1
        }
        while lookahead.count - lookaheadHead < 64, let action = actions?.next() {
            lookahead.append(action)
            if requestPrefetch(action) { return }
        }
    }

    /// If `action` is a restore, asks its level's store (if given) to read it ahead and
    /// returns true. With a trace, the request is timed: waking a store's I/O thread can
    /// cost the sweep tens of µs on a busy machine (the woken thread takes the core), which
    /// belongs to the restore it prepares, not to the action that happens to make it.
    @inlinable
    mutating func requestPrefetch(_ action: CheckpointAction) -> Bool {
        guard case let .restore(stepIndex, level, slot, _) = action else { return false }
        guard let store = stores[level.index] else { return true }
        if options.recordsTrace {
            let start = Self.now()
            store.prefetch(stepIndex, slot)
            readAheadRequestInAction = (readAheadRequestInAction ?? 0) + (Self.now() - start)
        } else {
            store.prefetch(stepIndex, slot)
        }
        return true
    }
}

/// The action stream of any offline schedule.
@usableFromInline
func actionStream(of schedule: any CheckpointSchedule) -> AnyIterator<CheckpointAction> {
    func open<S: CheckpointSchedule>(_ schedule: S) -> AnyIterator<CheckpointAction> { AnyIterator(schedule.makeIterator()) }
    return open(schedule)
}
