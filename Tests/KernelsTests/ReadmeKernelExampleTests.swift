import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import Foundation
import Kernels
import Testing

// --- README kernel example (keep in sync with README.md) ---
// The same heat equation, written per site: the fast path (no allocation per site).
struct HeatSite: SiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: Neighbourhood, _ nu: Double) -> Double {
        nu * (u.minus1 - 2 * u.centre + u.plus1)
    }
    func pullback(at u: Neighbourhood, _ nu: Double, seed: Double) -> (Neighbourhood, Double) {
        valueWithPullback(at: u, nu) { u, nu in self(u, nu) }.pullback(seed)
    }
}
// --- end of README kernel example (declarations) ---

/// The README's kernel example, compiled and checked against the same heat equation written
/// with `Vector` operations (to rounding) and against store-all (bit for bit).
@Suite struct ReadmeKernelExampleTests {
    @Test func kernelExampleMatchesVectorCodeAndStoreAll() throws {
        let u0 = Vector((0..<500).map { i in 1 + sin(Double(i) * 2 * .pi / 100) })
        // --- README kernel example (keep in sync with README.md) ---
        let heat = StencilKernel(HeatSite(), radius: 1, boundary: .periodic)
        let result = try valueWithCheckpointedGradient(
            at: u0, parameters: 1.0, steps: 1_000,
            checkpointing: .revolve(memory: .megabytes(1)),
            step: heat.rungeKutta4(dt: 0.2), losses: [.final { $0.halfSquaredNorm() }])
        // --- end of README kernel example ---
        let storeAll = try valueWithCheckpointedGradient(at: u0, parameters: 1.0, steps: 1_000,
            checkpointing: .storeAll, step: heat.rungeKutta4(dt: 0.2), losses: [.final { $0.halfSquaredNorm() }])
        #expect(result.initialState == storeAll.initialState && result.parameters == storeAll.parameters)

        @differentiable(reverse)
        func rhs(_ u: Vector, _ nu: Double) -> Vector { nu * (u.rolled(by: 1) + u.rolled(by: -1) - 2 * u) }
        @differentiable(reverse)
        func rk4(_ u: Vector, _ nu: Double, _ i: Int) -> Vector {
            let k1 = rhs(u, nu), k2 = rhs(u + 0.1 * k1, nu), k3 = rhs(u + 0.1 * k2, nu), k4 = rhs(u + 0.2 * k3, nu)
            return u + (0.2 / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
        }
        let vector = try valueWithCheckpointedGradient(at: u0, parameters: 1.0, steps: 1_000,
            checkpointing: .revolve(memory: .megabytes(1)), step: rk4, loss: { $0.halfSquaredNorm() })
        #expect(relativeError(result.initialState, vector.initialState) < 1e-10)
        #expect(relativeError(result.parameters, vector.parameters) < 1e-10)
    }
}
