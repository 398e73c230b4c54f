import _Differentiation
import Foundation
import Testing
@testable import CheckpointedAD

/// The README's example, small: Lorenz-96 with RK4 written with `Vector` operations, the
/// gradient of ½‖x(T)‖² with respect to x0 and F under a byte budget.
@Suite struct CheckpointedGradientTests {
    @differentiable(reverse)
    static func rhs(_ x: Vector, _ F: Double) -> Vector {
        (x.rolled(by: -1) - x.rolled(by: 2)) * x.rolled(by: 1) - x + F
    }

    @differentiable(reverse)
    static func rk4(_ x: Vector, _ F: Double, _ dt: Double) -> Vector {
        let k1 = rhs(x, F)
        let k2 = rhs(Vector.axpy(dt / 2, k1, x), F)
        let k3 = rhs(Vector.axpy(dt / 2, k2, x), F)
        let k4 = rhs(Vector.axpy(dt, k3, x), F)
        return x + (dt / 6) * (k1 + 2 * (k2 + k3) + k4)
    }

    @Test func lorenz96GradientUnderAByteBudget() throws {
        let size = 16, n = 300, dt = 1.0 / 300
        let x0 = Vector((0..<size).map { 8 + 0.01 * sin(Double($0)) })
        var options = CheckpointingOptions()
        options.workspaceStates = 20
        // 24 working states + 8 slots of 128 bytes.
        let g = try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: n,
            checkpointing: .revolve(memory: .bytes(32 * 128)), options: options,
            step: { x, F, _ in Self.rk4(x, F, dt) }, loss: { $0.halfSquaredNorm() })
        let reference = try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: n, checkpointing: .storeAll,
            step: { x, F, _ in Self.rk4(x, F, dt) }, loss: { $0.halfSquaredNorm() })
        #expect(g.statistics.capacities[.memory] == 8)
        #expect(g.initialState == reference.initialState && g.parameters == reference.parameters && g.value == reference.value)
        func loss(_ x0: Vector, _ F: Double) -> Double {
            iterate({ x, F, _ in Self.rk4(x, F, dt) }, from: x0, parameters: F, steps: n).halfSquaredNorm()
        }
        var generator = SplitMix64(seed: 96)
        let v = Vector.random(count: size, using: &generator)
        #expect(relativeDifference(g.initialState.dot(v), centralDifference({ loss($0, 8) }, at: x0, along: v)) < 1e-6)
        #expect(relativeDifference(g.parameters, (loss(x0, 8 + 1e-6) - loss(x0, 8 - 1e-6)) / 2e-6) < 1e-6)
        #expect(g.finalState == iterate({ x, F, _ in Self.rk4(x, F, dt) }, from: x0, parameters: 8, steps: n))
    }
}
