import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import Kernels
import RewindExamples
import RewindTestSupport
import Testing

/// The RK4 step of a kernel right-hand side: against Lorenz-96's hand-written fused step
/// and VJP and its `Vector` Swift AD step, and through the checkpointed driver, where every
/// schedule must give store-all's gradient bit for bit.
@Suite struct StencilKernelRungeKutta4Tests {
    @Test func lorenz96StepAndVJPMatchTheHandWrittenAndSwiftADSteps() {
        let dt = 0.01, x = Lorenz96.initialState(count: 40, forcing: 8)
        var generator = SplitMix64(seed: 40)
        let ybar = randomVector(40, &generator)
        let (value, pullback) = Lorenz96.kernel.rungeKutta4StepWithPullback(x, parameters: 8, dt: dt)
        let (fused, fusedPullback) = Lorenz96.stepWithPullback(x, 8, dt)
        #expect(value == Lorenz96.kernel.rungeKutta4Step(x, parameters: 8, dt: dt))
        #expect(relativeError(value, fused) < 1e-15)
        let (xbar, Fbar) = pullback(ybar), (fusedX, fusedF) = fusedPullback(ybar)
        #expect(relativeError(xbar, fusedX) < 1e-12 && relativeError(Fbar, fusedF) < 1e-12)
        let (adX, adF) = valueWithPullback(at: x, 8.0) { x, F in Lorenz96.composedStep(x, F, dt) }.pullback(ybar)
        #expect(relativeError(xbar, adX) < 1e-12 && relativeError(Fbar, adF) < 1e-12)
        let (onlyX, onlyF) = Lorenz96.kernel.rungeKutta4Pullback(x, parameters: 8, dt: dt)(ybar)
        #expect(onlyX == xbar && onlyF == Fbar)
    }

    @Test func checkpointedGradientsEqualStoreAllBitwise() throws {
        let n = 60, dt = 0.005, x0 = Lorenz96.initialState(count: 24, forcing: 8)
        let step = Lorenz96.kernel.rungeKutta4(dt: dt)
        let loss = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        func gradient(_ checkpointing: Checkpointing<Vector>) throws -> CheckpointedGradient<Vector, Vector, Double> {
            try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: n, checkpointing: checkpointing, step: step, losses: [loss])
        }
        let storeAll = try gradient(.schedule(StoreAll(steps: n)))
        for checkpointing in [Checkpointing<Vector>.revolve(memory: .slots(3)), .online(memory: .slots(4), until: { _, i in i == n })] {
            let g = try gradient(checkpointing)
            #expect(g.initialState == storeAll.initialState && g.parameters == storeAll.parameters, "\(checkpointing)")
        }
        // The hand-written fused VJP and Swift AD over `Vector` agree to rounding.
        let fused = try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: n, checkpointing: .storeAll,
            step: CheckpointedStep(forward: { x, F, _ in Lorenz96.step(x, F, dt) },
                                   valueWithPullback: { x, F, _ in Lorenz96.stepWithPullback(x, F, dt) }),
            losses: [loss])
        let swiftAD = try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: n, checkpointing: .storeAll,
            step: { x, F, _ in Lorenz96.composedStep(x, F, dt) }, loss: { $0.halfSquaredNorm() })
        for reference in [fused, swiftAD] {
            #expect(relativeError(storeAll.initialState, reference.initialState) < 1e-12)
            #expect(relativeError(storeAll.parameters, reference.parameters) < 1e-12)
        }
    }

    /// Finite differences of a whole checkpointed gradient, for a kernel on each boundary kind.
    @Test func checkpointedGradientMatchesFiniteDifferences() throws {
        let n = 20, dt = 0.01
        var generator = SplitMix64(seed: 21)
        for kernel in TestKernels.all {
            let x0 = randomVector(21, &generator, around: 0.5), v = randomVector(21, &generator)
            let g = try valueWithCheckpointedGradient(at: x0, parameters: 0.8, steps: n, checkpointing: .revolve(memory: .slots(2)),
                step: kernel.rungeKutta4(dt), losses: [.final { $0.halfSquaredNorm() }])
            func loss(_ x: Vector, _ p: Double) -> Double {
                var x = x
                for _ in 0..<n { x = kernel.rungeKutta4Step(x, p, dt) }
                return x.halfSquaredNorm()
            }
            let h = 1e-6
            let directional = (loss(Vector.axpy(h, v, x0), 0.8) - loss(Vector.axpy(-h, v, x0), 0.8)) / (2 * h)
            #expect(relativeError(g.initialState.dot(v), directional) < 1e-7, "\(kernel.name)")
            #expect(relativeError(g.parameters, (loss(x0, 0.8 + h) - loss(x0, 0.8 - h)) / (2 * h)) < 1e-6, "\(kernel.name)")
        }
    }
}
