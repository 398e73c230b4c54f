import _Differentiation
import AdjointODE
import Testing
import RewindExamples
@testable import OptimalControl
import RewindTestSupport

@Suite struct SingleShootingTests {
    /// A node constraint x₁ ≥ −0.3 (−x₁ − 0.3 ≤ 0) on Van der Pol.
    static let floor = PathConstraint(count: 1, evaluate: { _, x, _, _, c in c[0] = -x[0] - 0.3 },
                                      pullback: { _, _, _, _, w, xBar, _ in xBar[0] -= w[0] })

    static func controls(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in rng.uniform(-0.9...0.9) }
    }

    /// Central differences of the objective against the adjoint gradient, for both
    /// parameterisations, with and without path-constraint terms.
    @Test(arguments: ControlParameterization.allCases, [false, true])
    func gradientMatchesFiniteDifferences(_ parameterization: ControlParameterization, constrained: Bool) throws {
        var problem = VanDerPol.problem
        if constrained { problem.pathConstraint = Self.floor }
        let shooting = SingleShooting(problem: problem, intervals: 6, substeps: 3, parameterization: parameterization)
        let u = Self.controls(shooting.controlCount, seed: 5)
        let weight = 50.0
        let (value, gradient) = try shooting.objectiveAndGradient(controls: u, penaltyWeight: weight)
        let model = shooting.makeModel()
        model.penaltyWeight = weight
        #expect(value == model.value(controls: u))
        for j in u.indices {
            let h = 1e-6
            var up = u, down = u
            up[j] += h; down[j] -= h
            let fd = (model.value(controls: up) - model.value(controls: down)) / (2 * h)
            #expect(abs(fd - gradient[j]) <= 1e-7 * Swift.max(1, abs(fd)), "\(parameterization), constrained \(constrained), control \(j): \(fd) vs \(gradient[j])")
        }
        if constrained {
            // The penalty is active somewhere, or the test would not test it.
            let plain = SingleShooting(problem: VanDerPol.problem, intervals: 6, substeps: 3, parameterization: parameterization)
            #expect(try plain.objectiveAndGradient(controls: u).value < value)
        }
    }

    /// An independent implementation: RK4 single shooting written directly in Swift with
    /// `_Differentiation` (store-all tape) on a small Van der Pol grid.
    @differentiable(reverse)
    static func vanDerPolObjective(_ u: [Double], intervals: Int, substeps: Int) -> Double {
        let h = 10.0 / Double(intervals * substeps)
        var x1 = 0.0, x2 = 1.0, cost = 0.0
        for k in 0..<intervals {
            let v = u[k]
            for _ in 0..<substeps {
                let a1 = (1 - x2 * x2) * x1 - x2 + v, a2 = x1, c1 = x1 * x1 + x2 * x2 + v * v
                let y1 = x1 + h / 2 * a1, y2 = x2 + h / 2 * a2
                let b1 = (1 - y2 * y2) * y1 - y2 + v, b2 = y1, c2 = y1 * y1 + y2 * y2 + v * v
                let z1 = x1 + h / 2 * b1, z2 = x2 + h / 2 * b2
                let d1 = (1 - z2 * z2) * z1 - z2 + v, d2 = z1, c3 = z1 * z1 + z2 * z2 + v * v
                let w1 = x1 + h * d1, w2 = x2 + h * d2
                let e1 = (1 - w2 * w2) * w1 - w2 + v, e2 = w1, c4 = w1 * w1 + w2 * w2 + v * v
                cost = cost + h / 6 * (c1 + 2 * c2 + 2 * c3 + c4)
                x1 = x1 + h / 6 * (a1 + 2 * b1 + 2 * d1 + e1)
                x2 = x2 + h / 6 * (a2 + 2 * b2 + 2 * d2 + e2)
            }
        }
        return cost
    }

    @Test func storeAllMatchesSwiftAutomaticDifferentiation() throws {
        let shooting = VanDerPol.shooting(intervals: 5, substeps: 4)
        let u = Self.controls(5, seed: 9)
        let (value, gradient) = try shooting.objectiveAndGradient(controls: u)
        let (referenceValue, referenceGradient) = valueWithGradient(at: u) { Self.vanDerPolObjective($0, intervals: 5, substeps: 4) }
        #expect(abs(value - referenceValue) <= 1e-13 * abs(referenceValue))
        for j in u.indices {
            #expect(abs(gradient[j] - referenceGradient[j]) <= 1e-12 * Swift.max(1, abs(referenceGradient[j])), "control \(j)")
        }
    }

    /// Dynamics written with Swift AD give the same gradient as the hand-written VJP.
    @Test func differentiableDynamicsAgreeWithHandWritten() throws {
        let automatic = ControlDynamics(stateDimension: 2, controlDimension: 1) { x, u, _ in
            [(1 - x[1] * x[1]) * x[0] - x[1] + u[0], x[0]]
        }
        let cost = RunningControlCost(differentiable: { x, u, _ in x[0] * x[0] + x[1] * x[1] + u[0] * u[0] })
        var problem = VanDerPol.problem
        problem.dynamics = automatic
        problem.runningCost = cost
        problem.terminalCost = TerminalCost(differentiable: { x in 3 * x[0] * x[1] })
        var reference = VanDerPol.problem
        reference.terminalCost = TerminalCost(value: { x, _ in 3 * x[0] * x[1] },
                                              gradient: { x, _, xBar in xBar[0] += 3 * x[1]; xBar[1] += 3 * x[0] })
        let u = Self.controls(8, seed: 3)
        let a = try SingleShooting(problem: problem, intervals: 8, substeps: 2).objectiveAndGradient(controls: u)
        let b = try SingleShooting(problem: reference, intervals: 8, substeps: 2).objectiveAndGradient(controls: u)
        #expect(abs(a.value - b.value) <= 1e-14 * abs(b.value))
        for j in u.indices { #expect(abs(a.gradient[j] - b.gradient[j]) <= 1e-12 * Swift.max(1, abs(b.gradient[j]))) }
    }

    @Test func augmentedLagrangianEnforcesThePathConstraint() throws {
        var problem = VanDerPol.problem
        problem.pathConstraint = Self.floor
        let free = try VanDerPol.shooting(intervals: 20, substeps: 2).solve()
        let minimumFree = free.states.map { $0[0] }.min()!
        #expect(minimumFree < -0.3, "the constraint must cut off the free optimum (min x1 = \(minimumFree))")
        var reports = 0
        let constrained = try SingleShooting(problem: problem, intervals: 20, substeps: 2)
            .solve(constraints: .augmentedLagrangian(initialWeight: 10, growth: 10, tolerance: 1e-5, outerIterations: 12)) { _ in
                reports += 1
                return .proceed
            }
        #expect(constrained.constraintViolation <= 1e-5, "violation \(constrained.constraintViolation)")
        #expect(constrained.objective >= free.objective)
        #expect(constrained.outerIterations > 1 && reports == constrained.iterations)
        #expect(constrained.controls.allSatisfy { -1 <= $0 && $0 <= 1 })
    }

    /// One penalty solve: a single outer iteration, the violation shrinks with the weight.
    @Test func quadraticPenaltyReducesTheViolation() throws {
        var problem = VanDerPol.problem
        problem.pathConstraint = Self.floor
        let shooting = SingleShooting(problem: problem, intervals: 20, substeps: 2)
        let light = try shooting.solve(constraints: .penalty(weight: 10))
        let heavy = try shooting.solve(constraints: .penalty(weight: 1e4))
        #expect(light.outerIterations == 1 && heavy.outerIterations == 1)
        #expect(heavy.constraintViolation < light.constraintViolation && heavy.constraintViolation <= 1e-2,
                "violations \(light.constraintViolation), \(heavy.constraintViolation)")
    }

    @Test func progressCanStopTheSolve() throws {
        var seen = 0
        let solution = try VanDerPol.shooting(intervals: 10, substeps: 2).solve { p in
            seen += 1
            return p.optimizer.iteration == 3 ? .stop : .proceed
        }
        #expect(seen == 3 && solution.iterations == 3 && solution.stopReason == .stoppedByCallback)
        #expect(throws: OptimizationError.dimensionMismatch(expected: 10, got: 2, what: "the initial controls")) {
            try VanDerPol.shooting(intervals: 10, substeps: 2).solve(initialControls: [0, 0])
        }
    }
}
