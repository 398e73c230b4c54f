import AdjointODE
import CheckpointedAD
import Testing
@testable import RewindExamples

/// Each implicit method's discrete-adjoint gradient converges at the method's order on a
/// nonlinear, time-dependent problem.
@Suite struct ImplicitAdjointConvergenceTests {
    @Test(arguments: DiagonallyImplicitTableau.all)
    func gradientErrorShrinksAtTheMethodsOrder(method: DiagonallyImplicitTableau) throws {
        let rows = try ImplicitAdjointConvergence.table(methods: [method], steps: method.order >= 5 ? 8 : 16, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - Double(method.order)) < 0.3, "\(method.name): observed order \(observed), rows \(rows)")
        #expect(rows.last!.error < rows.first!.error)
    }
}

extension ImplicitAdjointConvergenceTests {
    /// On the time-dependent pendulum (the ∂f/∂t term in the stages) and on its autonomous
    /// form (τ as a state): order 3 both ways, and the two gradients agree to the order's error.
    @Test(arguments: [false, true])
    func rosenbrockGradientErrorShrinksAtTheMethodsOrder(autonomous: Bool) throws {
        let rows = try ImplicitAdjointConvergence.rosenbrockTable(method: .ros3p, steps: 16, doublings: 2, autonomous: autonomous)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - 3) < 0.3, "ROS3P (autonomous: \(autonomous)): observed order \(observed), rows \(rows)")
    }

    /// The same ROS3P with its γ_i (the ∂f/∂t weights) set to zero loses its order on the
    /// time-dependent pendulum: the term the order test above checks is needed.
    @Test func rosenbrockWithoutTheTimeDerivativeLosesItsOrder() throws {
        let ros3p = RosenbrockTableau.ros3p
        let s = ros3p.stages
        let withoutTimeDerivative = RosenbrockTableau(
            name: "ROS3P without ∂f/∂t", order: 3, diagonal: ros3p.diagonal,
            a: (0..<s).map { i in (0..<i).map { ros3p.a[i * s + $0] } },
            c: (0..<s).map { i in (0..<i).map { ros3p.c[i * s + $0] } },
            nodes: ros3p.nodes, timeWeights: [0, 0, 0], weights: ros3p.weights)
        let rows = try ImplicitAdjointConvergence.rosenbrockTable(method: withoutTimeDerivative, steps: 16, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(observed < 2.5, "observed order \(observed) without ∂f/∂t, rows \(rows)")
    }
}

extension ImplicitAdjointConvergenceTests {
    /// The explicit methods' adjoints too converge at their order on the nonlinear,
    /// time-dependent problem (not only on the linear one of `AdjointConvergence`).
    @Test(arguments: ButcherTableau.all)
    func explicitGradientErrorShrinksAtTheMethodsOrder(method: ButcherTableau) throws {
        let rows = try ImplicitAdjointConvergence.explicitTable(methods: [method], steps: method.order >= 5 ? 16 : 32, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - Double(method.order)) < 0.35, "\(method.name): observed order \(observed), rows \(rows)")
    }
}

extension ImplicitAdjointConvergenceTests {
    /// A Rosenbrock method with γ_i = Σ_j γ_ij gives the same step on a non-autonomous f as on
    /// its autonomous form with t as a state (Hairer & Wanner II, §IV.7): ROS3P's ∂f/∂t term,
    /// formed by a difference in t, reproduces the autonomous run's values and gradients to the
    /// difference's error, at every step count (not only in the limit).
    @Test func rosenbrockTimeDerivativeMatchesTheAutonomousForm() throws {
        let p: Vector = [1.3, 0.2, 0.5]
        let loss = ODELoss.finalState(
            value: { y in 0.5 * (y[0] * y[0] + y[1] * y[1]) },
            gradient: { y, s, yBar in
                yBar[0] += s * y[0]
                yBar[1] += s * y[1]
            })
        let step = StepSize.fixed(2.0 / 24)
        let timeDependent = try solve(
            ODEProblem(rightHandSide: ImplicitAdjointConvergence.forcedPendulumWithCurvature, initialState: [0.7, -0.4], parameters: p),
            method: .ros3p, span: 0...2, step: step
        ).gradient(of: loss, checkpointing: .revolve(memory: .slots(4)))
        let autonomous = try solve(
            ODEProblem(rightHandSide: ImplicitAdjointConvergence.autonomousPendulum, initialState: [0.7, -0.4, 0], parameters: p),
            method: .ros3p, span: 0...2, step: step
        ).gradient(of: loss, checkpointing: .revolve(memory: .slots(4)))
        let a = timeDependent.initialState.scalars + timeDependent.parameters.scalars
        let b = Array(autonomous.initialState.scalars.prefix(2)) + autonomous.parameters.scalars
        let scale = b.map(abs).max()!
        let difference = zip(a, b).map { abs($0 - $1) }.max()! / scale
        #expect(difference < 1e-6, "gradients \(a) and \(b)")
        #expect(abs(timeDependent.value - autonomous.value) < 1e-8 * abs(autonomous.value))
    }
}
