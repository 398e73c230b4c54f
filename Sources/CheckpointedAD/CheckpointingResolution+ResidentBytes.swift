import CheckpointSchedules

extension CheckpointingResolution {
    /// The bytes a run of this resolution holds in RAM at most: its full-state memory slots
    /// (built in, or the slots its schedule gives a store for the memory level; on two
    /// threads also the hand-off queue and the second thread's working states) plus the
    /// driver's working states, for states of `stateBytes`. What the driver asks the
    /// allocator to keep for reuse (``AllocatorTuning/retainFreedMemory(upTo:)``). With
    /// ``CheckpointingOptions/tapesOnRecomputingThread`` a pipelined tree's queue holds each
    /// state's tape as well (``CheckpointingOptions/handOffStates(depth:)``).
    /// Saturates at `Int.max` rather than overflow.
    func residentBytes(stateBytes: Int, steps n: Int, options: CheckpointingOptions) -> Int {
        var slots = memorySlots
        switch source {
        case let .offline(schedule) where stores[.memory] != nil: slots = schedule.capacity(of: .memory)
        case let .pipelined(tree):
            let queue = Swift.max(tree.handOffDepth, options.handOffStates(depth: options.handOffDepth(queueStates: tree.handOffDepth)))
            slots = tree.peakSlots + queue + Checkpointing<State>.parallelWorkingStates
        case let .parallel(layout): slots = memorySlots + layout.handOffDepth + Checkpointing<State>.parallelWorkingStates
        default: break
        }
        let (slotBytes, overflow) = slots.multipliedReportingOverflow(by: stateBytes)
        let (total, overflowTotal) = slotBytes.addingReportingOverflow(options.workingBytes(steps: n, stateBytes: stateBytes))
        return overflow || overflowTotal ? .max : total
    }
}
