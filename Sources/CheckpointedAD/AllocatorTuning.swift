import CMallocTuning

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps glibc's allocator from handing freed buffers back to the operating system, so that
/// a loop that allocates and frees the same large buffers every step does not page-fault.
///
/// ``Vector`` applies this tuning by itself, once per process, when the first vector with
/// elements is created (one check per allocation; see ``Vector``). Set the environment variable
/// `REWIND_MALLOC_TUNING=off` (read at that moment) to keep glibc's defaults. Code that
/// allocates large buffers without `Vector` can call ``apply()``, which always applies.
///
/// **What it does.** ``apply()`` sets glibc's trim threshold to 512 MiB and its mmap
/// threshold to 32 MiB, the largest `mallopt` accepts, and lets glibc map no block on its
/// own (`M_MMAP_MAX` = 0). By default glibc maps a block of 128 KiB or more with its own
/// `mmap` and unmaps it when freed, and trims the top of the heap when more than 128 KiB are
/// free there (both thresholds rise after the first mapped block is freed, to at most 32 MiB
/// and 64 MiB). Every reallocation then faults a fresh, zeroed page per 4 KiB. Tuned, every
/// buffer, of any size, comes from the heap, and a freed one is the next allocation of its
/// size: the heap is the pool that dropped states and overwritten checkpoint slots feed, so
/// that in the steady state a step touches no fresh page.
///
/// **Why** (`swift run -c release --package-path Benchmarks allocator-report`, 2 cores,
/// AMD EPYC, glibc 2.36, Swift 6.3.1, 2026-12-04, load average 4.0–6.9; thread CPU time and
/// minor page faults per Lorenz-96 RK4 step written with `Vector` operations):
///
/// | N | forward, glibc default | forward, tuned | Swift AD value + pullback, default | tuned |
/// |---:|---:|---:|---:|---:|
/// | 40 | 2.12 µs, 0 | 2.24 µs, 0 | 6.25 µs, 0 | 6.17 µs, 0 |
/// | 4096 | 81.6 µs, 19 | 30.8 µs, 0 | 268 µs, 88 | 87.3 µs, 0 |
/// | 65536 | 3.28 ms, 1475 | 0.55 ms, 0 | 8.02 ms, 3040 | 1.64 ms, 0 |
/// | 2^20 | 82.5 ms, 26 695 | 24.4 ms, 0 | 168 ms, 51 040 | 57.0 ms, 0 |
///
/// Peak RSS was the same within 1 MB in every cell. The earlier setting (mmap threshold
/// fixed at 4 MiB) made 8 MB states slower than glibc's default (185 ms and 75 813 faults
/// per forward step at N = 2^20), because every such buffer was mapped anew. A checkpointed
/// gradient of 8 MB states under a 100 MB budget (`gradient-report memory 1000000 300 100`,
/// fused step) peaked at 117 MB with either mmap threshold, in 12.7 s instead of 56.3 s.
/// Raising only the trim threshold is not enough (N = 65536: 11 481 faults per VJP), nor
/// is glibc's own adaptation after a freed 4 MiB block (N = 2^20 unchanged). The check in
/// `Vector` costs about 11 instructions per allocation (+1.2% at N = 40; Papers/CheapGradient.md).
///
/// **States of 32 MiB and more.** Before `M_MMAP_MAX` = 0 such buffers were mapped one by
/// one and page-faulted on every allocation. The storage-overlap report (64 MB state,
/// n = 100, 68 memory slots against 4 memory + 64 disk slots, two rounds of each;
/// `swift run -c release --package-path Benchmarks storage-overlap-report 100 64`,
/// 2026-12-07, load average 2.4–3.5) went from 14.0 s user, 48.6 s system, 82.4 s wall and
/// 22.7 million minor faults to 7.7 s user, 7.5 s system, 15.1 s wall and 2.4 million
/// faults; the all-memory gradient from 23.7 s to 3.7 s. Transparent huge pages
/// (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1` on top) cut the faults to 5,664 but raised system
/// time to 13.5 s, so they are not used.
///
/// **A run's plan is kept for reuse.** A 512 MiB trim threshold still handed the 4.35 GB of
/// an all-memory run's checkpoints back to the system when they were freed, so every run
/// faulted them in again (1.09 million faults, 2.4–9.5 s of system time per run on this
/// virtual machine). The checkpointed driver now tells the allocator what its plan holds in
/// RAM — memory slots plus working states, times the measured state size — through
/// ``retainFreedMemory(upTo:)``, which raises the trim threshold to that (never lowering it,
/// at most ``maximumRetainedBytes``, half of physical memory by default). Measured with the
/// report above (2026-12-07, load average 2.0–5.2; `… storage-overlap-report 100 64 identity
/// 2 off` keeps the 512 MiB of before):
///
/// | all-memory gradient (130 advances, 100 reverses) | minor faults | user | system |
/// |---|---:|---:|---:|
/// | first of the process, either setting | 1,093,773 | 1.8–2.0 s | 2.4–9.5 s |
/// | repeated, 512 MiB kept | 937,500–1,109,344 | 1.9–2.2 s | 2.8–4.8 s |
/// | repeated, the plan kept | 0–31,250 | 1.5–1.7 s | 0.00–0.06 s |
///
/// (A repeated run faults at most two states' pages in, where the heap's layout shifted.)
/// The whole two-round report went from 8.1 s user, 6.8 s system, 15.8 s wall and 2.38
/// million faults to 7.7 s user, 3.6 s system, 12.2 s wall and 1.16 million faults (the
/// first gradient's faults; load average 2.0–2.6), and a repeated all-memory gradient
/// from 5.0 s to 1.5–1.7 s against 1.5 s predicted from its step times. The first gradient of a process still faults its checkpoints in
/// once. Measured in C on fresh anonymous memory (same machine, load 2.3–4.8): faulting
/// page by page cost 0.31–0.76 s of system time per GB, prefaulting in one call
/// (`madvise(MADV_POPULATE_WRITE)`) 0.30–0.46 s — the same page clearing, a tenth to a
/// third less overhead, for memory the run might never use, so it is not done — and
/// `MADV_HUGEPAGE` 1.7–2 s per GB the first time (fresh 2 MB pages on this virtual
/// machine, no compaction stall counted; 0.05 s per GB once reused), so huge pages are not
/// used either.
///
/// **The price.** Freed memory up to ``retainedBytes`` stays mapped for reuse: after a
/// checkpointed run the resident size stays near the run's peak (4.5 GB after the report's
/// all-memory run; 73 MB instead of 25 MB after the report's warm-up) until
/// ``releaseFreeMemory()`` returns it (4.5 GB → 92 MB in the report). Set
/// ``maximumRetainedBytes`` to ``trimThresholdBytes`` to keep no more than the default.
/// A large block freed in the middle of the heap is reused but not returned to the system
/// until the blocks above it are freed too, or ``releaseFreeMemory()`` is called.
///
/// **Limitations.** The setting is process-wide and cannot be undone; it has no effect off
/// glibc. glibc's arenas for threads other than the main one grow in heaps of 64 MiB: there
/// a larger block is mapped on its own whatever `M_MMAP_MAX` says and faults in on every
/// allocation, and a heap left wholly free may be unmapped whatever the trim threshold.
/// States above 64 MiB are pooled only when allocated on the main thread.
public enum AllocatorTuning {
    /// The trim threshold ``apply()`` sets: free memory kept at the top of the heap.
    public static let trimThresholdBytes = 512 << 20

    /// The mmap threshold ``apply()`` sets: smaller blocks come from the heap.
    public static let mmapThresholdBytes = 32 << 20

    /// The most blocks ``apply()`` lets glibc map on their own: none, so that larger blocks
    /// come from the heap too.
    public static let maximumMappedBlocks: Int32 = 0

    /// The environment variable that keeps ``Vector`` from tuning: `off` (or `0`, `false`,
    /// `no`), read once when the first vector is created.
    public static let environmentVariable = "REWIND_MALLOC_TUNING"

    private static let applied: Bool = {
        rewind_tune_malloc(trimThresholdBytes, mmapThresholdBytes, maximumMappedBlocks) == 1
    }()

    /// Applies the tuning (once per process, whatever ``environmentVariable`` says);
    /// returns whether the allocator accepted it (always false off glibc).
    @discardableResult
    public static func apply() -> Bool { applied }

    /// Whether this process runs with the tuning: after ``apply()`` or the first
    /// ``Vector``, unless opted out; always false off glibc.
    public static var isApplied: Bool { rewind_malloc_is_tuned() == 1 }

    /// The free heap memory this process keeps for reuse now, in bytes: ``trimThresholdBytes``
    /// once tuned, raised by every checkpointed run to what its plan holds
    /// (``retainFreedMemory(upTo:)``), lowered again by ``releaseFreeMemory()``; 0 untuned.
    public static var retainedBytes: Int { rewind_retained_bytes() }

    /// The most a run's plan raises ``retainedBytes`` to: half of physical memory unless set.
    /// Set it to ``trimThresholdBytes`` to keep no pool beyond the default (0 restores the
    /// default). Lowering it does not lower a retention already raised: call
    /// ``releaseFreeMemory()`` after lowering it (or set it before the first run).
    public static var maximumRetainedBytes: Int {
        get { rewind_retention_cap() }
        set { rewind_set_retention_cap(newValue) }
    }

    /// Keeps up to `bytes` of freed heap memory for reuse (at most ``maximumRetainedBytes``,
    /// never less than now): the checkpointed driver calls it with the bytes its plan holds
    /// in RAM, so that memory checkpoints freed during and after a run are the next run's
    /// without a page fault. Returns ``retainedBytes``; does nothing untuned.
    ///
    /// glibc's trim threshold is an `int`: up to 2 GiB it trims the top of the heap when more
    /// than this is free there; above, glibc trims nothing by itself, and the bound is checked
    /// only when a checkpointed driver is deallocated: if more than ``retainedBytes`` is free
    /// then, all free memory is returned (the pool with it), not just the excess. Between
    /// runs, memory the caller frees is kept too.
    @discardableResult
    public static func retainFreedMemory(upTo bytes: Int) -> Int { rewind_retain_free_bytes(bytes) }

    /// Free bytes in the allocator's arenas now (kept for reuse, resident or not); -1 off glibc.
    public static var freeHeapBytes: Int { rewind_free_heap_bytes() }

    /// Returns every free page of the heap to the system and lowers ``retainedBytes`` back to
    /// ``trimThresholdBytes``: the resident size falls to what is in use. The next large run
    /// page-faults its buffers again. Returns whether memory was released.
    @discardableResult
    public static func releaseFreeMemory() -> Bool { rewind_release_free_memory() == 1 }

    /// Enforces ``retainedBytes`` where glibc cannot (above 2 GiB): returns all free memory
    /// when more than that is free. Called when a checkpointed driver is deallocated.
    @usableFromInline
    static func trimExcess() { _ = rewind_trim_excess() }

    /// Whether `value` of ``environmentVariable`` opts out: `off`, `0`, `false` or `no`,
    /// in any case.
    static func optsOut(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["off", "0", "false", "no"].contains(value.lowercased())
    }

    /// Whether ``Vector`` tuned the allocator: evaluated once, at the first vector.
    @usableFromInline
    static let appliedByVector: Bool = {
        rewind_note_vector_decided()
        return optsOut(getenv(environmentVariable).map { String(cString: $0) }) ? false : apply()
    }()

    /// Whether a `Vector` has been created and evaluated ``appliedByVector``, read without
    /// evaluating it.
    static var vectorHasDecided: Bool { rewind_vector_decided() == 1 }

    /// Called by every `Vector` initialiser that allocates: one check of a once-token.
    @inlinable @inline(__always)
    static func applyBeforeFirstVector() { _ = appliedByVector }
}
