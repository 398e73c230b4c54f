/// What one `store` or `restore` call cost a store that encodes or does I/O: the bytes it
/// really held, the time its caller was blocked, the time its I/O thread worked on it, and
/// where a restored state came from. The per-call view of ``CheckpointIOStatistics``.
///
/// A store keeps these records only while asked to
/// (``CheckpointStore/startRecordingOperations()``, until
/// ``CheckpointStore/stopRecordingOperations()``); the checkpointed driver asks when it
/// records a trace, and copies each record into the trace event of the same call.
///
/// ```swift
/// store.startRecordingOperations()
/// try store.store(x, step: 4, slot: 0)                 // written behind
/// _ = try store.restore(step: 4, slot: 0, release: true)
/// for record in store.takeOperationRecords() {         // waits for the write behind
///     print(record.kind, record.rawBytes, record.storedBytes ?? 0, record.backgroundSeconds)
/// }
/// ```
///
/// For one store, the records' sums equal its ``CheckpointIOStatistics``: stored bytes of
/// the `store` records sum to ``CheckpointIOStatistics/encodedBytesStored`` (and their raw
/// bytes to ``CheckpointIOStatistics/rawBytesEncoded``), wait seconds to the waits of
/// `store` and `restore` calls, background seconds to ``CheckpointIOStatistics/backgroundSeconds``
/// less the work of read-aheads that no restore took.
public struct CheckpointOperationRecord: Hashable, Sendable {
    /// Which call made the record.
    public enum Kind: Hashable, Sendable {
        /// A call to `store`.
        case store
        /// A call to `restore` (with or without release), or to `discard` (a releasing
        /// restore whose state is not wanted: no stored bytes read, no source).
        case restore
    }

    /// Where a restore found its state.
    public enum RestoreSource: Hashable, Sendable {
        /// In a write-behind buffer whose write had not finished: nothing was read.
        case writeBuffer
        /// In a read-ahead started by `prefetch`, finished or waited for.
        case readAhead
        /// Read and decoded on the caller's thread when asked.
        case onDemand
    }

    /// Which call made the record.
    public var kind: Kind
    /// The step of the state stored or restored.
    public var step: Int
    /// The slot.
    public var slot: Int
    /// The state's own bytes (before encoding).
    public var rawBytes: Int
    /// The bytes the codec made of the state (file headers excluded): written by a store,
    /// read by a restore (0 for a restore from a write buffer). `nil` for a write behind
    /// that was cancelled before it ran (its slot was released first): nothing was encoded.
    public var storedBytes: Int?
    /// Seconds the call was blocked waiting for the store's I/O thread (a full write queue,
    /// a read-ahead still running).
    public var waitSeconds: Double
    /// Seconds the store's I/O thread worked for this call: the write behind of a store,
    /// the read-ahead a restore took; 0 when everything ran on the caller's thread.
    public var backgroundSeconds: Double
    /// For a restore, where the state came from; `nil` for a store and for a discard (which
    /// reads nothing).
    public var source: RestoreSource?

    /// A record of one call.
    public init(
        kind: Kind, step: Int, slot: Int, rawBytes: Int, storedBytes: Int?, waitSeconds: Double = 0,
        backgroundSeconds: Double = 0, source: RestoreSource? = nil
    ) {
        self.kind = kind
        self.step = step
        self.slot = slot
        self.rawBytes = rawBytes
        self.storedBytes = storedBytes
        self.waitSeconds = waitSeconds
        self.backgroundSeconds = backgroundSeconds
        self.source = source
    }
}
