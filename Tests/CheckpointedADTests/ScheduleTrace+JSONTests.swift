import CheckpointSchedules
import Testing
@testable import CheckpointedAD

/// A real run's trace survives JSON, and the simulator accepts what was read back.
@Suite struct ScheduleTraceJSONTests {
    @Test func traceRoundTripsThroughJSON() throws {
        var options = CheckpointingOptions()
        options.recordsTrace = true
        let g = try gradient(at: Vector([0.2, -0.1, 0.4]), parameters: 1.0, steps: 25, memory: .slots(3), options: options,
                             step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        let trace = try #require(g.trace)
        let data = try trace.jsonData()
        let decoded = try ScheduleTrace(jsonData: data)
        #expect(decoded == trace)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""kind":"advance""#) && text.contains(#""stateBytes":24"#))
        let replayed = try ScheduleSimulator.run(decoded.actions, steps: 25, capacities: decoded.capacities)
        #expect(replayed.advances == g.statistics.advances && replayed.reverses == 25)
    }
}
