/// Checkpoints in files: one private directory per run, one checksummed file per slot,
/// written behind the computation and read ahead of the reverse sweep.
///
/// ```swift
/// let store = try FileCheckpointStore<[Double]>(capacity: 64, codec: .shuffledZstd(level: 1))
/// try store.store(x, step: 40, slot: 3)          // returns once x is copied; written in the background
/// store.prefetch(step: 40, slot: 3)              // the schedule knows x40 is next: read it ahead
/// let x40 = try store.restore(step: 40, slot: 3, release: true)
/// ```
///
/// **Files.** The store creates a directory `rewind-XXXXXX` (mode 0700, unique name from
/// `mkdtemp`) under `directory`, or under `$TMPDIR` or `/tmp`. Each slot has one file,
/// `slot-N.ckpt`, opened with `O_NOFOLLOW` relative to that directory's descriptor (so no
/// symlink is ever followed), created by the slot's first store and overwritten in place by
/// every later one: creating a file costs a directory update (0.2–1.4 ms on a virtual
/// disk), overwriting one a few microseconds. A releasing restore or a ``discard(step:slot:)``
/// keeps the file for the slot's next store.
///
/// Each file starts with an 80-byte header (magic, format version, run identifier, step,
/// slot, sizes, codec, XXH64 of the payload, XXH64 of the header). A store writes a blank
/// header first, then the payload, then the valid header: a write that is interrupted
/// midway leaves a file that reads as unfinished, never as a checkpoint. A corrupt,
/// truncated, unfinished, foreign or stale file throws
/// ``CheckpointStoreError/corrupt(step:slot:reason:)`` and is never returned as a state.
/// When a checkpoint is shorter than the slot's previous one, the stale tail after it is
/// kept if small (one page, or an eighth of the checkpoint) and cut off otherwise.
///
/// **Direct I/O.** With the identity codec, states of 1 MiB or more are written and read
/// with `O_DIRECT` from page-aligned buffers that hold the file's image (header, state, zero
/// padding to a 4096-byte block; the format is unchanged, the padding a tail readers
/// accept), so they never pass through the page cache: in the storage-overlap report (64 MB
/// states, 64 stores and 64 reads a gradient) the page-cache path cost 7–11 s of system time
/// on the core beside the computation, the kernel filling fresh cache pages, and direct I/O
/// 0.2–0.4 s (``CheckpointIOStatistics/directWrites`` counts them). Where the filesystem refuses `O_DIRECT`
/// (`EINVAL`), the store falls back to the page cache for good; `REWIND_DIRECT_IO=off` in the
/// environment does the same. Compressing codecs always use the page cache.
///
/// **Durability.** By default files are not `fsync`ed: they only live as long as the run,
/// and a crash ends the run (and leaves nothing a later run would read, since each run has
/// its own directory and identifier). ``SyncPolicy/everyCheckpoint`` syncs each payload
/// before the header that vouches for it, and that header before the store returns, for
/// storage where the page cache cannot be trusted to reach the device.
///
/// **Failures.** `ENOSPC`, `EDQUOT`, `EACCES`, `EROFS` and short writes throw
/// ``CheckpointStoreError/writeFailed(path:bytesNeeded:reason:)`` with the path and the
/// bytes the file needs (for compressing codecs, the worst case). A failed write removes
/// the slot's file. A write behind that fails is reported by the next call to the store.
///
/// **Clean-up.** ``removeAll()`` removes every file; releasing the store (normally, or
/// after an error unwinds the driver) removes the files and the directory.
///
/// **Overlap.** With `writeBehind` > 0, ``store(_:step:slot:)`` copies the state into a
/// buffer and returns; a background thread encodes and writes it. At most `writeBehind`
/// buffers are in flight (a further store waits), and they count in ``bytesInUse``. A
/// restore of a state still in flight uses the buffer directly. ``prefetch(step:slot:)``
/// starts reading and decoding a file on the same thread (at most `readAhead` at once);
/// the next restore of that slot takes the result. ``statistics`` shows what overlapped,
/// and ``takeOperationRecords()`` the same per call (for traces).
///
/// - Complexity: O(state bytes) per store and restore, O(1) per discard; memory O((`writeBehind` +
///   `readAhead` + 1) × state bytes) plus one codec block per thread.
public final class FileCheckpointStore<State: CheckpointCodable>: CheckpointStore {
    /// When files are flushed to the device.
    public enum SyncPolicy: Hashable, Sendable {
        /// Never `fsync`: the files are scratch data of this run (the default).
        case never
        /// `fdatasync` each checkpoint's payload before writing its header, and the header
        /// before the store is done: two device flushes per checkpoint.
        case everyCheckpoint

        /// The name this policy had when checkpoints were renamed into place.
        @available(*, deprecated, renamed: "everyCheckpoint")
        public static var beforeRename: SyncPolicy { .everyCheckpoint }
    }

    private let engine: CheckpointFileEngine

    /// Creates the run's private directory.
    ///
    /// - Parameters:
    ///   - capacity: the number of slots.
    ///   - directory: where the run's directory goes; `nil` for `$TMPDIR` or `/tmp`.
    ///   - codec: how states are encoded in the files.
    ///   - writeBehind: buffers that may wait for or be in the background write (0: write on
    ///     the caller's thread).
    ///   - readAhead: read-aheads that may be pending at once (0: ignore `prefetch`).
    ///   - sync: when files are flushed to the device.
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` when the directory cannot be
    ///   created (missing, read-only, not a directory).
    public init(
        capacity: Int, directory: String? = nil, codec: CheckpointCodec = .identity,
        writeBehind: Int = 2, readAhead: Int = 1, sync: SyncPolicy = .never
    ) throws(CheckpointStoreError) {
        engine = try CheckpointFileEngine(
            capacity: capacity, directory: directory, codec: codec, writeBehind: writeBehind, readAhead: readAhead,
            syncEveryCheckpoint: sync == .everyCheckpoint)
    }

    deinit { engine.shutdown() }

    /// The run's private directory (removed when the store is released).
    public var directory: String { engine.directory.path }
    /// The number of slots.
    public var capacity: Int { engine.capacity }
    /// The codec of the files.
    public var codec: CheckpointCodec { engine.codec }

    /// The path of `slot`'s file, which holds its checkpoint once the write completed (for
    /// diagnostics).
    public func filePath(slot: Int) -> String { engine.directory.path(slot: slot) }

    /// Queues x[step] for writing into `slot` (or writes it, without write-behind).
    ///
    /// - Throws: ``CheckpointStoreError`` for a bad or occupied slot, a failed write on this
    ///   thread, or an earlier background write that failed.
    /// - Complexity: O(state bytes) to copy; the encoding and the write overlap the caller.
    public func store(_ state: State, step: Int, slot: Int) throws(CheckpointStoreError) {
        try engine.store(step: step, slot: slot, rawCount: state.checkpointEncodedByteCount) { state.encodeCheckpoint(into: $0) }
    }

    /// Returns x[step] from `slot`, after checking the file's header and checksum.
    public func restore(step: Int, slot: Int, release: Bool) throws(CheckpointStoreError) -> State {
        try engine.restore(step: step, slot: slot, release: release) { (bytes) throws(CheckpointCodingError) in
            try State(checkpointBytes: bytes)
        }
    }

    /// Frees `slot`, which holds x[step], without reading or decoding its file: a write
    /// still queued is cancelled, a read-ahead abandoned, the file kept for the slot's next
    /// store. The state is gone afterwards, so a damaged file is not noticed.
    ///
    /// - Throws: ``CheckpointStoreError/slotOutOfRange(slot:capacity:)``,
    ///   ``CheckpointStoreError/missingCheckpoint(step:slot:heldStep:)`` when the slot does
    ///   not hold x[step], or an earlier background write that failed.
    /// - Complexity: O(1); no I/O.
    public func discard(step: Int, slot: Int) throws(CheckpointStoreError) { try engine.discard(step: step, slot: slot) }

    /// Starts reading and decoding `slot` in the background if it holds x[step] on disk and
    /// fewer than `readAhead` read-aheads are pending; otherwise does nothing.
    public func prefetch(step: Int, slot: Int) { engine.prefetch(step: step, slot: slot) }

    /// Waits until every write behind is in its file.
    ///
    /// - Throws: the first background write failure.
    public func flush() throws(CheckpointStoreError) { try engine.flush() }

    /// Removes every checkpoint file (the directory stays until the store is released).
    public func removeAll() { engine.removeAll() }

    /// Ends this store as an interruption does (``CheckpointInterruption``): the transfer in
    /// progress finishes, the files and the directory go, and every later call throws.
    /// Returns the directory and the slot files removed, or `nil` if already done.
    func terminate() -> (path: String, files: Int)? { engine.terminate() }

    /// Bytes of RAM held: write-behind, read-ahead and pooled buffers.
    public var bytesInUse: Int { engine.bytesInUse }
    /// The largest value ``bytesInUse`` has had.
    public var peakBytes: Int { engine.peakBytes }
    /// Bytes of the checkpoints the slots hold now (headers included).
    public var diskBytesInUse: Int { engine.diskBytesInUse }
    /// Bytes the slot files take now: ``diskBytesInUse`` plus the files that released slots
    /// keep for their next store, and the stale tails (see the type's documentation).
    public var slotFileBytes: Int { engine.slotFileBytes }
    /// The most bytes the files have held at once.
    public var peakDiskBytes: Int { engine.peakDiskBytesInUse }
    /// Encoding and I/O times, byte counts and overlap.
    public var statistics: CheckpointIOStatistics { engine.statistics }
    /// The same as ``statistics``, through the ``CheckpointStore`` protocol.
    public var ioStatistics: CheckpointIOStatistics? { statistics }

    /// Starts keeping a ``CheckpointOperationRecord`` of every later store and restore: the
    /// encoded bytes, the caller's wait, the I/O thread's time, and whether a restore came
    /// from a write buffer, a read-ahead or a read on demand.
    public func startRecordingOperations() { engine.startRecordingOperations() }

    /// Stops keeping records and drops the ones not taken.
    public func stopRecordingOperations() { engine.stopRecordingOperations() }

    /// The records kept since recording started or since the last call, in call order; waits
    /// first for the writes behind in flight, whose records the I/O thread completes.
    public func takeOperationRecords() -> [CheckpointOperationRecord] { engine.takeOperationRecords() }
}
