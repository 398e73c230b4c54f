import _Differentiation
import CheckpointSchedules
import CheckpointStorage
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Online checkpointed gradients against store-all (bitwise) for random stop points, and
/// their cost against the online schedule's closed form.
@Suite struct CheckpointedADOnlineTests {
    /// Random stop points, found by a step count and by a condition on the state; every
    /// gradient equals the store-all gradient of the same n bit for bit.
    @Test func randomStopPointsEqualStoreAllBitwise() throws {
        var generator = SplitMix64(seed: 505)
        for trial in 0..<24 {
            let n = Int(generator.next() % 150) + 1
            let slots = Int(generator.next() % 8) + 1
            let dimension = Int(generator.next() % 5) + 2
            let x0 = Vector.random(count: dimension, using: &generator)
            let a = Double.random(in: 0.5...1.5, using: &generator)
            let useWang = trial % 3 == 2
            let schedule: any OnlineCheckpointSchedule = useWang ? OnlineWang(slots: slots) : OnlineStummWalther(slots: slots)
            let context = "trial \(trial) (seed 505): n = \(n), s = \(slots), \(useWang ? "Wang" : "Stumm–Walther")"
            let online = try valueWithCheckpointedGradient(at: x0, parameters: a, steps: Int.max,
                checkpointing: .online(schedule, until: { _, i in i == n }), step: nonlinearStep,
                loss: { x in x.halfSquaredNorm() })
            let reference = try valueWithCheckpointedGradient(at: x0, parameters: a, steps: n,
                checkpointing: .schedule(StoreAll(steps: n)), step: nonlinearStep, loss: { x in x.halfSquaredNorm() })
            #expect(online.statistics.steps == n, "\(context)")
            #expect(online.finalState == reference.finalState, "\(context)")
            #expect(online.value == reference.value, "\(context)")
            #expect(online.initialState == reference.initialState, "\(context)")
            #expect(online.parameters == reference.parameters, "\(context)")
            // The cost: the closed form of the final layout, plus the step that discovered the end.
            let simulated = try Self.simulatedAdvances(schedule, steps: n)
            #expect(online.statistics.advances == simulated + 1, "\(context)")
            #expect(online.statistics.reverses == n, "\(context)")
        }
    }

    static func simulatedAdvances(_ schedule: some OnlineCheckpointSchedule, steps n: Int) throws -> Int {
        try ScheduleSimulator.run(OnlineScheduleReplay(schedule, steps: n)).advances
    }

    /// A stop condition on the state: run until the norm crosses a threshold.
    @Test func stopsOnAConditionOfTheState() throws {
        var generator = SplitMix64(seed: 77)
        let x0 = Vector.random(count: 4, using: &generator)
        let growth: @differentiable(reverse) (Vector, Double, @noDerivative Int) -> Vector = { x, a, i in
            x + 0.01 * a * x + Double(i % 2) * 0.001
        }
        let threshold = 1.5 * x0.halfSquaredNorm()
        let online = try valueWithCheckpointedPullback(at: x0, parameters: 1.0, steps: Int.max,
            checkpointing: .online(memory: .slots(4), until: { x, _ in x.halfSquaredNorm() > threshold }),
            step: CheckpointedStep(growth))
        // n is the first step whose state crosses the threshold.
        var x = x0
        var n = 0
        while x.halfSquaredNorm() <= threshold { x = growth(x, 1.0, n); n += 1 }
        #expect(online.pullback.steps == n)
        #expect(online.value == x)
        let gradient = try online.pullback(x)
        let (xn, referencePullback) = try valueWithCheckpointedPullback(at: x0, parameters: 1.0, steps: n,
            checkpointing: .schedule(StoreAll(steps: n)), step: CheckpointedStep(growth))
        #expect(xn == x)
        let reference = try referencePullback(x)
        #expect(gradient.initialState == reference.initialState)
        #expect(gradient.parameters == reference.parameters)
    }

    @Test func zeroAndMaximalSteps() throws {
        let x0 = Vector([1, 2])
        let none = try valueWithCheckpointedPullback(at: x0, parameters: 0.5, steps: Int.max,
            checkpointing: .online(memory: .slots(2), until: { _, _ in true }), step: CheckpointedStep(nonlinearStep))
        #expect(none.pullback.steps == 0)
        #expect(none.value == x0)
        #expect(try none.pullback(Vector([3, 4])).initialState == Vector([3, 4]))
        let capped = try valueWithCheckpointedPullback(at: x0, parameters: 0.5, steps: 37,
            checkpointing: .online(memory: .slots(3), until: { _, _ in false }), step: CheckpointedStep(nonlinearStep))
        #expect(capped.pullback.steps == 37)
    }

    @Test func byteBudgetTurnsIntoSlots() throws {
        // 2-element vectors: 16 bytes each; the driver's working copies come first.
        let x0 = Vector([0.3, -0.2])
        let working = CheckpointingOptions().workingBytes(steps: 0, stateBytes: 16)
        let g = try valueWithCheckpointedGradient(at: x0, parameters: 1.0, steps: Int.max,
            checkpointing: .online(memory: .bytes(working + 5 * 16), until: { _, i in i == 60 }), step: nonlinearStep,
            loss: { x in x.halfSquaredNorm() })
        #expect(g.statistics.capacities[.memory] == 5)
        #expect(throws: CheckpointingError.self) {
            try valueWithCheckpointedGradient(at: x0, parameters: 1.0, steps: Int.max,
                checkpointing: .online(memory: .bytes(working), until: { _, i in i == 60 }), step: nonlinearStep,
                loss: { x in x.halfSquaredNorm() })
        }
    }

    /// A schedule at another level writes to the store given for it (a memory store stands
    /// in for the disk level here); without one the run refuses to start.
    @Test func storeGivenForTheSchedulesLevel() throws {
        var generator = SplitMix64(seed: 9)
        let x0 = Vector.random(count: 3, using: &generator)
        let n = 97
        let disk = MemoryCheckpointStore<Vector>(capacity: 6, bytesPerState: 24)
        let onDisk = try valueWithCheckpointedGradient(at: x0, parameters: 0.8, steps: Int.max,
            checkpointing: .online(OnlineStummWalther(slots: 6, level: .disk), stores: [.disk: disk], until: { _, i in i == n }),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        let reference = try valueWithCheckpointedGradient(at: x0, parameters: 0.8, steps: n,
            checkpointing: .schedule(StoreAll(steps: n)), step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        #expect(onDisk.initialState == reference.initialState)
        #expect(onDisk.parameters == reference.parameters)
        #expect((onDisk.statistics.stores[.disk] ?? 0) > 0)
        #expect(disk.bytesInUse == 0)  // every checkpoint released by the end
        #expect(throws: CheckpointingError.missingStore(level: .disk, slots: 6)) {
            try valueWithCheckpointedGradient(at: x0, parameters: 0.8, steps: Int.max,
                checkpointing: .online(OnlineStummWalther(slots: 6, level: .disk), until: { _, i in i == n }),
                step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        }
    }

    /// A second pullback replays the run with Revolve on the same slots and level: its result
    /// equals the store-all pullback of the same seed bit for bit, and the store it used is
    /// empty again afterwards.
    @Test func laterPullbacksReplayWithRevolve() throws {
        var generator = SplitMix64(seed: 606)
        for trial in 0..<8 {
            let n = Int(generator.next() % 120) + 1
            let slots = Int(generator.next() % 6) + 1
            let x0 = Vector.random(count: 3, using: &generator)
            let context = "trial \(trial) (seed 606): n = \(n), s = \(slots)"
            let disk = MemoryCheckpointStore<Vector>(capacity: slots, bytesPerState: 24)
            let online = try valueWithCheckpointedPullback(at: x0, parameters: 0.9, steps: Int.max,
                checkpointing: .online(OnlineStummWalther(slots: slots, level: .disk), stores: [.disk: disk], until: { _, i in i == n }),
                step: CheckpointedStep(nonlinearStep))
            let (_, reference) = try valueWithCheckpointedPullback(at: x0, parameters: 0.9, steps: n,
                checkpointing: .schedule(StoreAll(steps: n)), step: CheckpointedStep(nonlinearStep))
            for _ in 0..<3 {
                let seed = Vector.random(count: 3, using: &generator)
                let gradient = try online.pullback(seed)
                let expected = try reference(seed)
                #expect(gradient.initialState == expected.initialState && gradient.parameters == expected.parameters, "\(context)")
                #expect(disk.bytesInUse == 0, "\(context)")
            }
        }
    }
}
