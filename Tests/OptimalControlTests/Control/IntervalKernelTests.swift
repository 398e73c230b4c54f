import AdjointODE
import CheckpointedAD
import Testing
import RewindExamples
@testable import OptimalControl
import RewindTestSupport

/// The store-all interval kernel against the stepper-based chain the checkpointed driver
/// runs (same bits) and against finite differences of the interval map.
@Suite struct IntervalKernelTests {
    /// Van der Pol with a time- and parameter-dependent term in f and L, so stage times and
    /// p reach every callback: x₁′ = (1 − x₂²)x₁ − x₂ + u + p₀ t², L = x₁² + x₂² + u² + p₀ t x₁.
    static var problem: ControlProblem {
        let dynamics = ControlDynamics(stateDimension: 2, controlDimension: 1, evaluate: { t, x, u, p, dxdt in
            dxdt[0] = (1 - x[1] * x[1]) * x[0] - x[1] + u[0] + p[0] * t * t
            dxdt[1] = x[0]
        }, pullback: { _, x, _, _, v, xBar, uBar in
            xBar[0] = (1 - x[1] * x[1]) * v[0] + v[1]
            xBar[1] = (-2 * x[0] * x[1] - 1) * v[0]
            uBar[0] += v[0]
        })
        let cost = RunningControlCost(value: { t, x, u, p in x[0] * x[0] + x[1] * x[1] + u[0] * u[0] + p[0] * t * x[0] },
                                      gradient: { t, x, u, p, s, xBar, uBar in
            xBar[0] += s * (2 * x[0] + p[0] * t)
            xBar[1] += 2 * s * x[1]
            uBar[0] += 2 * s * u[0]
        })
        return ControlProblem(dynamics: dynamics, initialState: [0, 1], horizon: 0.5...3.5, parameters: [0.3],
                              runningCost: cost, controlLower: [-1], controlUpper: [1])
    }

    static func model(_ parameterization: ControlParameterization, _ method: ButcherTableau, substeps: Int = 3) -> ShootingModel {
        ShootingModel(problem: problem, intervals: 4, substeps: substeps, parameterization: parameterization, method: method)
    }

    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in rng.uniform(-0.9...0.9) }
    }

    /// Every explicit tableau (Dormand–Prince's last rows have more than four terms, the
    /// stepper's multi-pass combinations), both parameterizations, every interval: the
    /// kernel's end state and Jacobian rows equal the checkpointed driver's bit for bit.
    @Test(arguments: ControlParameterization.allCases)
    func kernelEqualsTheSteppersChainBitwise(_ parameterization: ControlParameterization) throws {
        for method in ButcherTableau.all {
            let model = Self.model(parameterization, method)
            let u = Self.values(model.controlCount, seed: 5)
            let seeds = model.unitSeeds(cost: true) + [Self.values(3, seed: 6)]
            for k in 0..<model.intervals {
                let x = Self.values(2, seed: UInt64(10 + k))
                let kernel = try model.intervalJacobian(k, from: x, controls: u, seeds: seeds, checkpointing: .storeAll)
                let chain = try model.intervalJacobian(k, from: x, controls: u, seeds: seeds, checkpointing: .revolve(memory: .slots(1)))
                #expect(kernel == chain, "\(method.name), \(parameterization), interval \(k)")
                #expect(kernel.end == model.intervalEnd(k, from: x, controls: u), "\(method.name): end state")
            }
        }
    }

    /// The rows z̄ᵀ∂z_{k+1}/∂(x_k, q_k) against central differences of the interval map.
    @Test(arguments: ControlParameterization.allCases)
    func kernelRowsMatchFiniteDifferences(_ parameterization: ControlParameterization) throws {
        let model = Self.model(parameterization, .rk4, substeps: 4)
        let u = Self.values(model.controlCount, seed: 8)
        let x = [0.4, -0.7], k = 2
        let rows = try model.intervalJacobian(k, from: x, controls: u, seeds: model.unitSeeds(cost: true), checkpointing: .storeAll)
        let h = 1e-6
        let first = model.firstControl(ofInterval: k)
        for j in 0..<(2 + model.localControlCount) {
            var up = x, down = x
            var uUp = u, uDown = u
            if j < 2 { up[j] += h; down[j] -= h } else { uUp[first + j - 2] += h; uDown[first + j - 2] -= h }
            let plus = model.intervalEnd(k, from: up, controls: uUp), minus = model.intervalEnd(k, from: down, controls: uDown)
            for r in 0..<3 {
                let fd = (plus[r] - minus[r]) / (2 * h)
                let exact = j < 2 ? rows.stateRows[r][j] : rows.controlRows[r][j - 2]
                #expect(abs(fd - exact) <= 1e-8 * Swift.max(1, abs(fd)), "row \(r), column \(j): \(exact) vs \(fd)")
            }
        }
    }
}
