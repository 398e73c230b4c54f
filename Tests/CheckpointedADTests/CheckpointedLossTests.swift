import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Losses at many steps: gradients injected during the sweep equal finite differences of
/// the total, and the checkpointed run equals store-all's bit for bit.
@Suite struct CheckpointedLossTests {
    @Test(arguments: [LossSteps.all, .every(7), .at([0, 3, 50, 59]), .final])
    func runningCostMatchesFiniteDifferences(_ selection: LossSteps) throws {
        var generator = SplitMix64(seed: 11)
        let n = 60
        let x0 = Vector.random(count: 3, using: &generator)
        let target = Vector.random(count: 3, using: &generator)
        let loss = CheckpointedLoss<Vector, Double, Vector, Double>(at: selection) { x, a, i in
            (x - target).halfSquaredNorm() * (1 + Double(i) / 100) + 0.01 * a * a
        }
        func total(_ x0: Vector, _ a: Double) -> Double {
            var x = x0, sum = 0.0
            for i in 0...n {
                if selection.contains(i, steps: n) { sum += (x - target).halfSquaredNorm() * (1 + Double(i) / 100) + 0.01 * a * a }
                if i < n { x = nonlinearStep(x, a, i) }
            }
            return sum
        }
        let g = try valueWithCheckpointedGradient(at: x0, parameters: 0.8, steps: n, checkpointing: .revolve(memory: .slots(5)), step: CheckpointedStep(nonlinearStep), losses: [loss])
        let reference = try valueWithCheckpointedGradient(at: x0, parameters: 0.8, steps: n, checkpointing: .storeAll, step: CheckpointedStep(nonlinearStep), losses: [loss])
        #expect(g.initialState == reference.initialState && g.parameters == reference.parameters)
        #expect(relativeDifference(g.value, total(x0, 0.8)) < 1e-14)
        let v = Vector.random(count: 3, using: &generator)
        #expect(relativeDifference(g.initialState.dot(v), centralDifference({ total($0, 0.8) }, at: x0, along: v)) < 1e-6)
        #expect(relativeDifference(g.parameters, (total(x0, 0.8 + 1e-6) - total(x0, 0.8 - 1e-6)) / 2e-6) < 1e-6)
    }

    @Test func lossStepsSelectTheDocumentedStates() {
        let n = 10
        #expect((0...n).filter { LossSteps.final.contains($0, steps: n) } == [10])
        #expect((0...n).filter { LossSteps.all.contains($0, steps: n) } == Array(0...10))
        #expect((0...n).filter { LossSteps.every(3).contains($0, steps: n) } == [3, 6, 9])
        #expect((-2...12).filter { LossSteps.at([0, 4, 11, -1]).contains($0, steps: n) } == [0, 4])
    }
}
