import CheckpointedAD
import AdjointODE
import Foundation
import OptimalControl

/// The optimal-control test problem Walther & Narayanan use with revolve ("Extending the
/// binomial checkpointing technique for resilience", 2016, OSTI 1364654):
///
///     minimise y₂(1)  subject to  y₁′ = ½y₁ + u,  y₁(0) = 1,
///                                 y₂′ = y₁² + ½u²,  y₂(0) = 0,   t ∈ [0, 1].
///
/// Here y₂ is the running cost ∫ y₁² + ½u² dt, so the state is y₁ alone. The optimality
/// conditions (H = λ(½y₁ + u) + y₁² + ½u², u = −λ, λ′ = −½λ − 2y₁, λ(1) = 0) give
///
///     u*(t)  = 2(e^{3t} − e³) / (e^{3t/2}(2 + e³)),
///     y₁*(t) = (2e^{3t} + e³) / (e^{3t/2}(2 + e³)),     λ*(t) = −u*(t).
///
/// (A banner printed by one public implementation drops the factor 2 from u*; that
/// function does not satisfy y₁′ = ½y₁ + u.)
///
/// ```swift
/// let result = try WaltherNarayanan.run(intervals: 40)
/// result.measurements   // max |u − u*|, max |y₁ − y₁*| at the nodes
/// ```
/// Measured with RK4 (see the tests and `Papers/WaltherNarayanan2016.md`): with
/// piecewise-linear controls the node errors of u shrink as O(Δ²) (the control space's
/// interpolation order) while y₁ at the nodes and J converge at RK4's O(Δ⁴); with
/// piecewise-constant controls u at interval midpoints, y₁ and J all converge as O(Δ²).
/// Below about 1e-7 in u the optimisation itself is the limit: J is flat to rounding there.
public enum WaltherNarayanan {
    /// u*(t).
    public static func optimalControl(_ t: Double) -> Double {
        let e3 = exp(3.0)
        return 2 * (exp(3 * t) - e3) / (exp(1.5 * t) * (2 + e3))
    }

    /// y₁*(t).
    public static func optimalState(_ t: Double) -> Double {
        let e3 = exp(3.0)
        return (2 * exp(3 * t) + e3) / (exp(1.5 * t) * (2 + e3))
    }

    /// The optimal value y₂*(1) = (e³ − 1)/(e³ + 2) ≈ 0.864164: for this linear–quadratic
    /// problem the value function is V(t, y) = ½P(t)y² with λ = ∂V/∂y, so
    /// J* = ½λ*(0)y₁(0) = −½u*(0).
    public static var optimalObjective: Double {
        (exp(3.0) - 1) / (exp(3.0) + 2)
    }

    /// y₁′ = ½y₁ + u.
    public static let dynamics = ControlDynamics(stateDimension: 1, controlDimension: 1, evaluate: { _, y, u, _, dydt in
        dydt[0] = 0.5 * y[0] + u[0]
    }, pullback: { _, _, _, _, v, yBar, uBar in
        yBar[0] = 0.5 * v[0]
        uBar[0] += v[0]
    })

    /// L = y₁² + ½u² (the right-hand side of y₂).
    public static let cost = RunningControlCost(value: { _, y, u, _ in
        y[0] * y[0] + 0.5 * u[0] * u[0]
    }, gradient: { _, y, u, _, s, yBar, uBar in
        yBar[0] += 2 * s * y[0]
        uBar[0] += s * u[0]
    })

    /// The problem (no bounds on u).
    public static let problem = ControlProblem(dynamics: dynamics, initialState: [1], horizon: 0...1, runningCost: cost)

    /// The transcription: N piecewise-linear controls (by default), k RK4 substeps each.
    public static func shooting(intervals: Int, substeps: Int = 1,
                                parameterization: ControlParameterization = .piecewiseLinear,
                                checkpointing: Checkpointing<Vector> = .storeAll) -> SingleShooting {
        SingleShooting(problem: problem, intervals: intervals, substeps: substeps,
                       parameterization: parameterization, checkpointing: checkpointing)
    }

    /// Solves to tight tolerances and measures the errors against u*, y₁* at the nodes
    /// (piecewise linear) or interval midpoints (piecewise constant).
    public static func run(intervals: Int, substeps: Int = 1,
                           parameterization: ControlParameterization = .piecewiseLinear,
                           checkpointing: Checkpointing<Vector> = .storeAll,
                           optimizer: LBFGSB = LBFGSB(gradientTolerance: 1e-10, relativeObjectiveTolerance: 1e-15),
                           progress: (ControlProgress) -> IterationDecision = { _ in .proceed }) throws -> ControlDemoResult {
        let transcription = shooting(intervals: intervals, substeps: substeps, parameterization: parameterization, checkpointing: checkpointing)
        let (solution, seconds) = try timed { try transcription.solve(optimizer: optimizer, progress: progress) }
        let errors = self.errors(of: solution, parameterization: parameterization)
        return ControlDemoResult(
            name: "Walther–Narayanan", solution: solution, intervals: intervals, steps: transcription.stepCount,
            stateDimension: 1, checkpointing: "\(checkpointing)", seconds: seconds,
            measurements: [("max |u − u*|", errors.control), ("max |y1 − y1*|", errors.state),
                           ("|J − J*|", abs(solution.objective - optimalObjective))])
    }

    /// The largest control and state errors of a solution against the analytic optimum.
    public static func errors(of solution: ControlSolution, parameterization: ControlParameterization) -> (control: Double, state: Double) {
        var controlError = 0.0
        for (j, value) in solution.controls.enumerated() {
            let t = parameterization == .piecewiseLinear
                ? solution.controlTimes[j]
                : 0.5 * (solution.nodeTimes[j] + solution.nodeTimes[j + 1])
            controlError = Swift.max(controlError, abs(value - optimalControl(t)))
        }
        var stateError = 0.0
        for (k, state) in solution.states.enumerated() {
            stateError = Swift.max(stateError, abs(state[0] - optimalState(solution.nodeTimes[k])))
        }
        return (controlError, stateError)
    }
}
