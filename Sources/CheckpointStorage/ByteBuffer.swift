/// A heap block of raw bytes with a fixed capacity, handed between the caller's thread and
/// a store's I/O thread. Whoever holds it owns it; the stores' locks publish it.
final class ByteBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    /// How many leading bytes are meaningful.
    var count: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(byteCount: Swift.max(capacity, 1), alignment: 64)
        count = 0
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var mutableBytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: count) }
    var all: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: capacity) }
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
