import CheckpointSchedules

extension CheckpointSweep {
    /// With a trace, at the end of a pass: takes each given store's operation records (which
    /// waits for writes behind still in flight) and copies them into this pass's events, so
    /// each store and restore at a disk or compressed level shows its encoded bytes, the
    /// sweep's wait, the I/O thread's time and where a restored state came from.
    ///
    /// - Complexity: O(events of the pass) per given store.
    @usableFromInline
    mutating func attachStoreRecords() {
        guard trace != nil, hasGivenStores else { return }
        for level in StorageLevel.allCases {
            guard let store = stores[level.index] else { continue }
            let records = store.takeOperationRecords()
            if !records.isEmpty { trace?.attach(records, at: level, from: passFirstEvent) }
        }
    }
}
