/// The ``CheckpointOperationRecord``s a file store keeps while recording: one per store,
/// restore and discard, in call order, until they are taken.
///
/// A write behind's record is kept when the store is called and completed by the I/O
/// thread (its stored bytes and background time); records are numbered so that a
/// completion finds its record even after earlier ones were taken, and skips one that
/// was taken or dropped meanwhile. A value, guarded by its store's lock.
struct CheckpointOperationRecorder {
    /// Whether records are kept.
    private(set) var isRecording = false
    /// The records not taken yet; `records[i]` is record number `firstRecordNumber + i`.
    private var records: [CheckpointOperationRecord] = []
    private var firstRecordNumber = 0

    /// Starts keeping records.
    mutating func start() {
        isRecording = true
    }

    /// Stops keeping records and drops the ones not taken.
    mutating func stop() {
        isRecording = false
        _ = take()
    }

    /// Keeps `record` if records are kept; returns its number.
    @discardableResult
    mutating func keep(_ record: CheckpointOperationRecord) -> Int? {
        guard isRecording else { return nil }
        records.append(record)
        return firstRecordNumber + records.count - 1
    }

    /// Fills in what the I/O thread learned about record `number`, a write behind, unless
    /// the record was taken or dropped meanwhile.
    mutating func completeRecord(_ number: Int?, storedBytes: Int?, backgroundSeconds: Double) {
        guard let number, records.indices.contains(number - firstRecordNumber) else { return }
        records[number - firstRecordNumber].storedBytes = storedBytes
        records[number - firstRecordNumber].backgroundSeconds = backgroundSeconds
    }

    /// The records not taken yet, in call order; they are not kept any more.
    mutating func take() -> [CheckpointOperationRecord] {
        let taken = records
        firstRecordNumber += records.count
        records.removeAll()
        return taken
    }
}
