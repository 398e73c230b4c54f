import Testing
@testable import CheckpointedAD

/// The allocator tuning really reaches glibc (it once compiled to a no-op).
@Suite struct AllocatorTuningTests {
    @Test func tuningIsAcceptedOnGlibc() {
        #if os(Linux) && canImport(Glibc)
        #expect(AllocatorTuning.apply())
        #else
        #expect(!AllocatorTuning.apply())
        #endif
    }
}
