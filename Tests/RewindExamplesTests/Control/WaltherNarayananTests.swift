import Foundation
import Testing
@testable import OptimalControl
@testable import RewindExamples

@Suite struct WaltherNarayananTests {
    /// The closed forms satisfy the problem: y₁′ = ½y₁ + u, y₁(0) = 1, and u = −λ with
    /// λ′ = −½λ − 2y₁, λ(1) = 0 (checked by central differences).
    @Test func analyticSolutionSatisfiesTheOptimalityConditions() {
        let h = 1e-5
        #expect(abs(WaltherNarayanan.optimalState(0) - 1) <= 1e-15)
        #expect(abs(WaltherNarayanan.optimalControl(1)) <= 1e-15)
        for t in stride(from: 0.1, through: 0.9, by: 0.2) {
            let y = WaltherNarayanan.optimalState, u = WaltherNarayanan.optimalControl
            let dy = (y(t + h) - y(t - h)) / (2 * h)
            #expect(abs(dy - (0.5 * y(t) + u(t))) <= 1e-8)
            let dLambda = -(u(t + h) - u(t - h)) / (2 * h)
            #expect(abs(dLambda - (0.5 * u(t) - 2 * y(t))) <= 1e-8)
        }
        #expect(abs(WaltherNarayanan.optimalObjective - 0.8641644977691127) <= 1e-15)
    }

    /// Observed orders p = log₂(e(N)/e(2N)) for N = 8, 16, 32 with one RK4 step per interval.
    static func orders(_ parameterization: ControlParameterization) throws -> [(control: Double, state: Double, objective: Double)] {
        let errors = try [8, 16, 32].map { n in
            let m = try WaltherNarayanan.run(intervals: n, parameterization: parameterization).measurements
            return (m[0].value, m[1].value, m[2].value)
        }
        return zip(errors, errors.dropFirst()).map { coarse, fine in
            (log2(coarse.0 / fine.0), log2(coarse.1 / fine.1), log2(coarse.2 / fine.2))
        }
    }

    /// Piecewise-linear controls: u at the nodes converges at the interpolation order 2,
    /// y₁ at the nodes and J at RK4's order 4.
    @Test func piecewiseLinearConvergesAtTheMethodsOrder() throws {
        for p in try Self.orders(.piecewiseLinear) {
            #expect(p.control >= 1.9 && p.control <= 2.2, "control order \(p.control)")
            #expect(p.state >= 3.8, "state order \(p.state)")
            #expect(p.objective >= 3.8, "objective order \(p.objective)")
        }
        let fine = try WaltherNarayanan.run(intervals: 32)
        #expect(fine.measurements[0].value <= 4e-4 && fine.measurements[1].value <= 5e-8)
    }

    /// Piecewise-constant controls: u at interval midpoints, y₁ and J converge at order 2.
    @Test func piecewiseConstantConvergesAtOrderTwo() throws {
        for p in try Self.orders(.piecewiseConstant) {
            #expect(p.control >= 1.9 && p.state >= 1.9 && p.objective >= 1.9, "orders \(p)")
        }
    }

    @Test func checkpointedSolveMatchesStoreAll() throws {
        let a = try WaltherNarayanan.run(intervals: 16, substeps: 4)
        let b = try WaltherNarayanan.run(intervals: 16, substeps: 4, checkpointing: .revolve(memory: .slots(4)))
        #expect(a.solution.controls == b.solution.controls && a.solution.iterations == b.solution.iterations)
        #expect(b.solution.gradientStatistics?.reverses == 64)
    }
}
