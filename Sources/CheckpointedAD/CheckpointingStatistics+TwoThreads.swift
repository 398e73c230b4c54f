extension CheckpointingStatistics {
    /// The statistics a two-thread reversal starts from: n steps of `stateBytes`,
    /// `memorySlots` memory slots, the caller's reserved bytes, the schedule's description
    /// and the per-thread statistics (`threads`), everything else zero.
    @usableFromInline
    static func twoThreads(
        steps n: Int, stateBytes: Int, memorySlots: Int, reservedBytes: Int, schedule: String, threads: ParallelReversalStatistics
    ) -> CheckpointingStatistics {
        var statistics = CheckpointingStatistics(steps: n, stateBytes: stateBytes)
        statistics.capacities = [.memory: memorySlots]
        statistics.reservedBytes = reservedBytes
        statistics.schedule = schedule
        statistics.parallel = threads
        return statistics
    }
}
