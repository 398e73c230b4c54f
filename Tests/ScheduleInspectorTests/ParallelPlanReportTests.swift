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
        let tree = try #require(report.tree, "64 states hold a pipelined tree for 10^4 steps")
        #expect(report.layout == nil)
        #expect(tree.states <= report.states)
        #expect(report.predictedSeconds >= report.storeAllSeconds)
        #expect(report.predictedSeconds < report.oneThreadSeconds)
        #expect(report.rendered(as: .text).contains("\(tree)"))
        #expect(report.rendered(as: .json).contains("\"handOffDepth\": \(tree.handOffDepth)"))
        // Two states hold no tree: the segment layout.
        let small = try ParallelPlanReport(
            steps: 100, stateSize: ByteCount(1000), memory: ByteCount(15_000), reservedStates: 10, advanceTime: 1e-6, reverseTime: 3e-6)
        let layout = try #require(small.layout)
        #expect(small.tree == nil && layout.peakSlots + layout.handOffDepth <= small.states)
    }

    @Test func tooLittleMemoryNamesTheFix() {
        #expect(throws: InspectorError.self) {
            try ParallelPlanReport(
                steps: 100, stateSize: ByteCount(1000), memory: ByteCount(14_000), reservedStates: 10, advanceTime: 1e-6, reverseTime: 3e-6)
        }
    }
}
