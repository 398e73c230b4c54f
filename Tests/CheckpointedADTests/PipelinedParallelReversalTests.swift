import _Differentiation
import CheckpointSchedules
import Foundation
import Testing
@testable import CheckpointedAD
import RewindExamples
import RewindTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The pipelined checkpoint tree on two threads: bitwise the store-all gradient for every
/// tree shape, each state read only after it is written, a trace whose events name their
/// thread and replay as a legal stream, and the determinism and finiteness checks.
@Suite struct PipelinedParallelReversalTests {
    static let shapes: [(steps: Int, branching: [Int], depth: Int)] = [
        (1, [], 1), (2, [2], 1), (3, [], 2), (7, [3], 1), (17, [3, 2], 2), (40, [4, 2, 2], 3), (64, [2, 2, 2, 2], 1),
        (97, [5, 3], 8), (200, [6, 3, 2], 4),
    ]

    typealias Step = CheckpointedStep<Vector, Double, Vector, Double>

    /// Runs `schedule` on two threads through the engine itself and returns (x̄0, p̄, engine).
    static func run(
        _ schedule: PipelinedReversal, at x0: Vector, parameters p: Double, options: CheckpointingOptions = CheckpointingOptions(),
        step: Step, losses: [CheckpointedLoss<Vector, Double, Vector, Double>]
    ) throws -> (Vector, Double, PipelinedParallelReversal<Vector, Double, Vector, Double>) {
        let engine = PipelinedParallelReversal(
            schedule: schedule, initialState: x0, parameters: p, stateBytes: x0.checkpointByteCount, measuredBytes: x0.checkpointByteCount,
            memorySlots: schedule.peakSlots, options: options, step: step, losses: losses)
        let xn = try engine.forward()
        let (x0Bar, pBar) = try engine.pullback(Vector(repeating: 0, count: xn.count))
        return (x0Bar, pBar, engine)
    }

    @Test func everyShapeGivesTheStoreAllGradientBitwise() throws {
        let dt = 0.01, forcing = 8.0
        let x0 = Lorenz96.initialState(count: 12, forcing: forcing)
        let observations = CheckpointedLoss<Vector, Double, Vector, Double>(at: .every(3)) { x, a, i in
            (x * x).sum() * (0.1 + Double(i % 5)) + a * x.sum()
        }
        let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        for (n, branching, depth) in Self.shapes {
            let (log, step) = StepLog.lorenz96(from: x0, steps: n, forcing: forcing, dt: dt)
            let reference = try valueWithCheckpointedGradient(
                at: x0, parameters: forcing, steps: n, checkpointing: .storeAll, step: step, losses: [observations, final])
            log.clear()
            let schedule = try PipelinedReversal(steps: n, branching: branching, handOffDepth: depth)
            let caller = pthread_self()
            let (x0Bar, pBar, engine) = try Self.run(schedule, at: x0, parameters: forcing, step: step, losses: [observations, final])
            #expect(x0Bar == reference.initialState, "n = \(n), \(branching)")
            #expect(pBar == reference.parameters, "n = \(n), \(branching)")
            #expect(engine.lossValue == reference.value, "n = \(n), \(branching)")
            #expect(log.wrongInputs.isEmpty, "n = \(n), \(branching): \(log.wrongInputs)")
            let events = log.events
            let reverses = events.filter { $0.kind != .forward }
            #expect(reverses.map(\.step) == Array((0..<n).reversed()), "n = \(n), \(branching)")
            #expect(reverses.allSatisfy { pthread_equal($0.thread, caller) != 0 })
            let firstReverse = try #require(events.firstIndex { $0.kind != .forward })
            #expect(events[(firstReverse + 1)...].filter { $0.kind == .forward }.allSatisfy { pthread_equal($0.thread, caller) == 0 })
            #expect(engine.statistics.advances == n - 1 + schedule.recomputationAdvances)
            let threads = try #require(engine.statistics.parallel)
            #expect(threads.peakCheckpoints <= schedule.peakSlots)
            #expect(threads.peakHandedOff <= depth)
            #expect(threads.branching == branching)
        }
    }

    @Test func theStrategyPlansATreeWithinTheBudgetAndMatchesOneThreadBitwise() throws {
        var generator = SplitMix64(seed: 61)
        let x0 = Vector.random(count: 6, using: &generator)
        let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        for (n, s) in [(300, 24), (1000, 30), (50, 14)] {
            let one = try valueWithCheckpointedGradient(
                at: x0, parameters: 0.3, steps: n, checkpointing: .revolve(memory: .slots(s)), step: CheckpointedStep(nonlinearStep),
                losses: [final])
            let two = try valueWithCheckpointedGradient(
                at: x0, parameters: 0.3, steps: n, checkpointing: .revolve(memory: .slots(s), threads: 2), options: .keepingTwoThreads,
                step: CheckpointedStep(nonlinearStep), losses: [final])
            #expect(two.initialState == one.initialState && two.parameters == one.parameters, "n = \(n), s = \(s)")
            let threads = try #require(two.statistics.parallel)
            #expect(threads.branching != nil, "n = \(n), s = \(s): a tree fits")
            #expect(threads.peakCheckpoints + threads.handOffDepth <= s, "n = \(n), s = \(s)")
        }
    }

    /// Given step times, the strategy plans the tree for their ratio (the planner's own
    /// choice at that ρ, which differs from the default's here), still bitwise the one-thread
    /// gradient; times that are not positive are refused with a typed error.
    @Test func givenStepTimesChooseTheTreeForTheirRatio() throws {
        var generator = SplitMix64(seed: 62)
        let x0 = Vector.random(count: 6, using: &generator)
        let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        let (n, s) = (1000, 30)
        let one = try valueWithCheckpointedGradient(
            at: x0, parameters: 0.3, steps: n, checkpointing: .revolve(memory: .slots(s)), step: CheckpointedStep(nonlinearStep),
            losses: [final])
        var chosen: [[Int]] = []
        // Millisecond steps: the planner may walk every candidate (`planningWalks`).
        for times in [StepTimes(advance: 1e-3, reverse: 1.2e-3), StepTimes(advance: 1e-3, reverse: 4e-3)] {
            let two = try valueWithCheckpointedGradient(
                at: x0, parameters: 0.3, steps: n, checkpointing: .revolve(memory: .slots(s), threads: 2, stepTimes: times),
                step: CheckpointedStep(nonlinearStep), losses: [final])
            #expect(two.initialState == one.initialState && two.parameters == one.parameters)
            let walks = Checkpointing<Vector>.planningWalks(times)
            #expect(walks >= 16)
            let expected = try #require(try PipelinedReversal.best(steps: n, states: s, reverseCost: times.reverse / times.advance, walks: walks))
            let branching = try #require(two.statistics.parallel?.branching)
            #expect(branching == expected.branching, "ρ = \(times.reverse / times.advance)")
            chosen.append(branching)
        }
        let byDefault = try #require(try PipelinedReversal.best(steps: n, states: s))
        #expect(chosen[0] != byDefault.branching || chosen[1] != byDefault.branching, "the ratio changed no choice: \(chosen)")
        #expect(throws: CheckpointingError.self) {
            try valueWithCheckpointedGradient(
                at: x0, parameters: 0.3, steps: n,
                checkpointing: .revolve(memory: .slots(s), threads: 2, stepTimes: StepTimes(advance: 0, reverse: 1e-6)),
                step: CheckpointedStep(nonlinearStep), losses: [final])
        }
    }

    @Test func theTraceNamesEachActionsThreadAndReplaysAsALegalStream() throws {
        let schedule = try PipelinedReversal(steps: 40, branching: [4, 2], handOffDepth: 3)
        var options = CheckpointingOptions.keepingTwoThreads
        options.recordsTrace = true
        let x0 = Lorenz96.initialState(count: 8, forcing: 8)
        let (_, _, engine) = try Self.run(schedule, at: x0, parameters: 8, options: options, step: Lorenz96.kernelRungeKutta4(dt: 0.01), losses: [.final { $0.halfSquaredNorm() }])
        let trace = try #require(engine.trace)
        #expect(trace.actions == schedule.actions())
        _ = try ScheduleSimulator.run(trace.actions, steps: 40, capacities: trace.capacities)
        _ = try ParallelStreamSimulator.run(trace.actions, steps: 40, slots: schedule.peakSlots, handOffDepth: 3)
        let split = try #require(trace.events.firstIndex { $0.kind == .endForward })
        #expect(trace.events.allSatisfy { $0.thread != nil })
        #expect(trace.events[...split].allSatisfy { $0.thread == 0 }, "the recording sweep is the caller's")
        #expect(trace.events.filter { $0.kind == .reverse }.allSatisfy { $0.thread == 0 })
        #expect(trace.events[(split + 1)...].filter { $0.kind == .advance }.allSatisfy { $0.thread == 1 })
        // JSON keeps each event's thread.
        #expect(try ScheduleTrace(jsonData: trace.jsonData()) == trace)
        // Through the strategy, the gradient carries the same kind of trace.
        let g = try valueWithCheckpointedGradient(
            at: x0, parameters: 8.0, steps: 40, checkpointing: .revolve(memory: .slots(16), threads: 2), options: options,
            step: Lorenz96.kernelRungeKutta4(dt: 0.01), losses: [.final { $0.halfSquaredNorm() }])
        let planned = try #require(g.trace)
        #expect(planned.events.contains { $0.thread == 1 } && planned.events.allSatisfy { $0.thread != nil })
        _ = try ScheduleSimulator.run(planned.actions, steps: 40, capacities: planned.capacities)
        // The reverses ran in order n−1, …, 0: their start times increase.
        let reverseStarts = trace.events.filter { $0.kind == .reverse }.sorted { $0.step! > $1.step! }.map(\.start)
        #expect(reverseStarts == reverseStarts.sorted())
    }

    @Test func aNonDeterministicRecomputationIsCaughtOnTheRecomputingThread() throws {
        var options = CheckpointingOptions.keepingTwoThreads
        options.checksDeterminism = true
        let schedule = try PipelinedReversal(steps: 30, branching: [3, 2], handOffDepth: 2)
        let x0 = Lorenz96.initialState(count: 8, forcing: 8)
        let honest = Lorenz96.kernelRungeKutta4(dt: 0.01)
        let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        let reference = try valueWithCheckpointedGradient(at: x0, parameters: 8, steps: 30, checkpointing: .storeAll, step: honest, losses: [final])
        let (x0Bar, _, _) = try Self.run(schedule, at: x0, parameters: 8, options: options, step: honest, losses: [final])
        #expect(x0Bar == reference.initialState, "deterministic: the check passes and changes nothing")
        // A step that perturbs x[13] on any thread but the caller's.
        let caller = pthread_self()
        let drifting = Step(
            forward: { x, p, i in
                let y = honest.forward(x, p, i)
                return i == 12 && pthread_equal(pthread_self(), caller) == 0 ? y + Vector(repeating: 1e-12, count: y.count) : y
            },
            valueWithPullback: honest.valueWithPullback, pullback: honest.pullback)
        #expect(throws: CheckpointingError.nonDeterministicStep(step: 13)) {
            try Self.run(schedule, at: x0, parameters: 8, options: options, step: drifting, losses: [final])
        }
        var finite = CheckpointingOptions.keepingTwoThreads
        finite.checksFiniteness = true
        let blowingUp = Step(
            forward: { x, p, i in i == 20 ? Vector(repeating: .nan, count: x.count) : honest.forward(x, p, i) },
            valueWithPullback: honest.valueWithPullback, pullback: honest.pullback)
        #expect(throws: CheckpointingError.nonFiniteState(step: 21)) {
            try valueWithCheckpointedGradient(
                at: x0, parameters: 8, steps: 30, checkpointing: .revolve(memory: .slots(12), threads: 2), options: finite, step: blowingUp,
                losses: [final])
        }
    }
}
