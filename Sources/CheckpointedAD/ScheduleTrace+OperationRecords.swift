import CheckpointSchedules
import CheckpointStorage

extension ScheduleTrace {
    /// Copies one store's operation records into the events of the calls that made them:
    /// the k-th record to the k-th `store`, `restore` or `discard` event at `level` from
    /// `firstEvent` on (the driver calls its store once per such action, in stream order; a
    /// discard is a releasing restore).
    ///
    /// Returns false, and changes nothing, unless records and events correspond one to one
    /// with the same kind, step and slot: a store that recorded only part of the calls
    /// leaves the events without I/O facts rather than with someone else's.
    ///
    /// - Complexity: O(events from `firstEvent`).
    @discardableResult
    mutating func attach(_ records: [CheckpointOperationRecord], at level: StorageLevel, from firstEvent: Int) -> Bool {
        let indices = events.indices[firstEvent...].filter { events[$0].level == level && events[$0].isStorageCall }
        guard indices.count == records.count,
              zip(indices, records).allSatisfy({ events[$0].madeRecord($1) })
        else { return false }
        for (index, record) in zip(indices, records) { events[index].attach(record) }
        return true
    }
}

extension TraceEvent {
    /// A `store`, `restore` or `discard`: an action that calls its level's store.
    var isStorageCall: Bool { kind == .store || kind == .restore || kind == .discard }

    /// Whether `record` is of the call this event's action made.
    func madeRecord(_ record: CheckpointOperationRecord) -> Bool {
        let kindMatches = switch record.kind {
        case .store: kind == .store
        case .restore: kind == .restore || kind == .discard
        }
        return kindMatches && step == record.step && slot == record.slot
    }

    /// Adds the I/O facts of `record`, the store's view of this event's call. `bytes` becomes
    /// the size of what the store was given (the state's flat encoding, which may carry a
    /// length prefix), so that `bytes` over `storedBytes` is the store's compression ratio.
    mutating func attach(_ record: CheckpointOperationRecord) {
        bytes = record.rawBytes
        storedBytes = record.storedBytes
        waitSeconds = record.waitSeconds
        backgroundSeconds = record.backgroundSeconds
        source = record.source.map(RestoreSource.init)
    }
}

extension TraceEvent.RestoreSource {
    /// The trace's name for a store's restore source.
    init(_ source: CheckpointOperationRecord.RestoreSource) {
        switch source {
        case .writeBuffer: self = .writeBuffer
        case .readAhead: self = .readAhead
        case .onDemand: self = .onDemand
        }
    }
}
