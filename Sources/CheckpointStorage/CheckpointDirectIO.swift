import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Whether, and how, a file store moves large identity-coded checkpoints with direct I/O
/// (`O_DIRECT`): from the pool buffer to the device and back without a copy in the page cache.
///
/// **Why.** A buffered write copies the state into page-cache pages: for a 64 MB state on
/// the 2-core virtual machine of the storage-overlap report, a store into a fresh slot file
/// cost 0.1–0.25 s of system time (the kernel allocating and filling 15,625 pages the host
/// must back), on the core beside the computation, and a read copied it out again. Direct
/// I/O hands the buffer to the device, so the store's CPU cost is a few system calls.
///
/// **Layout.** Unchanged (``CheckpointFileHeader``, payload at byte 80). A pool buffer for a
/// direct store keeps 80 bytes of headroom in front of the state in one allocation aligned
/// to ``alignment`` (``CheckpointBufferPool``), so header, payload and the zero padding up to
/// the next multiple of ``alignment`` are the file's image in memory, written and read in
/// whole aligned blocks. The padding stays in the file as a tail shorter than one block,
/// which readers accept (``CheckpointFileHeader/allowedStaleTail(checkpointBytes:)``).
///
/// **When.** Only for the identity codec (a compressing codec streams encoded chunks through
/// its own buffers, and its CPU cost dwarfs the copy) and states of at least
/// ``minimumStateBytes`` (for small states the copy is cheap and the padding is not). A
/// filesystem that refuses `O_DIRECT` or the alignment, with `EINVAL` at `open` or at the
/// first transfer, turns direct I/O off for the store: that transfer and every later one
/// go through the page cache, as they did before, with the same file contents.
///
/// Shared by a store's caller thread and I/O thread; the only mutable part is the switch.
final class CheckpointDirectIO: Sendable {
    /// The block every direct transfer's address, offset and length are multiples of: a page,
    /// which covers the 512- and 4096-byte logical blocks of common devices.
    let alignment: Int
    /// The smallest state moved with direct I/O.
    let minimumStateBytes: Int
    private let refused = Atomic<Bool>(false)

    /// The `O_DIRECT` flag of `open`, which Swift's Glibc module does not import (it needs
    /// `_GNU_SOURCE`); `nil` where this build does not know it.
    static let openFlag: Int32? = {
        #if os(Linux) && (arch(x86_64) || arch(i386))
        return 0o40000
        #elseif os(Linux) && (arch(arm64) || arch(arm))
        return 0o200000
        #else
        return nil
        #endif
    }()

    /// The environment variable that keeps a store's files in the page cache: `off` (or `0`,
    /// `false`, `no`), read when the store is created. For measuring both paths in one build.
    static let environmentVariable = "REWIND_DIRECT_IO"

    /// Whether the environment opts out of direct I/O (``environmentVariable``).
    static var isOptedOut: Bool {
        guard let value = getenv(environmentVariable).map({ String(cString: $0).lowercased() }) else { return false }
        return ["off", "0", "false", "no"].contains(value)
    }

    /// A switch that starts on, or `nil` where direct I/O is unknown to this build or
    /// ``environmentVariable`` opts out.
    ///
    /// - Parameters:
    ///   - alignment: a power of two, the transfer block (4096 by default).
    ///   - minimumStateBytes: the smallest state moved with direct I/O (1 MiB by default).
    init?(alignment: Int = 4096, minimumStateBytes: Int = 1 << 20) {
        guard Self.openFlag != nil, !Self.isOptedOut else { return nil }
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "a direct I/O alignment must be a power of two, got \(alignment)")
        self.alignment = alignment
        self.minimumStateBytes = minimumStateBytes
    }

    /// Whether the filesystem has refused direct I/O (from then on, transfers are buffered).
    var isRefused: Bool { refused.load(ordering: .relaxed) }

    /// Turns direct I/O off for the store, after an `EINVAL`.
    func refuse() { refused.store(true, ordering: .relaxed) }

    /// `count` rounded up to a multiple of ``alignment``.
    func padded(_ count: Int) -> Int { (count + alignment - 1) & ~(alignment - 1) }

    /// Whether a state of `rawCount` bytes gets a direct-I/O buffer.
    func wants(rawCount: Int) -> Bool { rawCount >= minimumStateBytes }

    /// A pool buffer for a state of `rawCount` bytes laid out for direct I/O: header headroom,
    /// state, padding to a whole block, the allocation aligned.
    func makeBuffer(rawCount: Int) -> ByteBuffer {
        let headroom = CheckpointFileHeader.size
        return ByteBuffer(capacity: padded(headroom + rawCount) - headroom, headroom: headroom, alignment: alignment)
    }

    /// Whether `buffer` can be moved with direct I/O: laid out by ``makeBuffer(rawCount:)``
    /// (any pool buffer may hold a state; one from before direct I/O was wanted is not).
    func fits(_ buffer: ByteBuffer) -> Bool {
        let image = buffer.allocation
        return buffer.headroom == CheckpointFileHeader.size && Int(bitPattern: image.baseAddress) & (alignment - 1) == 0
            && image.count & (alignment - 1) == 0 && wants(rawCount: buffer.count)
    }
}
