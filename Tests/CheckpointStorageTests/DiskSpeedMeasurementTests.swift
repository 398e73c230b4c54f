import Foundation
import Testing
@testable import CheckpointStorage

@Suite struct DiskSpeedMeasurementTests {
    @Test func theLineThroughTwoTimedSizes() {
        // 1 GB/s and 29 µs: 1000 B take 30 µs, 1 001 000 B take 1030 µs.
        let fit = DiskSpeedMeasurement.fitLine(small: (bytes: 1_000, seconds: 30e-6), large: (bytes: 1_001_000, seconds: 1_030e-6))
        #expect(abs(fit.bandwidth - 1e9) < 1e-3 && abs(fit.latency - 29e-6) < 1e-15)
        // No fixed cost: the line goes through the origin.
        let pure = DiskSpeedMeasurement.fitLine(small: (bytes: 100, seconds: 1e-6), large: (bytes: 1_100, seconds: 11e-6))
        #expect(abs(pure.bandwidth - 1e8) < 1e-6 && abs(pure.latency) < 1e-18)
    }

    @Test func noiseThatBreaksTheFitStillGivesUsableFigures() {
        // The large state was timed faster than the small one: its time is all transfer,
        // the small one's all latency.
        let inverted = DiskSpeedMeasurement.fitLine(small: (bytes: 64, seconds: 50e-6), large: (bytes: 4_000_064, seconds: 40e-6))
        #expect(inverted.latency == 50e-6 && inverted.bandwidth == 4_000_064 / 40e-6)
        // A slope so shallow that the intercept is negative: the latency is 0, not less.
        // (1 MB in 1 µs, 2 MB in 3 µs: 0.5 TB/s, intercept −1 µs.)
        let shallow = DiskSpeedMeasurement.fitLine(small: (bytes: 1_000_000, seconds: 1e-6), large: (bytes: 2_000_000, seconds: 3e-6))
        #expect(shallow.latency == 0 && abs(shallow.bandwidth - 5e11) < 1)
    }

    @Test func theRealFileStoreGivesPositiveFiniteFiguresAndLeavesNoFile() throws {
        let scratch = ScratchDirectory()
        let measured = try DiskSpeedMeasurement.measure(directory: scratch.path, smallStateBytes: 64, largeStateBytes: 64 << 10, repetitions: 1)
        for figure in [measured.writeLatency, measured.readLatency, measured.writeBandwidth, measured.readBandwidth] {
            #expect(figure > 0 && figure.isFinite, "\(measured)")
        }
        #expect(measured.sampleSizes == [64, 64 << 10])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "the stores removed their directories")
        #expect(measured.description.hasPrefix("write ") && measured.description.contains(" µs + "))
    }

    @Test func aDirectoryThatCannotBeUsedIsATypedError() {
        #expect(throws: CheckpointStoreError.self) {
            try DiskSpeedMeasurement.measure(directory: "/nonexistent/rewind-test", repetitions: 1)
        }
    }
}
