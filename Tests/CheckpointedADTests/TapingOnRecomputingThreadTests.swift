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

/// `CheckpointingOptions.tapesOnRecomputingThread`: the recomputing thread tapes each x[i]
/// and hands its pullback over; the gradient stays bitwise the one-thread and store-all
/// gradient, each pullback is applied at its own step on the caller's thread, and the
/// queue is shortened so that its states and tapes fit where the queue's states did.
@Suite struct TapingOnRecomputingThreadTests {
    typealias Step = CheckpointedStep<Vector, Double, Vector, Double>
    typealias Loss = CheckpointedLoss<Vector, Double, Vector, Double>

    static var observations: Loss { Loss(at: .every(3)) { x, a, i in (x * x).sum() * (0.1 + Double(i % 5)) + a * x.sum() } }
    static var final: Loss { Loss.final { $0.halfSquaredNorm() } }
    /// (n, slots): a tree with a long queue (shortened by the option), short ones, n = 1 and 2.
    static let grid: [(steps: Int, slots: Int)] = [(1, 4), (2, 3), (17, 6), (200, 40), (300, 16)]

    static var taping: CheckpointingOptions {
        var options = CheckpointingOptions.keepingTwoThreads
        options.tapesOnRecomputingThread = true
        return options
    }

    /// The tree the strategy plans for n steps and s slots (the default ρ), nil when the
    /// slots are too few for one (the segment-layout fallback).
    static func tree(steps n: Int, slots s: Int) throws -> PipelinedReversal? {
        try PipelinedReversal.rememberedBest(steps: n, states: s, reverseCost: ParallelReversalLayout.defaultReverseCost)
    }

    @Test func handWrittenPullbackTapedOnTheRecomputingThreadGivesTheStoreAllGradientBitwise() throws {
        let dt = 0.01, forcing = 8.0
        let x0 = Lorenz96.initialState(count: 12, forcing: forcing)
        for (n, s) in Self.grid {
            let (log, step) = StepLog.lorenz96(from: x0, steps: n, forcing: forcing, dt: dt)
            func run(_ strategy: Checkpointing<Vector>, _ options: CheckpointingOptions = .keepingTwoThreads) throws
                -> CheckpointedGradient<Vector, Vector, Double>
            {
                try valueWithCheckpointedGradient(
                    at: x0, parameters: forcing, steps: n, checkpointing: strategy, options: options, step: step,
                    losses: [Self.observations, Self.final])
            }
            let storeAll = try run(.storeAll)
            let one = try run(.revolve(memory: .slots(s)))
            let off = try run(.revolve(memory: .slots(s), threads: 2))
            log.clear()
            let caller = pthread_self()
            let on = try run(.revolve(memory: .slots(s), threads: 2), Self.taping)
            for reference in [storeAll, one, off] {
                #expect(on.initialState == reference.initialState, "n = \(n), s = \(s)")
                #expect(on.parameters == reference.parameters, "n = \(n), s = \(s)")
                #expect(on.value == reference.value, "n = \(n), s = \(s)")
                #expect(on.finalState == reference.finalState, "n = \(n), s = \(s)")
            }
            #expect(log.wrongInputs.isEmpty, "n = \(n), s = \(s): \(log.wrongInputs)")
            let events = log.events
            let taped = events.filter { $0.kind != .forward }
            #expect(taped.map(\.step) == Array((0..<n).reversed()), "n = \(n), s = \(s)")
            #expect(taped.filter { $0.step == n - 1 }.allSatisfy { pthread_equal($0.thread, caller) != 0 })
            let onThreads = try #require(on.statistics.parallel), offThreads = try #require(off.statistics.parallel)
            guard let tree = try Self.tree(steps: n, slots: s) else {
                // The segment layout ignores the option: the caller's thread tapes every step.
                #expect(onThreads.branching == nil && onThreads.handOffDepth == offThreads.handOffDepth, "n = \(n), s = \(s)")
                #expect(taped.allSatisfy { pthread_equal($0.thread, caller) != 0 }, "n = \(n), s = \(s)")
                continue
            }
            // Step n−1 is taped by the recording sweep; every other step by the recomputing thread.
            #expect(taped.filter { $0.step < n - 1 }.allSatisfy { $0.kind == .pullback && pthread_equal($0.thread, caller) == 0 })
            // The queue: the tree's depth with the option off, its states over 1 + workspaceStates with it on (two at least).
            let reduced = Swift.max(2, tree.handOffDepth / (1 + Self.taping.workspaceStates))
            #expect(offThreads.handOffDepth == tree.handOffDepth, "n = \(n), s = \(s)")
            #expect(onThreads.handOffDepth == reduced, "n = \(n), s = \(s)")
            #expect(onThreads.peakHandedOff <= reduced && offThreads.peakHandedOff <= tree.handOffDepth, "n = \(n), s = \(s)")
            #expect(on.statistics.advances == off.statistics.advances)
        }
        // The grid has a queue the option shortens.
        let long = try #require(try Self.tree(steps: 200, slots: 40))
        #expect(Swift.max(2, long.handOffDepth / 5) < long.handOffDepth)
    }

    @Test func swiftADStepWithoutPullbackGivesTheOneThreadGradientBitwise() throws {
        var generator = SplitMix64(seed: 63)
        let x0 = Vector.random(count: 6, using: &generator)
        let step = CheckpointedStep(nonlinearStep)
        for (n, s) in Self.grid {
            func run(_ strategy: Checkpointing<Vector>, _ options: CheckpointingOptions = .keepingTwoThreads) throws
                -> CheckpointedGradient<Vector, Vector, Double>
            {
                try valueWithCheckpointedGradient(
                    at: x0, parameters: 0.7, steps: n, checkpointing: strategy, options: options, step: step,
                    losses: [Self.observations, Self.final])
            }
            let on = try run(.revolve(memory: .slots(s), threads: 2), Self.taping)
            for reference in [try run(.storeAll), try run(.revolve(memory: .slots(s)))] {
                #expect(on.initialState == reference.initialState, "n = \(n), s = \(s)")
                #expect(on.parameters == reference.parameters, "n = \(n), s = \(s)")
                #expect(on.value == reference.value, "n = \(n), s = \(s)")
            }
        }
    }

    /// Each handed pullback notes the step it was taped for when it is applied: the caller's
    /// thread applies them in the order n−1, …, 0, each at the reverse of its own step.
    @Test func eachHandedPullbackIsAppliedAtItsOwnStepOnTheCallersThread() throws {
        let base = CheckpointedStep(nonlinearStep)
        let lock = NSLock()
        var applied: [(step: Int, thread: pthread_t)] = []
        func noting(_ pullback: @escaping Step.Pullback, _ i: Int) -> Step.Pullback {
            { seed in
                lock.withLock { applied.append((i, pthread_self())) }
                return pullback(seed)
            }
        }
        let step = Step(
            forward: base.forward,
            valueWithPullback: { x, p, i in
                let (value, pullback) = base.valueWithPullback(x, p, i)
                return (value, noting(pullback, i))
            },
            pullback: { x, p, i in noting(base.valueWithPullback(x, p, i).pullback, i) })
        var generator = SplitMix64(seed: 64)
        let x0 = Vector.random(count: 5, using: &generator)
        let n = 120
        let caller = pthread_self()
        let on = try valueWithCheckpointedGradient(
            at: x0, parameters: 0.4, steps: n, checkpointing: .revolve(memory: .slots(30), threads: 2), options: Self.taping, step: step,
            losses: [Self.observations, Self.final])
        let reference = try valueWithCheckpointedGradient(
            at: x0, parameters: 0.4, steps: n, checkpointing: .storeAll, step: base, losses: [Self.observations, Self.final])
        #expect(on.initialState == reference.initialState && on.parameters == reference.parameters)
        let log = lock.withLock { applied }
        #expect(log.map(\.step) == Array((0..<n).reversed()))
        #expect(log.allSatisfy { pthread_equal($0.thread, caller) != 0 })
        #expect(try #require(on.statistics.parallel).peakHandedOff >= 1)
    }

    /// Under a byte budget the queue's states and tapes are counted in the resident bytes,
    /// and the gradient is still the one-thread gradient.
    @Test func residentBytesCountTheQueuedTapes() throws {
        let x0 = Lorenz96.initialState(count: 32, forcing: 8)
        let stateBytes = x0.checkpointByteCount
        let n = 300
        let budget = MemoryBudget.bytes(40 * stateBytes)
        let strategy = Checkpointing<Vector>.revolve(memory: budget, threads: 2)
        let off = CheckpointingOptions.keepingTwoThreads, on = Self.taping
        let resolvedOff = try strategy.resolve(steps: n, initialState: x0, stateBytes: stateBytes, options: off) { StepTimes(advance: 1, reverse: 2.5) }
        let resolvedOn = try strategy.resolve(steps: n, initialState: x0, stateBytes: stateBytes, options: on) { StepTimes(advance: 1, reverse: 2.5) }
        guard case let .pipelined(tree) = resolvedOn.source else { Issue.record("no tree for \(budget)"); return }
        let w = on.workspaceStates
        let depth = Swift.max(2, tree.handOffDepth / (1 + w))
        let queued = Swift.max(tree.handOffDepth, depth * (1 + w) + w)
        let offBytes = resolvedOff.residentBytes(stateBytes: stateBytes, steps: n, options: off)
        let onBytes = resolvedOn.residentBytes(stateBytes: stateBytes, steps: n, options: on)
        #expect(offBytes == (tree.peakSlots + tree.handOffDepth + Checkpointing<Vector>.parallelWorkingStates + 4 + w) * stateBytes)
        #expect(onBytes - offBytes == (queued - tree.handOffDepth) * stateBytes)
        #expect(onBytes > offBytes, "the tapes held by the queue and the recomputing thread are counted")
        let step = Lorenz96.kernelRungeKutta4(dt: 0.01)
        let one = try valueWithCheckpointedGradient(
            at: x0, parameters: 8.0, steps: n, checkpointing: .revolve(memory: budget), step: step, losses: [Self.final])
        let two = try valueWithCheckpointedGradient(
            at: x0, parameters: 8.0, steps: n, checkpointing: strategy, options: on, step: step, losses: [Self.final])
        #expect(two.initialState == one.initialState && two.parameters == one.parameters)
        #expect(try #require(two.statistics.parallel).peakHandedOff <= depth)
    }
}
