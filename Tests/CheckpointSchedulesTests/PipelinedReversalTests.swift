import Testing
@testable import CheckpointSchedules

/// The pipelined two-thread schedule: a legal one-thread stream (the generic simulator), a
/// legal two-thread stream (the parallel simulator), its counts as predicted, and the
/// parallel simulator's own checks fail on broken streams.
@Suite struct PipelinedReversalTests {
    static let shapes: [[Int]] = [[], [1], [2], [3], [7], [2, 2], [3, 2], [4, 3, 2], [2, 2, 2, 2], [5, 1, 3]]

    @Test(arguments: shapes)
    func everyStreamIsALegalScheduleOnOneAndTwoThreads(branching: [Int]) throws {
        for n in [1, 2, 3, 5, 8, 13, 40, 97, 200] {
            for depth in [1, 3, 50] {
                let schedule = try PipelinedReversal(steps: n, branching: branching, handOffDepth: depth)
                let stats = try ScheduleSimulator.run(schedule)
                #expect(stats.reverses == n)
                #expect(stats.peakSlots[.memory, default: 0] == schedule.peakSlots || n == 1)
                let report = try ParallelStreamSimulator.run(
                    schedule.actions(), steps: n, slots: schedule.peakSlots, handOffDepth: depth)
                #expect(report.recordingAdvances == n - 1, "n = \(n), \(branching): the recording sweep runs once to x[n−1]")
                #expect(report.recomputingAdvances == schedule.recomputationAdvances)
                #expect(stats.advances == n - 1 + schedule.recomputationAdvances)
                #expect(report.peakSlots == schedule.peakSlots)
                #expect(report.peakQueued <= depth)
            }
        }
    }

    /// The lazy stream is the array-building generator's stream (kept in the tests as the
    /// reference), action for action, with the same peak of slots and count of advances.
    @Test(arguments: shapes + [[6, 4, 3], [12, 12, 12], [2, 7, 1, 2]])
    func theLazyStreamIsTheMaterialisedTreesStream(branching: [Int]) throws {
        for n in [1, 2, 3, 5, 8, 13, 40, 97, 200, 1009] {
            for depth in [1, 3, 50] {
                let schedule = try PipelinedReversal(steps: n, branching: branching, handOffDepth: depth)
                var reference = ReferencePipelineStreamBuilder(tree: ReferencePipelineTree(steps: n, branching: branching), emitting: true)
                reference.build()
                let lazy = Array(schedule)
                #expect(lazy.count == reference.actions.count, "n = \(n), \(branching)")
                if let first = lazy.indices.first(where: { $0 < reference.actions.count && lazy[$0] != reference.actions[$0] }) {
                    Issue.record("n = \(n), \(branching): action \(first) is \(lazy[first]), the reference's \(reference.actions[first])")
                }
                #expect(schedule.actionCount == reference.actions.count)
                #expect(schedule.peakSlots == reference.slots.peak)
                #expect(schedule.recomputationAdvances == reference.recomputationAdvances)
                #expect(schedule.longestLeaf == (reference.tree.leaves.map(\.count).max() ?? 1))
            }
        }
    }

    /// Brute force: every leaf but the last-child leaves is filled once from its first
    /// state, and every sweep of a non-last child runs once over its range, so P's advances
    /// are Σ over those ranges of (length − 1).
    @Test func recomputationIsOneSweepPerNonLastChild() throws {
        for (n, branching) in [(100, [4, 5]), (97, [3, 3, 3]), (1000, [10, 10]), (64, [2, 2, 2, 2, 2])] {
            let tree = ReferencePipelineTree(steps: n, branching: branching)
            let expected = tree.sweeps.reduce(0) { $0 + $1.range.count - 1 }
            let schedule = try PipelinedReversal(steps: n, branching: branching, handOffDepth: 4)
            #expect(schedule.recomputationAdvances == expected, "n = \(n), \(branching)")
            // Σ_ℓ (1 − 1/K_ℓ)·n up to rounding of the ranges' lengths.
            let estimate = branching.reduce(0.0) { $0 + (1 - 1 / Double($1)) } * Double(n)
            #expect(abs(Double(expected) - estimate) <= Double(tree.sweeps.count), "n = \(n), \(branching)")
        }
    }

    /// One level (every leaf stored whole, the next filled while R reverses one): with
    /// ρ ≥ 2 and a queue of a leaf, R never waits and the reverse sweep takes exactly n·ρ.
    @Test func oneLevelWithASlowReverseHidesAllRecomputation() throws {
        let schedule = try PipelinedReversal(steps: 1000, branching: [20], handOffDepth: 50)
        let report = try ParallelStreamSimulator.run(schedule.actions(), steps: 1000, slots: schedule.peakSlots, handOffDepth: 50, reverseCost: 2)
        #expect(report.reversingWait == 0)
        #expect(report.reverseSweepTime == 2 * 1000)
        #expect(report.recordingTime == 999)
        // 20 checkpoints, one leaf being filled, nothing parked at the end of a share.
        #expect(schedule.peakSlots <= 20 + 50 + 1)
    }

    @Test func plannerFitsTheBuffersAndBeatsOneThreadsTime() throws {
        for (n, states) in [(10_000, 64), (2000, 40), (300, 20)] {
            let schedule = try #require(try PipelinedReversal.best(steps: n, states: states, reverseCost: 2.7))
            #expect(schedule.states <= states, "n = \(n), \(states) states: \(schedule)")
            // Per thread: P's checkpoints and queued states within the budget's states (its
            // current state is one of the working states counted apart).
            _ = try ParallelStreamSimulator.run(
                schedule.actions(), steps: n, slots: schedule.peakSlots, handOffDepth: schedule.handOffDepth, recomputingStates: states + 1)
            let time = schedule.predictedTime(reverseCost: 2.7)
            // One thread needs t(n, s) advances plus n reverses.
            let oneThread = Double(try BinomialCheckpointing.minimalAdvances(steps: n, slots: states)) + 2.7 * Double(n)
            #expect(time < oneThread, "n = \(n), \(states) states: \(schedule) predicts \(time), one thread \(oneThread)")
        }
        #expect(try PipelinedReversal.best(steps: 10_000, states: 2) == nil)
    }

    /// The screen keeps each branching once, best first, and no more than its limit however
    /// many states a byte budget gives (it once held every shape: 55 MB at 3,000 states).
    @Test func theScreenIsBoundedAndHoldsEachTreeOnce() throws {
        for (n, states) in [(10_000, 9_000), (100_000, 3_000), (300, 20)] {
            let shapes = PipelinedReversal.screenedShapes(steps: n, states: states, reverseCost: 2.5)
            #expect(!shapes.isEmpty && shapes.count <= PipelinedReversal.screenedShapeLimit)
            #expect(Set(shapes.map(\.branching)).count == shapes.count, "n = \(n), \(states) states: a branching twice")
            #expect(zip(shapes, shapes.dropFirst()).allSatisfy { ($0.estimate, $0.buffers) <= ($1.estimate, $1.buffers) })
            for shape in shapes {
                #expect(shape.buffers <= states + states / 4)
                // The fewest buffers for this branching: one leaf state fewer per leaf would not cover n.
                let below = shape.branching.dropFirst().reduce(1, *)
                let leaf = (shape.buffers - shape.top - (shape.depth - 1) * (shape.lower + 1) - shape.depth) / 2
                #expect(leaf == 1 || (n + (leaf - 1) * below - 1) / ((leaf - 1) * below) != shape.top)
            }
        }
        #expect(PipelinedReversal.screenedShapes(steps: 10_000_000, states: 9_000, reverseCost: 2.5).count == PipelinedReversal.screenedShapeLimit)
    }

    /// The remembered choice is `best`'s, for a tree and for "none fits", and the memory of
    /// choices stays within its limit.
    @Test func aRememberedChoiceIsTheChoice() throws {
        for (n, states, rho) in [(2000, 40, 2.5), (2000, 40, 2.7), (300, 20, 2.5), (10_000, 2, 2.5)] {
            let chosen = try PipelinedReversal.best(steps: n, states: states, reverseCost: rho)
            #expect(try PipelinedReversal.rememberedBest(steps: n, states: states, reverseCost: rho) == chosen)
            #expect(PipelinedReversal.remembers(steps: n, states: states, reverseCost: rho))
            #expect(try PipelinedReversal.rememberedBest(steps: n, states: states, reverseCost: rho) == chosen)
        }
        #expect(throws: ScheduleError.self) { try PipelinedReversal.rememberedBest(steps: 0, states: 10) }
        for n in 10..<(12 + PipelinedReversal.rememberedPlanLimit) {
            _ = try PipelinedReversal.rememberedBest(steps: n, states: 8)
            #expect(PipelinedReversal.rememberedPlanCount <= PipelinedReversal.rememberedPlanLimit)
        }
    }

    @Test func theParallelSimulatorCatchesBrokenStreams() throws {
        let schedule = try PipelinedReversal(steps: 40, branching: [4, 2], handOffDepth: 4)
        let actions = schedule.actions()
        // A read before the write: drop the first store P makes after the recording sweep.
        let split = actions.firstIndex(of: .endForward)!
        let firstStore = actions[(split + 2)...].firstIndex { if case .store = $0 { true } else { false } }!
        var unwritten = actions
        unwritten.remove(at: firstStore)
        #expect(throws: ScheduleViolation.self) {
            try ParallelStreamSimulator.run(unwritten, steps: 40, slots: schedule.peakSlots, handOffDepth: 4)
        }
        // The memory bound: one slot fewer than the peak.
        #expect(throws: ScheduleViolation.self) {
            try ParallelStreamSimulator.run(actions, steps: 40, slots: schedule.peakSlots - 1, handOffDepth: 4)
        }
        // The memory bound per thread: P holds its slots, its state and the queue, never more.
        let report = try ParallelStreamSimulator.run(actions, steps: 40, slots: schedule.peakSlots, handOffDepth: 4)
        #expect(report.peakRecomputingStates <= schedule.peakSlots + 1 + 4)
        _ = try ParallelStreamSimulator.run(
            actions, steps: 40, slots: schedule.peakSlots, handOffDepth: 4, recomputingStates: report.peakRecomputingStates)
        #expect(throws: ScheduleViolation.self) {
            try ParallelStreamSimulator.run(
                actions, steps: 40, slots: schedule.peakSlots, handOffDepth: 4, recomputingStates: report.peakRecomputingStates - 1)
        }
        // Hand-overs out of order: swap two consecutive leaves' first hand-overs.
        let reverses = actions.indices.filter { if case .reverse = actions[$0] { true } else { false } }
        var swapped = actions
        swapped.swapAt(reverses[1] - 1, reverses[2] - 1)
        swapped.swapAt(reverses[1], reverses[2])
        #expect(throws: ScheduleViolation.self) {
            try ParallelStreamSimulator.run(swapped, steps: 40, slots: schedule.peakSlots, handOffDepth: 4)
        }
    }
}
