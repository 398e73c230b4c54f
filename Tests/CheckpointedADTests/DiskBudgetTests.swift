import CheckpointSchedules
import CheckpointStorage
import Testing
@testable import CheckpointedAD

@Suite struct DiskBudgetTests {
    @Test func aMeasuredBudgetCarriesEveryMeasuredFigure() {
        let measured = DiskSpeedMeasurement(writeLatency: 1e-4, readLatency: 2e-5, writeBandwidth: 3e8, readBandwidth: 4e8, sampleSizes: [64, 1_000])
        let budget = DiskBudget(bytes: 5_000, directory: "/scratch", measured: measured)
        #expect(budget.bytes == 5_000 && budget.directory == "/scratch")
        #expect(budget.writeLatency == 1e-4 && budget.readLatency == 2e-5 && budget.writeBandwidth == 3e8 && budget.readBandwidth == 4e8)
    }

    @Test func anAssumedBudgetUsesThePlannersDefaultLatencies() {
        let budget = DiskBudget.megabytes(10)
        #expect(budget.writeLatency == PlanningProblem.defaultDiskWriteLatency && budget.readLatency == PlanningProblem.defaultDiskReadLatency)
    }
}
