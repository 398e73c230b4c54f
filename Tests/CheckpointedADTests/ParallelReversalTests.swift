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

/// Reversal on two threads: bitwise the one-thread and store-all gradients, the thread
/// and ordering invariants of the run, and the budget accounting.
@Suite struct ParallelReversalTests {
    /// (n, slots) pairs: n smaller than the slots, 1–3 slots, n = 1, and several segments.
    static let grid: [(steps: Int, slots: Int)] = [
        (1, 1), (1, 4), (2, 1), (2, 2), (3, 1), (3, 2), (3, 3), (5, 9), (7, 2), (7, 3), (17, 3), (40, 5), (64, 8), (200, 12),
    ]

    @Test func swiftADStepEqualsOneThreadAndStoreAllBitwise() throws {
        var generator = SplitMix64(seed: 16)
        let x0 = Vector.random(count: 6, using: &generator)
        let observations = CheckpointedLoss<Vector, Double, Vector, Double>(at: .every(3)) { x, a, i in
            (x * x).sum() * (0.1 + Double(i % 5)) + a * x.sum()
        }
        let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        let step = CheckpointedStep(nonlinearStep)
        for (n, s) in Self.grid {
            func run(_ strategy: Checkpointing<Vector>) throws -> CheckpointedGradient<Vector, Vector, Double> {
                try valueWithCheckpointedGradient(
                    at: x0, parameters: 0.7, steps: n, checkpointing: strategy, options: .keepingTwoThreads, step: step,
                    losses: [observations, final])
            }
            let storeAll = try run(.storeAll)
            let one = try run(.revolve(memory: .slots(s)))
            let two = try run(.revolve(memory: .slots(s), threads: 2))
            for reference in [storeAll, one] {
                #expect(two.initialState == reference.initialState, "n = \(n), s = \(s)")
                #expect(two.parameters == reference.parameters, "n = \(n), s = \(s)")
                #expect(two.value == reference.value, "n = \(n), s = \(s)")
                #expect(two.finalState == reference.finalState, "n = \(n), s = \(s)")
            }
            let plan = try Self.plan(steps: n, slots: s)
            let threads = try #require(two.statistics.parallel)
            if threads.branching == nil { #expect(try plan.advances == ParallelReversalLayout(steps: n, slots: s).predictedAdvances) }
            #expect(two.statistics.advances == plan.advances, "n = \(n), s = \(s)")
            #expect(two.statistics.reverses == n)
            #expect(threads.peakCheckpoints <= plan.peakSlots && plan.peakSlots <= s, "n = \(n), s = \(s)")
            #expect(threads.peakHandedOff <= plan.handOffDepth)
            #expect(one.statistics.parallel == nil)
        }
    }

    @Test func handWrittenStepRunsEachStateOnlyAfterItIsWritten() throws {
        let dt = 0.01, forcing = 8.0
        let x0 = Lorenz96.initialState(count: 12, forcing: forcing)
        for (n, s) in Self.grid {
            let (log, step) = StepLog.lorenz96(from: x0, steps: n, forcing: forcing, dt: dt)
            let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
            let reference = try valueWithCheckpointedGradient(
                at: x0, parameters: forcing, steps: n, checkpointing: .storeAll, step: step, losses: [final])
            log.clear()
            let caller = pthread_self()
            let two = try valueWithCheckpointedGradient(
                at: x0, parameters: forcing, steps: n, checkpointing: .revolve(memory: .slots(s), threads: 2), options: .keepingTwoThreads, step: step,
                losses: [final])
            #expect(two.initialState == reference.initialState, "n = \(n), s = \(s)")
            #expect(two.parameters == reference.parameters, "n = \(n), s = \(s)")
            let events = log.events
            // No state is read before it is written: every call saw x[i] bit for bit.
            #expect(log.wrongInputs.isEmpty, "n = \(n), s = \(s): \(log.wrongInputs)")
            // Every taped step and pullback runs on the caller's thread, in the order n−1, …, 0.
            let reverses = events.filter { $0.kind != .forward }
            #expect(reverses.map(\.step) == Array((0..<n).reversed()), "n = \(n), s = \(s)")
            #expect(reverses.allSatisfy { pthread_equal($0.thread, caller) != 0 })
            // After the recording sweep, every advance runs on the recomputing thread.
            let firstReverse = try #require(events.firstIndex { $0.kind != .forward })
            let recomputation = events[(firstReverse + 1)...].filter { $0.kind == .forward }
            #expect(recomputation.allSatisfy { pthread_equal($0.thread, caller) == 0 }, "n = \(n), s = \(s)")
            #expect(events.count { $0.kind == .forward } == (try Self.plan(steps: n, slots: s).advances))
            #expect(two.statistics.parallel!.peakCheckpoints <= s)
        }
    }

    @Test func byteBudgetCountsTheSecondThreadsWorkingStates() throws {
        let x0 = Lorenz96.initialState(count: 32, forcing: 8)
        let stateBytes = 32 * 8
        var options = CheckpointingOptions.keepingTwoThreads
        options.workspaceStates = 6
        let step = Lorenz96.kernelRungeKutta4(dt: 0.01)
        let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        let states = 12
        let budget = (4 + 6 + Checkpointing<Vector>.parallelWorkingStates + states) * stateBytes
        let n = 300
        let two = try valueWithCheckpointedGradient(
            at: x0, parameters: 8.0, steps: n, checkpointing: .revolve(memory: .bytes(budget), threads: 2), options: options,
            step: step, losses: [final])
        let one = try valueWithCheckpointedGradient(
            at: x0, parameters: 8.0, steps: n, checkpointing: .revolve(memory: .bytes(budget)), options: options, step: step,
            losses: [final])
        #expect(two.initialState == one.initialState)
        #expect(two.parameters == one.parameters)
        let threads = try #require(two.statistics.parallel)
        // Checkpoints and queue share the states the budget leaves after both threads' working sets.
        #expect(two.statistics.capacities[.memory]! + threads.handOffDepth <= states)
        #expect(threads.peakCheckpoints + threads.handOffDepth <= states)
        #expect(one.statistics.capacities[.memory] == states + Checkpointing<Vector>.parallelWorkingStates)
        #expect(two.statistics.peakCheckpointBytes + threads.handOffDepth * stateBytes <= states * stateBytes)
        // One byte less than the working sets, one checkpoint and one queued state is a typed error.
        let tooSmall = (4 + 6 + Checkpointing<Vector>.parallelWorkingStates + 2) * stateBytes - 1
        #expect(throws: CheckpointingError.self) {
            try valueWithCheckpointedGradient(
                at: x0, parameters: 8.0, steps: n, checkpointing: .revolve(memory: .bytes(tooSmall), threads: 2), options: options,
                step: step, losses: [final])
        }
    }

    @Test func pullbackTwiceReplaysAndGivesTheSameBits() throws {
        var generator = SplitMix64(seed: 5)
        let x0 = Vector.random(count: 5, using: &generator)
        let driver = try CheckpointedDriver(
            at: x0, parameters: 0.4, steps: 60, checkpointing: .revolve(memory: .slots(6), threads: 2),
            step: CheckpointedStep(nonlinearStep))
        let xn = try driver.forward()
        let first = try driver.pullback(xn)
        let second = try driver.pullback(xn)
        #expect(first.initialState == second.initialState)
        #expect(first.parameters == second.parameters)
        #expect(driver.statistics.reverses == 120)
    }

    @Test func oneThreadIsTodaysStrategyAndUnsupportedRequestsAreTypedErrors() throws {
        #expect("\(Checkpointing<Vector>.revolve(memory: .slots(4), threads: 1))" == "\(Checkpointing<Vector>.revolve(memory: .slots(4)))")
        let x0 = Vector([1, 2, 3])
        #expect(throws: CheckpointingError.unsupportedThreadCount(3)) {
            try valueWithCheckpointedGradient(
                at: x0, parameters: 0.5, steps: 10, checkpointing: .revolve(memory: .slots(4), threads: 3), step: nonlinearStep,
                loss: { $0.halfSquaredNorm() })
        }
        var options = CheckpointingOptions.keepingTwoThreads
        options.recordsTrace = true
        // Two slots are below any pipelined tree: the segment layout runs, which records no trace.
        #expect(throws: CheckpointingError.unsupportedWithThreads(option: "recordsTrace")) {
            try valueWithCheckpointedGradient(
                at: x0, parameters: 0.5, steps: 10, checkpointing: .revolve(memory: .slots(2), threads: 2), options: options,
                step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        }
        let zero = try valueWithCheckpointedGradient(
            at: x0, parameters: 0.5, steps: 0, checkpointing: .revolve(memory: .slots(4), threads: 2), step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        #expect(zero.initialState == x0)
    }

    /// What `.revolve(memory: .slots(s), threads: 2)` plays: the pipelined tree when one
    /// fits in s states, else the segment layout.
    static func plan(steps n: Int, slots s: Int) throws -> (advances: Int, peakSlots: Int, handOffDepth: Int) {
        if let tree = try PipelinedReversal.best(steps: n, states: s) {
            return (n - 1 + tree.recomputationAdvances, tree.states, tree.handOffDepth)
        }
        let layout = try ParallelReversalLayout(steps: n, slots: s)
        return (try layout.predictedAdvances, layout.peakSlots, layout.handOffDepth)
    }
}

/// A thread-safe record of every step call: which thread, which kind, which step, and
/// whether its input was the true x[i].
final class StepLog: @unchecked Sendable {
    enum Kind { case forward, taped, pullback }
    struct Event { var thread: pthread_t; var kind: Kind; var step: Int }

    private let lock = NSLock()
    private let truth: [Vector]
    private var recorded: [Event] = []
    private var wrong: [String] = []

    init(truth: [Vector]) { self.truth = truth }

    var events: [Event] { lock.withLock { recorded } }
    var wrongInputs: [String] { lock.withLock { wrong } }
    func clear() { lock.withLock { recorded = []; wrong = [] } }

    private func note(_ kind: Kind, _ i: Int, _ x: Vector) {
        lock.withLock {
            recorded.append(Event(thread: pthread_self(), kind: kind, step: i))
            if x != truth[i] { wrong.append("\(kind) of step \(i)") }
        }
    }

    /// The fused Lorenz-96 RK4 step (forward, taped and pullback-only), recording every call
    /// against the true trajectory x[0…n] from `x0`.
    static func lorenz96(from x0: Vector, steps n: Int, forcing: Double, dt: Double)
        -> (log: StepLog, step: CheckpointedStep<Vector, Double, Vector, Double>)
    {
        var truth = [x0]
        for i in 0..<n { truth.append(Lorenz96.step(truth[i], forcing, dt)) }
        let log = StepLog(truth: truth)
        return (log, log.recording(CheckpointedStep(
            forward: { x, p, _ in Lorenz96.step(x, p, dt) },
            valueWithPullback: { x, p, _ in Lorenz96.stepWithPullback(x, p, dt) },
            pullback: { x, p, _ in Lorenz96.pullback(x, p, dt) })))
    }

    /// `step`, noting every call.
    func recording(_ step: CheckpointedStep<Vector, Double, Vector, Double>) -> CheckpointedStep<Vector, Double, Vector, Double> {
        CheckpointedStep(
            forward: { x, p, i in self.note(.forward, i, x); return step.forward(x, p, i) },
            valueWithPullback: { x, p, i in self.note(.taped, i, x); return step.valueWithPullback(x, p, i) },
            pullback: { x, p, i in self.note(.pullback, i, x); return step.pullback!(x, p, i) })
    }
}
