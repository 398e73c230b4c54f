import Testing
import CheckpointSchedules
@testable import ScheduleInspector

/// `rewind plan --threads 2`: the budget's states, less the working ones, hold the layout.
@Suite struct ParallelPlanReportTests {
    @Test func layoutFitsTheStatesTheBudgetLeaves() throws {
        let state = 32_768
        let report = try ParallelPlanReport(
            steps: 10_000, stateSize: ByteCount(state), memory: ByteCount((10 + 64) * state), reservedStates: 10,
            advanceTime: 16e-6, reverseTime: 44e-6)
        #expect(report.states == 61)
        #expect(report.layout.peakSlots + report.layout.handOffDepth <= report.states)
        #expect(report.predictedSeconds >= report.storeAllSeconds)
        #expect(report.rendered(as: .text).contains("\(report.layout)"))
        #expect(report.rendered(as: .json).contains("\"handOffDepth\": \(report.layout.handOffDepth)"))
    }

    @Test func tooLittleMemoryNamesTheFix() {
        #expect(throws: InspectorError.self) {
            try ParallelPlanReport(
                steps: 100, stateSize: ByteCount(1000), memory: ByteCount(14_000), reservedStates: 10, advanceTime: 1e-6, reverseTime: 3e-6)
        }
    }
}
