import CMallocTuning
import Testing
@testable import CheckpointedAD

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The allocator tuning really reaches glibc (it once compiled to a no-op), and `Vector`
/// applies it by itself unless `REWIND_MALLOC_TUNING=off`. Tests share one process, so
/// these check the mechanism's state, not glibc's untuned behaviour (the allocator report
/// measures that in child processes).
@Suite struct AllocatorTuningTests {
    @Test func tuningIsAcceptedOnGlibc() {
        #if os(Linux) && canImport(Glibc)
        #expect(AllocatorTuning.apply())
        #expect(AllocatorTuning.isApplied)
        #else
        #expect(!AllocatorTuning.apply())
        #expect(!AllocatorTuning.isApplied)
        #endif
    }

    /// Once tuned, even a block larger than glibc's largest mmap threshold comes from the heap
    /// (and is reused), where untuned glibc maps it on its own.
    @Test func largeBlocksComeFromTheHeap() {
        #if os(Linux) && canImport(Glibc)
        #expect(AllocatorTuning.apply())
        #expect(rewind_malloc_maps_block(48 << 20) == 0, "a 48 MiB block was mapped on its own, so it would be page-faulted anew")
        #endif
    }

    /// Fails if `Vector` stops applying the tuning (the forward loop of a model would be
    /// slow again without a hand call).
    @Test func creatingAVectorAppliesTheTuningUnlessOptedOut() {
        let x = Vector(repeating: 1, count: 4)
        #expect(x.count == 4)
        #expect(AllocatorTuning.vectorHasDecided, "creating a Vector did not reach AllocatorTuning")
        let optedOut = AllocatorTuning.optsOut(getenv(AllocatorTuning.environmentVariable).map { String(cString: $0) })
        #if os(Linux) && canImport(Glibc)
        #expect(AllocatorTuning.appliedByVector == !optedOut)
        #expect(AllocatorTuning.isApplied || optedOut)
        #else
        #expect(!AllocatorTuning.appliedByVector)
        #endif
    }

    @Test(arguments: ["off", "OFF", "0", "false", "No"])
    func theseValuesOptOut(_ value: String) {
        #expect(AllocatorTuning.optsOut(value))
    }

    @Test(arguments: [nil, "", "on", "1", "yes"] as [String?])
    func theseValuesDoNotOptOut(_ value: String?) {
        #expect(!AllocatorTuning.optsOut(value))
    }
}
