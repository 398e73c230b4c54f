import Testing
@testable import CheckpointSchedules

@Suite struct CodecProfileTests {
    @Test func storedSizeAndTimesFollowRatioAndSpeeds() {
        let codec = CodecProfile(name: "zstd", ratio: 1.5, compressionSpeed: 1e9, decompressionSpeed: 2e9)
        #expect(codec.storedSize(of: .megabytes(3)) == .megabytes(2))
        #expect(codec.storedSize(of: 10) == 7)  // ⌈10 / 1.5⌉
        #expect(codec.compressionTime(of: .gigabytes(2)) == 2)
        #expect(codec.decompressionTime(of: .gigabytes(2)) == 1)
        #expect(CodecProfile.identity.storedSize(of: 123) == 123)
        #expect(CodecProfile.identity.compressionTime(of: .gigabytes(1)) == 0 && CodecProfile.identity.isIdentity)
        #expect(!codec.isIdentity)
    }
}
