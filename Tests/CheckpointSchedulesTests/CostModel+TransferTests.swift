import Testing
@testable import CheckpointSchedules

@Suite struct CostModelTransferTests {
    @Test func transferTimeIsLatencyPlusBytesOverBandwidth() {
        // 1 MB at 500 MB/s is 2 ms; plus 1 ms of latency.
        #expect(CostModel.transferTime(of: .megabytes(1), latency: 1e-3, bandwidth: 500e6) == 0.003)
        // No latency: the old bytes-over-bandwidth price.
        #expect(CostModel.transferTime(of: .megabytes(1), latency: 0, bandwidth: 500e6) == 0.002)
        // A 320-byte state at 500 MB/s: 0.64 µs of bytes under 1 ms of latency.
        #expect(CostModel.transferTime(of: 320, latency: 1e-3, bandwidth: 500e6) == 1e-3 + 6.4e-7)
        #expect(CostModel.transferTime(of: 0, latency: 25e-6, bandwidth: 1e9) == 25e-6)
    }
}
