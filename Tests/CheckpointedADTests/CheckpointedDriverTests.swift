import _Differentiation
import CheckpointSchedules
import Foundation
import CheckpointStorage
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// The driver against independent truths: store-all (bitwise), finite differences, the
/// dot-product test and the simulator's counts.
@Suite struct CheckpointedDriverTests {
    /// Random (n ≤ 300, slots ≤ 20): checkpointed gradients equal store-all's bit for bit
    /// and finite differences to 1e-6.
    @Test func randomCheckpointedGradientsEqualStoreAllAndFiniteDifferences() throws {
        for seed in UInt64(1)...40 {
            var generator = SplitMix64(seed: seed)
            let n = Int.random(in: 1...300, using: &generator)
            let slots = Int.random(in: 1...20, using: &generator)
            let size = Int.random(in: 1...6, using: &generator)
            let x0 = Vector.random(count: size, using: &generator)
            let a = Double.random(in: 0.5...1.5, using: &generator)
            let reference = try valueWithCheckpointedGradient(at: x0, parameters: a, steps: n,
                checkpointing: .schedule(StoreAll(steps: n)), step: nonlinearStep, loss: { $0.halfSquaredNorm() })
            let checkpointed = try valueWithCheckpointedGradient(at: x0, parameters: a, steps: n,
                checkpointing: .revolve(memory: .slots(slots)), step: nonlinearStep, loss: { $0.halfSquaredNorm() })
            let context = "seed \(seed): n = \(n), slots = \(slots), N = \(size)"
            #expect(checkpointed.initialState == reference.initialState, "\(context)")
            #expect(checkpointed.parameters == reference.parameters, "\(context)")
            #expect(checkpointed.value == reference.value, "\(context)")
            #expect(checkpointed.statistics.advances == (try BinomialCheckpointing.minimalAdvances(steps: n, slots: slots)), "\(context)")
            // Finite differences along a random direction in x0, and in a.
            let v = Vector.random(count: size, using: &generator)
            let loss = { (x: Vector, a: Double) in iterate(nonlinearStep, from: x, parameters: a, steps: n).halfSquaredNorm() }
            let dx = centralDifference({ loss($0, a) }, at: x0, along: v)
            let da = (loss(x0, a + 1e-6) - loss(x0, a - 1e-6)) / 2e-6
            #expect(relativeDifference(checkpointed.initialState.dot(v), dx) < 1e-6, "\(context): \(checkpointed.initialState.dot(v)) vs \(dx), gradient \(checkpointed.initialState), loss \(reference.value)")
            #expect(relativeDifference(checkpointed.parameters, da) < 1e-6, "\(context)")
        }
    }

    /// ⟨u, J v⟩ = ⟨Jᵀu, v⟩ for the map x0 ↦ x[n]: exactly (to rounding) for a linear step,
    /// where J v = F(v); by finite differences for a nonlinear one.
    @Test(arguments: [1, 2, 7, 40])
    func dotProductTest(steps n: Int) throws {
        var generator = SplitMix64(seed: UInt64(100 + n))
        let size = 5
        let W = Matrix(rows: size, columns: size, scalars: (0.4 * Vector.random(count: size * size, using: &generator)).scalars)
        let linear: @differentiable(reverse) (Vector, Double, @noDerivative Int) -> Vector = { x, a, i in
            matmul(W, x) + a * x.rolled(by: i % 2 == 0 ? 1 : -2)
        }
        let u = Vector.random(count: size, using: &generator), v = Vector.random(count: size, using: &generator)
        let (_, pullback) = try valueWithCheckpointedPullback(at: v, parameters: 0.3, steps: n, checkpointing: .revolve(memory: .slots(3)), step: CheckpointedStep(linear))
        let Jv = iterate({ linear($0, $1, $2) }, from: v, parameters: 0.3, steps: n)
        #expect(relativeDifference(u.dot(Jv), try pullback(u).initialState.dot(v)) < 1e-12)

        let x0 = Vector.random(count: size, using: &generator)
        let (_, nonlinearPullback) = try valueWithCheckpointedPullback(at: x0, parameters: 0.9, steps: n,
            checkpointing: .revolve(memory: .slots(2)), step: CheckpointedStep(nonlinearStep))
        let JvByDifferences = centralDifference({ iterate(nonlinearStep, from: $0, parameters: 0.9, steps: n).dot(u) }, at: x0, along: v)
        #expect(relativeDifference(try nonlinearPullback(u).initialState.dot(v), JvByDifferences) < 1e-7)
    }

    /// A step that counts its executions: advances and reverses equal the simulator's.
    @Test func executionsEqualTheSimulatorsCounts() throws {
        final class Counter { var forward = 0, taped = 0, pullbacks = 0 }
        for (n, slots) in [(1, 1), (10, 3), (50, 7), (100, 4), (225, 15), (37, 40)] {
            for schedule in [try Revolve(steps: n, slots: slots), try Periodic(steps: n, period: slots), try StoreAll(steps: n)] as [any CheckpointSchedule] {
                for pullbackOnly in [false, true] {
                    let counter = Counter()
                    let step = CheckpointedStep<Double, Double, Double, Double>(
                        forward: { x, a, _ in counter.forward += 1; return a * x },
                        valueWithPullback: { x, a, _ in
                            counter.taped += 1
                            return (a * x, { ybar in counter.pullbacks += 1; return (a * ybar, x * ybar) })
                        },
                        pullback: pullbackOnly ? { x, a, _ in
                            counter.taped += 1
                            return { ybar in counter.pullbacks += 1; return (a * ybar, x * ybar) }
                        } : nil)
                    let g = try valueWithCheckpointedGradient(at: 1.0, parameters: 1.01, steps: n,
                        checkpointing: .schedule(schedule), step: step,
                        losses: [CheckpointedLoss(at: .final, value: { x, _, _ in x }, valueWithGradient: { x, _, _ in (x, 1, 0) })])
                    let expected = try ScheduleSimulator.run(schedule)
                    #expect(counter.forward == expected.advances, "\(schedule)")
                    #expect(counter.taped == expected.reverses && counter.pullbacks == n, "\(schedule)")
                    #expect(g.statistics.advances == expected.advances && g.statistics.reverses == n)
                    #expect(g.statistics.totalStores == expected.totalStores && g.statistics.totalRestores == expected.totalRestores)
                    // d(a^n x)/dx = a^n, d/da = n a^(n−1) x.
                    #expect(relativeDifference(g.initialState, pow(1.01, Double(n))) < 1e-13)
                    #expect(relativeDifference(g.parameters, Double(n) * pow(1.01, Double(n - 1))) < 1e-13)
                }
            }
        }
    }

    /// The pullback may be called twice; the second call replays the schedule and agrees.
    @Test func pullbackCalledTwiceIsCorrect() throws {
        var generator = SplitMix64(seed: 7)
        let x0 = Vector.random(count: 4, using: &generator)
        let u1 = Vector.random(count: 4, using: &generator), u2 = Vector.random(count: 4, using: &generator)
        let driver = try CheckpointedDriver(at: x0, parameters: 1.1, steps: 60,
            checkpointing: .revolve(memory: .slots(4)), step: CheckpointedStep(nonlinearStep))
        _ = try driver.forward()
        let first = try driver.pullback(u1)
        let second = try driver.pullback(u2)
        let again = try driver.pullback(u1)
        #expect(again.initialState == first.initialState && again.parameters == first.parameters)
        let (_, fresh) = try valueWithCheckpointedPullback(at: x0, parameters: 1.1, steps: 60, checkpointing: .revolve(memory: .slots(9)), step: CheckpointedStep(nonlinearStep))
        let reference = try fresh(u2)
        #expect(second.initialState == reference.initialState && second.parameters == reference.parameters)
        #expect(driver.statistics.reverses == 180)
    }

    /// A given store (here a `MemoryCheckpointStore` standing in as the disk level) gives the
    /// same gradient bit for bit as the built-in memory level, and the determinism check
    /// raises no false alarm on a deterministic step.
    @Test func givenStoreAndDeterminismCheck() throws {
        var generator = SplitMix64(seed: 21)
        let x0 = Vector.random(count: 5, using: &generator)
        let n = 77
        let reference = try valueWithCheckpointedGradient(at: x0, parameters: 0.9, steps: n, checkpointing: .revolve(memory: .slots(6)), step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        var options = CheckpointingOptions()
        options.checksDeterminism = true
        options.checksFiniteness = true
        let disk = MemoryCheckpointStore<Vector>(capacity: 6, bytesPerState: 40)
        let onDisk = try valueWithCheckpointedGradient(at: x0, parameters: 0.9, steps: n,
            checkpointing: .schedule(try Revolve(steps: n, slots: 6, level: .disk), stores: [.disk: disk]),
            options: options, step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        #expect(onDisk.initialState == reference.initialState && onDisk.parameters == reference.parameters)
        #expect(onDisk.statistics.stores[.disk] == reference.statistics.stores[.memory])
        #expect(onDisk.statistics.peakCheckpointBytes == disk.peakBytes && disk.bytesInUse == 0)
    }

    /// n = 0 is the identity; the value is x[n] before the pullback runs.
    @Test func zeroStepsIsTheIdentity() throws {
        let x0: Vector = [1, 2]
        let (value, pullback) = try valueWithCheckpointedPullback(at: x0, parameters: 2.0, steps: 0, checkpointing: .storeAll, step: CheckpointedStep(nonlinearStep))
        #expect(value == x0)
        let g = try pullback([3, 4])
        #expect(g.initialState == [3, 4] && g.parameters == 0)
        let (xn, _) = try valueWithCheckpointedPullback(at: x0, parameters: 2.0, steps: 5, checkpointing: .revolve(memory: .slots(2)), step: CheckpointedStep(nonlinearStep))
        #expect(xn == iterate(nonlinearStep, from: x0, parameters: 2.0, steps: 5))
    }

    /// A byte budget becomes Revolve with the slots that fit after the working copies.
    @Test func byteBudgetBecomesSlots() throws {
        let x0 = Vector(repeating: 0.1, count: 128)   // 1024 bytes
        var options = CheckpointingOptions()
        options.workspaceStates = 2
        // 6 working copies + 10 slots.
        let g = try valueWithCheckpointedGradient(at: x0, parameters: 1.0, steps: 100,
            checkpointing: .revolve(memory: .bytes(16 * 1024 + 100)), options: options, step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        #expect(g.statistics.capacities[.memory] == 10)
        #expect(g.statistics.advances == (try BinomialCheckpointing.minimalAdvances(steps: 100, slots: 10)))
        #expect(g.statistics.peakCheckpointBytes <= 10 * 1024 && g.statistics.peakCheckpointBytes > 0)
    }

    /// The trace lists every action in order; the simulator accepts it.
    @Test func traceReplaysThroughTheSimulator() throws {
        var options = CheckpointingOptions()
        options.recordsTrace = true
        var reported: [Int] = []
        options.progress = { reported.append($0.stepsReversed) }
        let g = try valueWithCheckpointedGradient(at: Vector([0.3, 0.2]), parameters: 1.0, steps: 30,
            checkpointing: .revolve(memory: .slots(4)), options: options, step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        let trace = try #require(g.trace)
        #expect(trace.actions == Array(try Revolve(steps: 30, slots: 4)))
        #expect(trace.events.allSatisfy { $0.duration >= 0 })
        #expect(reported.first == 0 && reported.last == 30 && reported == reported.sorted())
    }

    /// A store is prefetched before each of its restores, in order.
    @Test func prefetchComesBeforeEachRestore() throws {
        final class RecordingStore: CheckpointStore {
            let inner: MemoryCheckpointStore<Vector>
            var log: [String] = []
            init(capacity: Int) { inner = MemoryCheckpointStore(capacity: capacity, bytesPerState: 16) }
            func store(_ state: Vector, step: Int, slot: Int) throws(CheckpointStoreError) { try inner.store(state, step: step, slot: slot) }
            func restore(step: Int, slot: Int, release: Bool) throws(CheckpointStoreError) -> Vector {
                log.append("restore \(step)")
                return try inner.restore(step: step, slot: slot, release: release)
            }
            func prefetch(step: Int, slot: Int) { log.append("prefetch \(step)") }
            func removeAll() { inner.removeAll() }
            var bytesInUse: Int { inner.bytesInUse }
            var peakBytes: Int { inner.peakBytes }
        }
        let store = RecordingStore(capacity: 3)
        _ = try valueWithCheckpointedGradient(
            at: Vector([0.1, 0.2]), parameters: 1.0, steps: 20,
            checkpointing: .schedule(try Revolve(steps: 20, slots: 3), stores: [.memory: store]),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        let restores = store.log.filter { $0.hasPrefix("restore") }
        #expect(!restores.isEmpty)
        for (index, entry) in store.log.enumerated() where entry.hasPrefix("restore") {
            let step = entry.dropFirst("restore ".count)
            #expect(store.log[..<index].contains("prefetch \(step)"), "x\(step) restored without a prefetch")
        }
    }
}
