/// The RAM buffers a file store hands between the caller and its I/O thread: a write
/// behind's copy of the state, a read-ahead's decoded state, the scratch of a read on
/// demand. Buffers come back to the pool and are reused, so a run allocates them once.
///
/// At most `limit` buffers wait in the pool (one per write behind and read-ahead, plus
/// one); a buffer returned beyond that is freed. With direct I/O, a buffer for a large
/// state is laid out as its file's image (``CheckpointDirectIO/makeBuffer(rawCount:)``:
/// aligned, with header headroom and block padding, which count in ``bytesInUse``). A
/// value, guarded by its store's lock.
struct CheckpointBufferPool {
    private var pooled: [ByteBuffer] = []
    private let limit: Int
    private let directIO: CheckpointDirectIO?
    /// Bytes held: buffers in use and pooled.
    private(set) var bytesInUse = 0
    /// The largest value ``bytesInUse`` has had.
    private(set) var peakBytes = 0

    /// An empty pool that keeps at most `limit` buffers, laying large ones out for
    /// `directIO` when given.
    init(limit: Int, directIO: CheckpointDirectIO? = nil) {
        self.limit = limit
        self.directIO = directIO
    }

    /// A buffer of `count` meaningful bytes: the first pooled one large enough, else a new one.
    ///
    /// - Complexity: O(pooled buffers).
    mutating func take(count: Int) -> ByteBuffer {
        if let index = pooled.firstIndex(where: { $0.capacity >= count }) {
            let buffer = pooled.remove(at: index)
            buffer.count = count
            return buffer
        }
        let buffer = if let directIO, directIO.wants(rawCount: count), !directIO.isRefused {
            directIO.makeBuffer(rawCount: count)
        } else {
            ByteBuffer(capacity: count)
        }
        buffer.count = count
        bytesInUse += buffer.allocation.count
        peakBytes = Swift.max(peakBytes, bytesInUse)
        return buffer
    }

    /// Takes `buffer` back for reuse, or frees it when the pool is full.
    mutating func recycle(_ buffer: ByteBuffer) {
        if pooled.count < limit {
            pooled.append(buffer)
        } else {
            bytesInUse -= buffer.allocation.count
        }
    }

    /// Frees the pooled buffers (those in use stay counted); the peak stays.
    mutating func freePooled() {
        for buffer in pooled { bytesInUse -= buffer.allocation.count }
        pooled.removeAll()
    }
}
