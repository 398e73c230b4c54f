import _Differentiation
import Foundation
import RewindExamples
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// The README's example, small: Lorenz-96 with RK4 written with `Vector` operations
/// (RewindExamples' ``Lorenz96/composedStep(_:_:_:)``), the gradient of ½‖x(T)‖² with respect
/// to x0 and F under a byte budget.
@Suite struct CheckpointedGradientTests {
    @differentiable(reverse)
    static func rk4(_ x: Vector, _ F: Double, _ dt: Double) -> Vector { Lorenz96.composedStep(x, F, dt) }

    @Test func lorenz96GradientUnderAByteBudget() throws {
        let size = 16, n = 300, dt = 1.0 / 300
        let x0 = Lorenz96.initialState(count: size, forcing: 8)
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
