import AdjointODE
import CheckpointedAD
import Foundation

/// The observed order of the implicit methods' discrete-adjoint gradients on a nonlinear,
/// time-dependent problem: a forced, damped pendulum with a quadratic term,
/// y1′ = y2, y2′ = −p1 sin y1 − p2 y2 + p3 cos t + y1 y2/4, p = (1.3, 0.2, 0.5),
/// y0 = (0.7, −0.4), T = 2, L = ½‖y(T)‖².
///
/// The truth is the gradient of a different method family, explicit Dormand–Prince 5(4)
/// with 8192 fixed steps (its own error is O(h⁵) ≈ 10⁻¹⁶ relative). Every gradient is the
/// discrete adjoint through the checkpointing driver (Revolve, 6 slots), so the table checks
/// that the adjoint of an order-p method converges at order p (Hager 2000, Sandu 2006).
///
/// ```swift
/// for row in try ImplicitAdjointConvergence.table() { print(row) }
/// ```
public enum ImplicitAdjointConvergence {
    /// The forced pendulum's right-hand side, with its VJP.
    public static let forcedPendulum = RightHandSide(
        dimension: 2, parameterCount: 3,
        evaluate: { t, y, p, dydt in
            dydt[0] = y[1]
            dydt[1] = -p[0] * sin(y[0]) - p[1] * y[1] + p[2] * cos(t) + 0.25 * y[0] * y[1]
        },
        pullback: { t, y, p, v, yBar, pBar in
            yBar[0] = v[1] * (-p[0] * cos(y[0]) + 0.25 * y[1])
            yBar[1] = v[0] + v[1] * (-p[1] + 0.25 * y[0])
            pBar[0] += -sin(y[0]) * v[1]
            pBar[1] += -y[1] * v[1]
            pBar[2] += cos(t) * v[1]
        })

    /// ``forcedPendulum`` with the derivative of its Jacobian, for Rosenbrock adjoints.
    public static let forcedPendulumWithCurvature = forcedPendulum.withSecondOrderPullback { _, y, p, u, w, yBar, pBar in
        // wᵀJu = w1 u2 + w2 ((−p1 cos y1 + y2/4) u1 + (−p2 + y1/4) u2)
        yBar[0] += w[1] * (p[0] * sin(y[0]) * u[0] + 0.25 * u[1])
        yBar[1] += w[1] * 0.25 * u[0]
        pBar[0] += -w[1] * cos(y[0]) * u[0]
        pBar[1] += -w[1] * u[1]
    }

    /// The same pendulum made autonomous, with the forcing's phase τ as a third state
    /// (τ′ = 1, τ(0) = 0), and the derivative of its Jacobian: a Rosenbrock method then needs
    /// no ∂f/∂t, so its table checks the non-autonomous one's ∂f/∂t term.
    public static let autonomousPendulum = RightHandSide(
        dimension: 3, parameterCount: 3,
        evaluate: { _, y, p, dydt in
            dydt[0] = y[1]
            dydt[1] = -p[0] * sin(y[0]) - p[1] * y[1] + p[2] * cos(y[2]) + 0.25 * y[0] * y[1]
            dydt[2] = 1
        },
        pullback: { _, y, p, v, yBar, pBar in
            yBar[0] = v[1] * (-p[0] * cos(y[0]) + 0.25 * y[1])
            yBar[1] = v[0] + v[1] * (-p[1] + 0.25 * y[0])
            yBar[2] = -v[1] * p[2] * sin(y[2])
            pBar[0] += -sin(y[0]) * v[1]
            pBar[1] += -y[1] * v[1]
            pBar[2] += cos(y[2]) * v[1]
        }
    ).withSecondOrderPullback { _, y, p, u, w, yBar, pBar in
        // wᵀJu = w1 u2 + w2 ((−p1 cos y1 + y2/4) u1 + (−p2 + y1/4) u2 − p3 sin τ u3)
        yBar[0] += w[1] * (p[0] * sin(y[0]) * u[0] + 0.25 * u[1])
        yBar[1] += w[1] * 0.25 * u[0]
        yBar[2] += -w[1] * p[2] * cos(y[2]) * u[2]
        pBar[0] += -w[1] * cos(y[0]) * u[0]
        pBar[1] += -w[1] * u[1]
        pBar[2] += -w[1] * sin(y[2]) * u[2]
    }

    /// The error table of a Rosenbrock method on the time-dependent ``forcedPendulum`` (its
    /// stages need the γ_i h ∂f/∂t term), or with `autonomous` on ``autonomousPendulum``; the
    /// gradient with respect to the pendulum's y₀ and p, against the same truth as
    /// ``table(methods:steps:doublings:)``.
    public static func rosenbrockTable(
        method: RosenbrockTableau = .ros3p, steps: Int = 8, doublings: Int = 4, autonomous: Bool = false
    ) throws(ODEError) -> [AdjointConvergence.Row] {
        let truth = try reference()
        let scale = truth.map(abs).max()!
        let problem = autonomous
            ? ODEProblem(rightHandSide: autonomousPendulum, initialState: [0.7, -0.4, 0], parameters: [1.3, 0.2, 0.5])
            : ODEProblem(rightHandSide: forcedPendulumWithCurvature, initialState: [0.7, -0.4], parameters: [1.3, 0.2, 0.5])
        let loss = ODELoss.finalState(
            value: { y in 0.5 * (y[0] * y[0] + y[1] * y[1]) },
            gradient: { y, s, yBar in
                yBar[0] += s * y[0]
                yBar[1] += s * y[1]
            })
        var rows: [AdjointConvergence.Row] = []
        var previous: Double?
        for k in 0...doublings {
            let n = steps << k
            let g = try solve(problem, method: method, span: 0...horizon, step: .fixed(horizon / Double(n)))
                .gradient(of: loss, checkpointing: .revolve(memory: .slots(6)))
            let computed = Array(g.initialState.scalars.prefix(2)) + g.parameters.scalars
            let error = zip(computed, truth).map { abs($0 - $1) }.max()! / scale
            rows.append(.init(method: method.name, order: method.order, steps: n, error: error, observedOrder: previous.map { log2($0 / error) }))
            previous = error
        }
        return rows
    }

    static let problem = ODEProblem(rightHandSide: forcedPendulum, initialState: [0.7, -0.4], parameters: [1.3, 0.2, 0.5])
    static let horizon = 2.0

    /// Newton converged to near round-off, so that the table shows the method's error only.
    public static let tightNewton = NewtonOptions(relative: 1e-13, absolute: 1e-15, maximumIterations: 30, divergenceRate: 1)

    /// (∂L/∂y₀, ∂L/∂p) by Dormand–Prince 5(4) with 8192 steps.
    public static func reference() throws(ODEError) -> [Double] {
        let g = try solve(problem, method: .dormandPrince54, span: 0...horizon, step: .fixed(horizon / 8192))
            .gradient(of: StiffProblems.halfSquaredNorm, checkpointing: .revolve(memory: .slots(32)))
        return g.initialState.scalars + g.parameters.scalars
    }

    /// The error table for `methods` at n = `steps`, 2·`steps`, … (`doublings` + 1 rows each).
    ///
    /// - Complexity: one reference gradient (8192 steps), then per method Σ n·(t(n, 6)/n + 1) steps.
    public static func table(
        methods: [DiagonallyImplicitTableau] = DiagonallyImplicitTableau.all, steps: Int = 8, doublings: Int = 4
    ) throws(ODEError) -> [AdjointConvergence.Row] {
        let truth = try reference()
        var rows: [AdjointConvergence.Row] = []
        for method in methods {
            rows += try convergence(name: method.name, order: method.order, truth: truth, steps: steps, doublings: doublings) { n throws(ODEError) in
                try solve(problem, method: method, span: 0...horizon, step: .fixed(horizon / Double(n)), newton: tightNewton)
            }
        }
        return rows
    }

    /// The same table for explicit methods, on the same nonlinear, time-dependent problem
    /// (the linear problem of ``AdjointConvergence`` has closed-form truths; this one tests
    /// the stage times and the nonlinearity too).
    public static func explicitTable(methods: [ButcherTableau] = ButcherTableau.all, steps: Int = 8, doublings: Int = 4) throws(ODEError) -> [AdjointConvergence.Row] {
        let truth = try reference()
        var rows: [AdjointConvergence.Row] = []
        for method in methods {
            rows += try convergence(name: method.name, order: method.order, truth: truth, steps: steps, doublings: doublings) { n throws(ODEError) in
                try solve(problem, method: method, span: 0...horizon, step: .fixed(horizon / Double(n)))
            }
        }
        return rows
    }

    /// Rows for one method: the gradient of ½‖y(T)‖² from `solution(n)` against `truth`.
    static func convergence(
        name: String, order: Int, truth: [Double], steps: Int, doublings: Int, solution: (Int) throws(ODEError) -> ODESolution
    ) throws(ODEError) -> [AdjointConvergence.Row] {
        let scale = truth.map(abs).max()!
        var rows: [AdjointConvergence.Row] = []
        var previous: Double?
        for k in 0...doublings {
            let n = steps << k
            let g = try solution(n).gradient(of: StiffProblems.halfSquaredNorm, checkpointing: .revolve(memory: .slots(6)))
            let computed = g.initialState.scalars + g.parameters.scalars
            let error = zip(computed, truth).map { abs($0 - $1) }.max()! / scale
            rows.append(.init(method: name, order: order, steps: n, error: error, observedOrder: previous.map { log2($0 / error) }))
            previous = error
        }
        return rows
    }

    /// The full table (every implicit method and ROS3P, the latter also on the autonomous
    /// form, n = 8 … 128) as aligned text: what `rewind demo --problem implicit-order` prints.
    public static func report() throws(ODEError) -> String {
        let autonomous = try rosenbrockTable(steps: 8, doublings: 4, autonomous: true).map { row in
            var row = row
            row.method += " (t as state)"
            return row
        }
        let rows = try table(steps: 8, doublings: 4) + rosenbrockTable(steps: 8, doublings: 4) + autonomous
        var lines = ["method                p      n   relative error   observed order"]
        for row in rows {
            let observed = row.observedOrder.map { String(format: "%.2f", $0) } ?? "—"
            lines.append(
                row.method.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%3d %6d   %.3e        ", row.order, row.steps, row.error) + observed)
        }
        return lines.joined(separator: "\n")
    }
}
