import CMallocTuning

/// Keeps glibc's allocator from handing freed large buffers back to the operating system.
///
/// By default glibc unmaps (or trims) a freed buffer of 128 KiB and more, and the next
/// allocation of the same size page-faults on every page: Swift AD pullbacks of a Lorenz-96
/// RK4 step with N = 4096 took 288 µs instead of 85 µs on the reference machine (see
/// FACTS.md). ``apply()`` raises the trim threshold to 512 MiB and the mmap threshold to
/// 32 MiB (glibc's ceiling) once per process. The driver calls it on first use; call it
/// yourself before timing code that does not go through the driver.
///
/// The price: up to 512 MiB of freed memory stays mapped for reuse instead of being
/// returned at once.
public enum AllocatorTuning {
    private static let applied: Bool = {
        // glibc rejects an mmap threshold above HEAP_MAX_SIZE / 2 (32 MiB on 64-bit).
        rewind_tune_malloc(512 << 20, 32 << 20) == 1
    }()

    /// Applies the tuning (once per process); returns whether the allocator accepted it
    /// (always false off glibc).
    @discardableResult
    public static func apply() -> Bool { applied }
}
