import CMallocTuning

/// Keeps glibc's allocator from handing freed large buffers back to the operating system.
///
/// By default glibc unmaps (or trims) a freed buffer of 128 KiB and more, and the next
/// allocation of the same size page-faults on every page: Swift AD pullbacks of a Lorenz-96
/// RK4 step with N = 4096 took 288 µs instead of 85 µs on the reference machine (see
/// FACTS.md). ``apply()`` raises the trim threshold to 512 MiB, and fixes the mmap
/// threshold at 4 MiB (instead of glibc's sliding one), once per process. The driver calls
/// it on first use; call it yourself before timing code that does not go through the driver.
///
/// Buffers under 4 MiB are then reused from the heap without page faults. Buffers of
/// 4 MiB and more (states of half a million doubles and up) are still mapped and unmapped
/// one by one: each allocation page-faults (a few per cent of a step that reads and writes
/// the buffer), but freed memory returns to the system at once, so the resident memory of a
/// run stays at what is live. Heap-allocated large states fragment the heap instead: an
/// 8 MB-state run under a 100 MB budget peaked 40 MB higher with a 32 MiB threshold.
///
/// The price: up to 512 MiB of freed small buffers stay mapped for reuse.
public enum AllocatorTuning {
    private static let applied: Bool = {
        rewind_tune_malloc(512 << 20, 4 << 20) == 1
    }()

    /// Applies the tuning (once per process); returns whether the allocator accepted it
    /// (always false off glibc).
    @discardableResult
    public static func apply() -> Bool { applied }
}
