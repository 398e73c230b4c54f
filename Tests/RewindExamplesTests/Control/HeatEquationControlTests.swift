import CheckpointedAD
import Testing
@testable import OptimalControl
@testable import RewindExamples

@Suite struct HeatEquationControlTests {
    /// A small rod: 40 cells, 8 intervals × 25 steps (αh/Δx² = 0.4).
    static let small = HeatEquationControl(cells: 40, diffusivity: 1, horizon: 0.05, intervals: 8, substeps: 25,
                                           regularization: 1e-6)

    @Test func referenceControlReachesTheTargetExactly() {
        let heat = Self.small
        #expect(heat.relativeMisfit(controls: heat.referenceControls) == 0)
        #expect(heat.target.max()! > 0.05, "the target must not be trivially zero")
    }

    /// The pullback of the discretised Laplacian with its boundary rows: central
    /// differences of the objective against the checkpointed gradient.
    @Test func gradientMatchesFiniteDifferences() throws {
        let heat = Self.small
        let shooting = heat.shooting(checkpointing: .revolve(memory: .slots(6)))
        let u = heat.referenceControls.map { 0.7 * $0 + 0.1 }
        let (_, gradient) = try shooting.objectiveAndGradient(controls: u)
        for j in u.indices {
            var up = u, down = u
            up[j] += 1e-5; down[j] -= 1e-5
            let fd = (shooting.objective(controls: up) - shooting.objective(controls: down)) / 2e-5
            #expect(abs(fd - gradient[j]) <= 1e-6 * Swift.max(abs(fd), 1e-3), "control \(j): \(fd) vs \(gradient[j])")
        }
    }

    /// Under a byte budget of a fifth of the trajectory the solve reduces the misfit by
    /// orders of magnitude, keeps 0 ≤ u ≤ u_max, and the peak adjoint memory stays within
    /// the budget.
    @Test func solvesUnderABudgetFarBelowTheTrajectory() throws {
        let heat = Self.small
        let budget = heat.trajectoryBytes / 5
        let result = try heat.run(memory: .bytes(budget), optimizer: LBFGSB(maximumIterations: 40))
        let m = Dictionary(uniqueKeysWithValues: result.measurements.map { ($0.name, $0.value) })
        #expect(m["relative misfit at solution"]! <= 0.05 * m["relative misfit at start"]!, "\(m)")
        #expect(m["peak adjoint bytes"]! <= Double(budget))
        #expect(m["checkpoint slots"]! < Double(heat.steps) / 5)
        #expect(result.solution.controls.allSatisfy { 0 <= $0 && $0 <= 1 })
    }
}
