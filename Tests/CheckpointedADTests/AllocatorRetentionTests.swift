import CMallocTuning
import CheckpointSchedules
import CheckpointStorage
import RewindTestSupport
import Testing
@testable import CheckpointedAD

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The allocator keeps what a checkpointed run's plan holds, so that the next run reuses the
/// freed memory checkpoints instead of page-faulting fresh ones; the retention is capped and
/// can be released. Serialized: the retention is process-wide and these tests release it.
@Suite(.serialized) struct AllocatorRetentionTests {
    /// 14 blocks of 48 MiB: 672 MiB, more than the default retention of 512 MiB. Each fits
    /// one of the 64 MiB heaps of glibc's per-thread arenas (tests run off the main thread):
    /// a larger block there is mapped on its own whatever `M_MMAP_MAX` says.
    static let blockCount = 14
    static let blockBytes = 48 << 20

    /// Allocates the blocks as vectors, writes every byte, frees them; returns their addresses.
    static func allocateWriteAndFreeBlocks(byte: Int32) -> [UInt] {
        let blocks = (0 ..< blockCount).map { _ in
            Vector(unsafeUninitializedCount: blockBytes / 8) { buffer in
                _ = memset(buffer.baseAddress!, byte, blockBytes)
            }
        }
        return blocks.map { $0.scalars.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
    }

    /// Fails without the retention: with glibc keeping only 512 MiB, the freed 672 MiB go
    /// back to the system, and writing them again faulted 147,436 of their 172,032 pages
    /// (measured with the cap at 512 MiB). The truth is the kernel's fault count for this
    /// thread, and the addresses: the second blocks lie in the memory the first ones held.
    /// One block may fault again (12,302 faults measured): a thread arena deletes a heap left
    /// wholly free on top of another free one, whatever the trim threshold.
    @Test func freedMemoryWithinTheRetentionIsReusedWithoutPageFaults() {
        #if os(Linux) && canImport(Glibc)
        #expect(AllocatorTuning.apply())
        AllocatorTuning.releaseFreeMemory()
        AllocatorTuning.maximumRetainedBytes = 1 << 30
        defer {
            AllocatorTuning.maximumRetainedBytes = 0
            AllocatorTuning.releaseFreeMemory()
        }
        #expect(AllocatorTuning.retainFreedMemory(upTo: 1 << 30) == 1 << 30)
        let first = Self.allocateWriteAndFreeBlocks(byte: 1)
        let faultsBefore = rewind_thread_minor_faults()
        let second = Self.allocateWriteAndFreeBlocks(byte: 2)
        let faults = rewind_thread_minor_faults() - faultsBefore
        let pages = Self.blockCount * Self.blockBytes / Int(sysconf(Int32(_SC_PAGESIZE)))
        #expect(faults <= pages / Self.blockCount + 64, "rewriting \(pages) pages of freed, retained memory faulted \(faults) of them")
        let held = first.min()! ... first.max()! + UInt(Self.blockBytes)
        #expect(second.allSatisfy { held.contains($0) }, "blocks \(second) are not in the memory \(held) freed before")
        #endif
    }

    /// The state size of the driver tests: 8 MiB.
    static let driverStateBytes = 8 << 20

    /// What the allocator retains once a driver for 100 steps of 8 MiB states under
    /// `checkpointing` has planned (the retention released before and after).
    static func retainedBytesAfterPlanning(_ checkpointing: Checkpointing<Vector>) throws -> Int {
        #expect(AllocatorTuning.apply())
        AllocatorTuning.releaseFreeMemory()
        defer { AllocatorTuning.releaseFreeMemory() }
        let x0 = Vector(unsafeUninitializedCount: driverStateBytes / 8) { _ = memset($0.baseAddress!, 0, driverStateBytes) }
        _ = try CheckpointedDriver(at: x0, parameters: 1.1, steps: 100, checkpointing: checkpointing, step: CheckpointedStep(nonlinearStep))
        return AllocatorTuning.retainedBytes
    }

    /// A driver asks the allocator to keep its plan's memory: its memory slots plus its
    /// working states (4, plus the 4 workspace states of the default options), whether the
    /// memory level is built in or a given store.
    @Test(arguments: [false, true])
    func aDriverRetainsWhatItsPlanHoldsInMemory(givenStore: Bool) throws {
        #if os(Linux) && canImport(Glibc)
        let store = MemoryCheckpointStore<Vector>(capacity: 70, bytesPerState: Self.driverStateBytes)
        let checkpointing: Checkpointing<Vector> = givenStore
            ? .schedule(try Revolve(steps: 100, slots: 70), stores: [.memory: store])
            : .revolve(memory: .slots(70))
        #expect(try Self.retainedBytesAfterPlanning(checkpointing) == (70 + 4 + 4) * Self.driverStateBytes)
        #endif
    }

    /// On two threads the plan holds the tree's checkpoints, the hand-off queue and the
    /// second thread's three working states besides the driver's own.
    @Test func aTwoThreadDriverRetainsItsTreeQueueAndSecondThread() throws {
        #if os(Linux) && canImport(Glibc)
        let tree = try #require(try PipelinedReversal.best(steps: 100, states: 70))
        let retained = try Self.retainedBytesAfterPlanning(.revolve(memory: .slots(70), threads: 2))
        #expect(retained == (tree.peakSlots + tree.handOffDepth + 3 + 4 + 4) * Self.driverStateBytes)
        #endif
    }

    /// The retention never exceeds its cap, a smaller plan never lowers it, a cap above what
    /// glibc's `int` threshold expresses is accepted, and a release restores the default.
    @Test func retentionIsCappedNeverLoweredAndReleasable() {
        #if os(Linux) && canImport(Glibc)
        #expect(AllocatorTuning.apply())
        AllocatorTuning.releaseFreeMemory()
        defer {
            AllocatorTuning.maximumRetainedBytes = 0
            AllocatorTuning.releaseFreeMemory()
        }
        #expect(AllocatorTuning.retainedBytes == AllocatorTuning.trimThresholdBytes)
        AllocatorTuning.maximumRetainedBytes = 600 << 20
        #expect(AllocatorTuning.retainFreedMemory(upTo: 10 << 30) == 600 << 20)
        #expect(AllocatorTuning.retainFreedMemory(upTo: 1) == 600 << 20)
        AllocatorTuning.maximumRetainedBytes = 3 << 30
        #expect(AllocatorTuning.retainFreedMemory(upTo: 3 << 30) == 3 << 30)
        AllocatorTuning.releaseFreeMemory()
        #expect(AllocatorTuning.retainedBytes == AllocatorTuning.trimThresholdBytes)
        #endif
    }

    /// Gradients through a retained pool are those of store-all, bit for bit, run after run.
    @Test func repeatedGradientsEqualStoreAllBitwise() throws {
        var generator = SplitMix64(seed: 13)
        let x0 = Vector.random(count: 64, using: &generator), seed = Vector.random(count: 64, using: &generator)
        let (_, reference) = try valueWithCheckpointedPullback(at: x0, parameters: 1.1, steps: 50,
            checkpointing: .storeAll, step: CheckpointedStep(nonlinearStep))
        let truth = try reference(seed)
        for _ in 0 ..< 3 {
            let (_, pullback) = try valueWithCheckpointedPullback(at: x0, parameters: 1.1, steps: 50,
                checkpointing: .revolve(memory: .slots(5)), step: CheckpointedStep(nonlinearStep))
            let gradient = try pullback(seed)
            #expect(gradient.initialState == truth.initialState && gradient.parameters == truth.parameters)
        }
    }
}
