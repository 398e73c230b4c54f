import CheckpointSchedules
import Foundation
import Testing
@testable import CheckpointedAD

/// A real run's trace survives JSON, and the simulator accepts what was read back.
@Suite struct ScheduleTraceJSONTests {
    @Test func traceRoundTripsThroughJSON() throws {
        var options = CheckpointingOptions()
        options.recordsTrace = true
        let g = try valueWithCheckpointedGradient(at: Vector([0.2, -0.1, 0.4]), parameters: 1.0, steps: 25,
            checkpointing: .revolve(memory: .slots(3)), options: options, step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        let trace = try #require(g.trace)
        let data = try trace.jsonData()
        let decoded = try ScheduleTrace(jsonData: data)
        #expect(decoded == trace)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""kind":"advance""#) && text.contains(#""stateBytes":24"#))
        let replayed = try ScheduleSimulator.run(decoded.actions, steps: 25, capacities: decoded.capacities)
        #expect(replayed.advances == g.statistics.advances && replayed.reverses == 25)
    }

    /// A trace written before the storage I/O fields existed still loads, without them.
    @Test func anOldTraceWithoutIOFactsLoads() throws {
        let old = #"""
        {"capacities":{"disk":1,"memory":1},"events":[
        {"bytes":320,"duration":2e-06,"kind":"store","level":"disk","slot":0,"start":0,"step":0},
        {"bytes":0,"duration":1e-06,"from":0,"kind":"advance","start":2e-06,"to":1},
        {"bytes":0,"duration":1e-06,"kind":"endForward","start":3e-06},
        {"bytes":0,"duration":4e-06,"kind":"reverse","start":4e-06,"step":1},
        {"bytes":320,"duration":3e-06,"kind":"restore","level":"disk","release":true,"slot":0,"start":8e-06,"step":0},
        {"bytes":0,"duration":4e-06,"kind":"reverse","start":1.1e-05,"step":0},
        {"bytes":0,"duration":1e-07,"kind":"endReverse","start":1.5e-05}],
        "stateBytes":320,"steps":2}
        """#
        let trace = try ScheduleTrace(jsonData: Data(old.utf8))
        #expect(trace.events.count == 7 && trace.events[4].action == .restore(step: 0, level: .disk, slot: 0, release: true))
        #expect(!trace.events.contains(where: \.hasStorageFacts) && trace.events.allSatisfy { $0.readAheadRequestSeconds == nil })
        #expect(try ScheduleSimulator.run(trace.actions, steps: 2, capacities: trace.capacities).reverses == 2)
    }

    /// The I/O facts survive JSON, under their own keys, and absent ones stay absent.
    @Test func ioFactsRoundTripThroughJSON() throws {
        var store = TraceEvent(action: .store(step: 4, level: .disk, slot: 1), start: 0.5, duration: 1e-5, bytes: 328)
        store.storedBytes = 200
        store.waitSeconds = 2e-6
        store.backgroundSeconds = 7e-5
        var restore = TraceEvent(action: .restore(step: 4, level: .disk, slot: 1, release: true), start: 0.7, duration: 3e-6, bytes: 328)
        restore.storedBytes = 200
        restore.waitSeconds = 0
        restore.backgroundSeconds = 5e-5
        restore.source = .readAhead
        restore.readAheadRequestSeconds = 4e-6
        let trace = ScheduleTrace(steps: 5, stateBytes: 320, capacities: [.disk: 2], events: [store, restore])
        let data = try trace.jsonData()
        #expect(try ScheduleTrace(jsonData: data) == trace)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""source":"readAhead""#) && text.contains(#""storedBytes":200"#))
        #expect(text.components(separatedBy: "readAheadRequestSeconds").count == 2, "only the restore has a request")
    }
}
