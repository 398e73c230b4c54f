import Foundation
import Testing
@testable import CheckpointSchedules

@Suite struct PlanningProblemCodableTests {
    /// A problem as JSON was written before disk latencies existed.
    static let withoutLatencies = """
        {"steps":100,"stateSize":1000000,"memory":12000000,"disk":1000000000,"advanceTime":0.001,"reverseTime":0.003,\
        "diskWriteBandwidth":500000000,"diskReadBandwidth":1000000000,\
        "codecs":[{"name":"z","ratio":1.5,"compressionSpeed":1000000000,"decompressionSpeed":1600000000}],"reservedStates":7}
        """

    @Test func jsonWithoutLatenciesDecodesWithLatenciesOfZero() throws {
        let problem = try JSONDecoder().decode(PlanningProblem.self, from: Data(Self.withoutLatencies.utf8))
        #expect(problem.diskWriteLatency == 0 && problem.diskReadLatency == 0)
        #expect(problem.steps == 100 && problem.stateSize == .megabytes(1) && problem.disk == .gigabytes(1))
        #expect(problem.diskWriteBandwidth == 500e6 && problem.memoryBandwidth == nil && problem.reservedStates == 7)
        #expect(problem.codecs.map(\.name) == ["z"])
    }

    @Test func latenciesSurviveARoundTrip() throws {
        let problem = PlanningProblem(
            steps: 10, stateSize: 320, memory: .kilobytes(10), disk: .megabytes(2), advanceTime: 2e-6, reverseTime: 7e-6,
            diskWriteLatency: 0.25e-3, diskReadLatency: 40e-6, memoryBandwidth: 1e10)
        let decoded = try JSONDecoder().decode(PlanningProblem.self, from: JSONEncoder().encode(problem))
        #expect(decoded == problem)
    }

    @Test func theDefaultLatenciesAreTheDocumentedOnes() {
        let problem = PlanningProblem(steps: 10, stateSize: 320, memory: .kilobytes(10), advanceTime: 1, reverseTime: 3)
        #expect(problem.diskWriteLatency == 50e-6 && problem.diskReadLatency == 30e-6)
    }
}
