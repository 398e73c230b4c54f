/// What a store spent on encoding and I/O, and how much of it overlapped the caller's
/// computation. The driver copies it into its statistics and trace.
///
/// Times are seconds of wall clock. *Background* time is spent on the store's I/O thread
/// (write-behind and read-ahead); *wait* time is the caller blocked on that thread (a full
/// write queue, or a restore whose read-ahead had not finished); *blocking* time is encoding
/// and I/O done on the caller's own thread. The part of the background time the caller did
/// not wait for, ``overlappedSeconds``, is the time the overlap saved.
///
/// ```swift
/// let io = store.statistics
/// print("ratio \(io.compressionRatio)×, overlapped \(io.overlappedSeconds) s, waited \(io.waitSeconds) s")
/// ```
public struct CheckpointIOStatistics: Hashable, Sendable {
    /// Calls to `store`.
    public var stores = 0
    /// Calls to `restore` that returned a state.
    public var restores = 0
    /// Restores served from a write still in flight (no disk read).
    public var restoresFromWriteBuffer = 0
    /// Restores that took a finished or running read-ahead.
    public var restoresFromReadAhead = 0
    /// Calls to `discard` that freed a slot without reading it.
    public var discards = 0
    /// Read-aheads started by `prefetch`.
    public var prefetches = 0
    /// State bytes given to `store`.
    public var rawBytesStored = 0
    /// State bytes handed back by `restore`.
    public var rawBytesRestored = 0
    /// State bytes that went through the codec (less than ``rawBytesStored`` when a write
    /// behind was cancelled because its slot was released before it started).
    public var rawBytesEncoded = 0
    /// Bytes the codec produced from ``rawBytesEncoded`` (headers excluded).
    public var encodedBytesStored = 0
    /// Bytes written to files (headers included).
    public var bytesWritten = 0
    /// Bytes read from files (headers included).
    public var bytesRead = 0
    /// Filtering and compressing.
    public var encodeSeconds = 0.0
    /// Decompressing and unfiltering.
    public var decodeSeconds = 0.0
    /// `open`, `write`, `fstat`, `ftruncate`, `fdatasync` and `close` system calls.
    public var writeSeconds = 0.0
    /// `open` and `read` system calls.
    public var readSeconds = 0.0
    /// Time the store's I/O thread was busy.
    public var backgroundSeconds = 0.0
    /// Time the caller was blocked waiting for the I/O thread (both kinds below).
    public var waitSeconds = 0.0
    /// Of ``waitSeconds``, the time restores waited for a read-ahead to finish.
    public var restoreWaitSeconds = 0.0
    /// Encoding and I/O done on the caller's own thread.
    public var blockingSeconds = 0.0
    /// Checkpoint files written with direct I/O (`O_DIRECT`), bypassing the page cache: the
    /// identity codec's large states, where the filesystem accepts it.
    public var directWrites = 0
    /// Checkpoint files read with direct I/O.
    public var directReads = 0

    /// Empty statistics.
    public init() {}

    /// ``rawBytesEncoded`` over ``encodedBytesStored``: 1 for the identity codec, more when
    /// compression pays.
    public var compressionRatio: Double {
        encodedBytesStored == 0 ? 1 : Double(rawBytesEncoded) / Double(encodedBytesStored)
    }

    /// Background time the caller did not wait for: I/O hidden behind computation.
    public var overlappedSeconds: Double { Swift.max(0, backgroundSeconds - waitSeconds) }
}
