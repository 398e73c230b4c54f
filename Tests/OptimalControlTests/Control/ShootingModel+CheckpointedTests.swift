import CheckpointSchedules
import CheckpointedAD
import Testing
import RewindExamples
@testable import OptimalControl
import RewindTestSupport

@Suite struct ShootingModelCheckpointedTests {
    static func controls(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in rng.uniform(-1...1) }
    }

    /// Van der Pol, N = 50 intervals × 4 RK4 substeps = 200 steps: the checkpointed gradient
    /// under byte budgets from 6 slots up equals the store-all gradient bit for bit, and the
    /// driver does exactly Griewank & Walther's t(S, s) advances and S reverses.
    @Test(arguments: [6, 12, 40])
    func checkpointedEqualsStoreAllBitwise(slots: Int) throws {
        let storeAll = VanDerPol.shooting(intervals: 50, substeps: 4)
        let u = Self.controls(storeAll.controlCount, seed: UInt64(slots))
        let reference = try storeAll.objectiveAndGradient(controls: u)
        let model = storeAll.makeModel()
        // Budget: working set + the driver's working states + `slots` states.
        let budget = model.bytesBesidesCheckpoints + slots * model.stateBytes
        var checkpointed = storeAll
        checkpointed.checkpointing = .revolve(memory: .bytes(budget))
        let result = try checkpointed.objectiveAndGradientWithStatistics(controls: u)
        #expect(result.value == reference.value)
        #expect(result.gradient == reference.gradient)
        let statistics = try #require(result.statistics)
        let capacity = try #require(statistics.capacities[.memory])
        #expect(capacity == slots, "capacity \(capacity) for \(slots) slots' worth of bytes")
        #expect(statistics.advances == (try BinomialCheckpointing.minimalAdvances(steps: 200, slots: capacity)))
        #expect(statistics.reverses == 200)
        #expect(statistics.peakCheckpointBytes + model.bytesBesidesCheckpoints <= budget)
        // The driver's own store-all schedule agrees too.
        checkpointed.checkpointing = .revolve(memory: .unlimited)
        let unlimited = try checkpointed.objectiveAndGradient(controls: u)
        #expect(unlimited.value == reference.value && unlimited.gradient == reference.gradient)
    }

    @Test func pathConstraintsAndLinearControlsAreBitwiseToo() throws {
        var problem = VanDerPol.problem
        problem.pathConstraint = SingleShootingTests.floor
        let storeAll = SingleShooting(problem: problem, intervals: 30, substeps: 3, parameterization: .piecewiseLinear)
        let u = Self.controls(storeAll.controlCount, seed: 77)
        let reference = try storeAll.objectiveAndGradient(controls: u, penaltyWeight: 20)
        var checkpointed = storeAll
        checkpointed.checkpointing = .revolve(memory: .slots(5))
        let result = try checkpointed.objectiveAndGradient(controls: u, penaltyWeight: 20)
        #expect(result.value == reference.value && result.gradient == reference.gradient)
    }

    @Test func tooSmallABudgetIsATypedError() {
        let shooting = VanDerPol.shooting(intervals: 10, substeps: 2, checkpointing: .revolve(memory: .bytes(100)))
        #expect(throws: ControlError.self) { try shooting.objectiveAndGradient(controls: Array(repeating: 0, count: 10)) }
        do {
            _ = try shooting.objectiveAndGradient(controls: Array(repeating: 0, count: 10))
        } catch {
            #expect("\(error)".contains("raise the budget"))
        }
    }
}
