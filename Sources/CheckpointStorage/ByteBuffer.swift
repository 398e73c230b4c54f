/// A heap block of raw bytes with a fixed capacity, handed between the caller's thread and
/// a store's I/O thread. Whoever holds it owns it; the stores' locks publish it.
///
/// A buffer may keep ``headroom`` bytes in front of its meaningful ones, in the same
/// allocation: a file store's direct I/O puts a checkpoint file's header there, so that
/// header, state and padding form the file's image in one aligned block
/// (``CheckpointDirectIO``).
final class ByteBuffer: @unchecked Sendable {
    /// The first meaningful byte (after the headroom).
    let base: UnsafeMutableRawPointer
    /// Bytes available from ``base`` on.
    let capacity: Int
    /// Bytes of the allocation in front of ``base``.
    let headroom: Int
    /// How many leading bytes are meaningful.
    var count: Int

    /// A buffer of `capacity` bytes after `headroom` bytes, the allocation aligned to
    /// `alignment` (a power of two).
    init(capacity: Int, headroom: Int = 0, alignment: Int = 64) {
        self.capacity = capacity
        self.headroom = headroom
        base = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(headroom + capacity, 1), alignment: alignment) + headroom
        count = 0
    }

    deinit { (base - headroom).deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var mutableBytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: count) }
    var all: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: capacity) }
    /// The whole allocation: the headroom, then ``all``.
    var allocation: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base - headroom, count: headroom + capacity) }
}

/// Monotonic time in seconds, for the I/O statistics.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
