import CheckpointSchedules

extension CheckpointingResolution {
    /// The bytes a run of this resolution holds in RAM at most: its full-state memory slots
    /// (built in, or the slots its schedule gives a store for the memory level) plus the
    /// driver's working states, for states of `stateBytes`. What the driver asks the
    /// allocator to keep for reuse (``AllocatorTuning/retainFreedMemory(upTo:)``).
    func residentBytes(stateBytes: Int, steps n: Int, options: CheckpointingOptions) -> Int {
        var slots = memorySlots
        if stores[.memory] != nil, case let .offline(schedule) = source { slots = schedule.capacity(of: .memory) }
        return slots * stateBytes + options.workingBytes(steps: n, stateBytes: stateBytes)
    }
}
