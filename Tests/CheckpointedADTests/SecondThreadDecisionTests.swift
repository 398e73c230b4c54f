import _Differentiation
import CheckpointSchedules
import Foundation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Whether `.revolve(memory:threads: 2)` takes the second thread: a step that advances in
/// less than `CheckpointingOptions.minimumAdvanceSecondsForSecondThread` (given or measured)
/// runs on one thread, says so in the statistics, and gives the one-thread gradient bit for
/// bit; a slower step keeps two threads, and the tree search it pays for is bounded by what
/// the step costs.
@Suite struct SecondThreadDecisionTests {
    static var final: CheckpointedLoss<Vector, Double, Vector, Double> { .final { $0.halfSquaredNorm() } }

    static func gradient(_ strategy: Checkpointing<Vector>, _ x0: Vector, steps n: Int, options: CheckpointingOptions = CheckpointingOptions(),
                         step: CheckpointedStep<Vector, Double, Vector, Double> = CheckpointedStep(nonlinearStep)) throws
        -> CheckpointedGradient<Vector, Vector, Double>
    {
        try valueWithCheckpointedGradient(at: x0, parameters: 0.3, steps: n, checkpointing: strategy, options: options, step: step,
                                          losses: [final])
    }

    @Test func givenCheapStepTimesRunOnOneThreadAndSaySo() throws {
        var generator = SplitMix64(seed: 81)
        let x0 = Vector.random(count: 6, using: &generator)
        let one = try Self.gradient(.revolve(memory: .slots(30)), x0, steps: 500)
        let declined = try Self.gradient(.revolve(memory: .slots(30), threads: 2, stepTimes: StepTimes(advance: 2e-7, reverse: 6e-7)),
                                         x0, steps: 500)
        #expect(declined.statistics.parallel == nil)
        #expect(declined.statistics.schedule.contains("one thread: a step advances in 0.2 µs, below the 1.0 µs"),
                "\(declined.statistics.schedule)")
        #expect(declined.initialState == one.initialState && declined.parameters == one.parameters && declined.value == one.value)
        #expect(declined.statistics.advances == one.statistics.advances)
    }

    @Test func givenTimesAtTheMinimumKeepTwoThreads() throws {
        var generator = SplitMix64(seed: 83)
        let x0 = Vector.random(count: 6, using: &generator)
        let one = try Self.gradient(.revolve(memory: .slots(30)), x0, steps: 500)
        let two = try Self.gradient(.revolve(memory: .slots(30), threads: 2, stepTimes: StepTimes(advance: 1e-6, reverse: 3e-6)),
                                    x0, steps: 500)
        #expect(two.statistics.parallel != nil)
        #expect(two.initialState == one.initialState && two.parameters == one.parameters)
    }

    /// Measured, not given: a step that returns its state (well under a microsecond, even
    /// in a debug build) is declined, one that spins for 20 µs keeps two threads.
    @Test func measuredStepTimesDecide() throws {
        var generator = SplitMix64(seed: 85)
        let small = Vector.random(count: 2, using: &generator)
        let identity = CheckpointedStep<Vector, Double, Vector, Double>(
            forward: { x, _, _ in x }, valueWithPullback: { x, _, _ in (x, { ($0, 0) }) }, pullback: nil)
        let cheap = try Self.gradient(.revolve(memory: .slots(20), threads: 2), small, steps: 200, step: identity)
        #expect(cheap.statistics.parallel == nil, "\(cheap.statistics.schedule)")
        #expect(cheap.statistics.schedule.contains("one thread"))
        let slow = CheckpointedStep<Vector, Double, Vector, Double> { (x: Vector, a: Double, i: Int) -> Vector in
            spin(microseconds: 20)
            return nonlinearStep(x, a, i)
        }
        let two = try Self.gradient(.revolve(memory: .slots(20), threads: 2), small, steps: 60, step: slow)
        #expect(two.statistics.parallel != nil, "\(two.statistics.schedule)")
        let one = try Self.gradient(.revolve(memory: .slots(20)), small, steps: 60, step: slow)
        #expect(two.initialState == one.initialState && two.parameters == one.parameters)
    }

    @Test func theTreeSearchWalksWhatTheStepCostAllows() throws {
        // 5% of a 0.2 + 0.2 + 0.6 µs gradient step buys less than one walk; 5% of a
        // millisecond step buys hundreds.
        #expect(Checkpointing<Vector>.planningWalks(StepTimes(advance: 2e-7, reverse: 6e-7)) == 1)
        #expect(Checkpointing<Vector>.planningWalks(StepTimes(advance: 1e-3, reverse: 2.5e-3)) == 562)
        #expect(Checkpointing<Vector>.planningWalks(StepTimes(advance: .infinity, reverse: 1)) == 1)
        let (n, states) = (3000, 40)
        let full = try #require(try PipelinedReversal.best(steps: n, states: states))
        let one = try #require(try PipelinedReversal.best(steps: n, states: states, walks: 1))
        let again = try #require(try PipelinedReversal.best(steps: n, states: states, walks: 1))
        #expect(one.branching == again.branching && one.handOffDepth == again.handOffDepth)
        let rho = ParallelReversalLayout.defaultReverseCost, margin = PipelinedReversal.recomputingMargin
        #expect(one.predictedTime(reverseCost: rho, recomputingCost: margin) >= full.predictedTime(reverseCost: rho, recomputingCost: margin) - 1e-9)
        #expect(one.peakSlots + one.handOffDepth <= states)
        #expect(one.branching != full.branching || one.handOffDepth != full.handOffDepth, "one walk chose what the full search chose: \(one)")
        let unbounded = try #require(try PipelinedReversal.best(steps: n, states: states, walks: 1_000_000))
        #expect(unbounded.branching == full.branching && unbounded.handOffDepth == full.handOffDepth)
    }
}

/// Busy-waits `microseconds` of wall time.
func spin(microseconds: Double) {
    let end = DispatchTime.now().uptimeNanoseconds + UInt64(microseconds * 1000)
    while DispatchTime.now().uptimeNanoseconds < end {}
}
