import CheckpointSchedules

/// A place that holds checkpoints: numbered slots of one `StorageLevel`, each holding
/// one state x[step] at a time.
///
/// The checkpointed driver maps each level of a schedule to one store and calls
/// ``store(_:step:slot:)`` and ``restore(step:slot:release:)`` exactly as the schedule's
/// actions say. Stores are reference types because they own resources (buffers, files)
/// that must be released when the run ends, however it ends.
///
/// A restore names the step it expects: a store must never hand back a different,
/// partial or corrupt state as valid; it throws a ``CheckpointStoreError`` instead.
public protocol CheckpointStore<State>: AnyObject {
    /// The type of the states it holds.
    associatedtype State

    /// Saves `state`, which is x[step], into `slot`, replacing nothing: the slot is free.
    func store(_ state: State, step: Int, slot: Int) throws(CheckpointStoreError)

    /// Returns x[step] from `slot`; frees the slot afterwards when `release` is true.
    func restore(step: Int, slot: Int, release: Bool) throws(CheckpointStoreError) -> State

    /// Frees `slot`, which holds x[step], when its state is no longer wanted. A store that
    /// must read or decode to restore (a file, a compressed buffer) can skip that work. The
    /// default restores with release and drops the state.
    ///
    /// - Throws: the errors of ``restore(step:slot:release:)`` for a bad or mismatched slot;
    ///   never a corrupt-data error from a store that does not read the state.
    func discard(step: Int, slot: Int) throws(CheckpointStoreError)

    /// A hint that `slot` (holding x[step]) will be restored soon, so a slow store can read
    /// it ahead of time. The default does nothing.
    func prefetch(step: Int, slot: Int)

    /// Frees every slot and any resource the store holds (files, buffers).
    func removeAll()

    /// The bytes the store holds now, and the most it has held at once.
    var bytesInUse: Int { get }
    /// The largest value ``bytesInUse`` has had.
    var peakBytes: Int { get }

    /// Encoding and I/O statistics, for stores that encode or do I/O; `nil` by default.
    var ioStatistics: CheckpointIOStatistics? { get }

    /// Starts keeping a ``CheckpointOperationRecord`` of every later `store` and `restore`
    /// call, for ``takeOperationRecords()``. The checkpointed driver calls it when it records
    /// a trace. The default keeps none: a store that neither encodes nor does I/O has
    /// nothing to add to what the caller measures itself.
    func startRecordingOperations()

    /// Stops keeping records and drops the ones not taken.
    func stopRecordingOperations()

    /// The records kept since recording started or since the last call, in call order, each
    /// final: the call first waits for writes behind still in flight. Empty by default.
    ///
    /// - Complexity: O(records), plus the wait for the writes in flight.
    func takeOperationRecords() -> [CheckpointOperationRecord]
}

extension CheckpointStore {
    /// Restores x[step] with release and drops it: right for stores whose restore is cheap.
    public func discard(step: Int, slot: Int) throws(CheckpointStoreError) {
        _ = try restore(step: step, slot: slot, release: true)
    }

    /// Does nothing: a store that restores quickly needs no read-ahead.
    public func prefetch(step: Int, slot: Int) {}

    /// `nil`: a store that neither encodes nor does I/O has nothing to report.
    public var ioStatistics: CheckpointIOStatistics? { nil }

    /// Does nothing: this store keeps no records.
    public func startRecordingOperations() {}

    /// Does nothing: this store keeps no records.
    public func stopRecordingOperations() {}

    /// No records: this store keeps none.
    public func takeOperationRecords() -> [CheckpointOperationRecord] { [] }
}
