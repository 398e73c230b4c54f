import CheckpointedAD
import AdjointODE
import OptimalControl

/// The Van der Pol oscillator steered to rest, the classic single-shooting example:
///
///     minimise ∫₀¹⁰ x₁² + x₂² + u² dt
///     subject to x₁′ = (1 − x₂²)x₁ − x₂ + u,  x₂′ = x₁,  x(0) = (0, 1),  −1 ≤ u ≤ 1.
///
/// ```swift
/// let result = try VanDerPol.run(intervals: 20, substeps: 4)
/// print(result.summary)
/// ```
/// The published runs use N = 20 piecewise-constant controls with 4 RK4 substeps each,
/// and N = 2000 (8000 steps) to exercise the checkpointed gradient.
public enum VanDerPol {
    /// f with its hand-written vector-Jacobian product.
    public static let dynamics = ControlDynamics(stateDimension: 2, controlDimension: 1, evaluate: { _, x, u, _, dxdt in
        dxdt[0] = (1 - x[1] * x[1]) * x[0] - x[1] + u[0]
        dxdt[1] = x[0]
    }, pullback: { _, x, _, _, v, xBar, uBar in
        xBar[0] = (1 - x[1] * x[1]) * v[0] + v[1]
        xBar[1] = (-2 * x[0] * x[1] - 1) * v[0]
        uBar[0] += v[0]
    })

    /// L = x₁² + x₂² + u².
    public static let cost = RunningControlCost(value: { _, x, u, _ in
        x[0] * x[0] + x[1] * x[1] + u[0] * u[0]
    }, gradient: { _, x, u, _, s, xBar, uBar in
        xBar[0] += 2 * s * x[0]
        xBar[1] += 2 * s * x[1]
        uBar[0] += 2 * s * u[0]
    })

    /// The problem.
    public static let problem = ControlProblem(
        dynamics: dynamics, initialState: [0, 1], horizon: 0...10, runningCost: cost,
        controlLower: [-1], controlUpper: [1])

    /// The path constraint of CasADi's multiple-shooting example: x₁ ≥ −0.25 at the ends of
    /// the control intervals.
    public static let pathFloor = -0.25

    /// The problem on [0, T], optionally with x₁ ≥ ``pathFloor`` at t_1 … t_N (a state bound).
    ///
    /// Optima of the RK4 transcription with 4 substeps per interval (CasADi 3.8.2 with IPOPT,
    /// exact Hessian): T = 10, N = 20: 2.933007288660799 (unconstrained), 3.7329693928836893
    /// (path constraint); T = 10, N = 2000: 2.8733100986225, 3.6151898598051586 (path
    /// constraint); T = 250, N = 2000: 2.8769381287379643.
    public static func problem(horizon: Double = 10, pathConstraint: Bool = false) -> ControlProblem {
        ControlProblem(dynamics: dynamics, initialState: [0, 1], horizon: 0...horizon, runningCost: cost,
                       controlLower: [-1], controlUpper: [1],
                       stateLower: pathConstraint ? [pathFloor, -.infinity] : nil)
    }

    /// The transcription: N piecewise-constant controls, k RK4 substeps each.
    public static func shooting(intervals: Int = 20, substeps: Int = 4, checkpointing: Checkpointing<Vector> = .storeAll) -> SingleShooting {
        SingleShooting(problem: problem, intervals: intervals, substeps: substeps, checkpointing: checkpointing)
    }

    /// Solves from u ≡ 0 and reports the final state.
    public static func run(intervals: Int = 20, substeps: Int = 4, checkpointing: Checkpointing<Vector> = .storeAll,
                           optimizer: LBFGSB = LBFGSB(),
                           progress: (ControlProgress) -> IterationDecision = { _ in .proceed }) throws -> ControlDemoResult {
        let transcription = shooting(intervals: intervals, substeps: substeps, checkpointing: checkpointing)
        let (solution, seconds) = try timed {
            try transcription.solve(optimizer: optimizer, progress: progress)
        }
        let final = solution.states.last!
        return ControlDemoResult(
            name: "Van der Pol", solution: solution, intervals: intervals, steps: transcription.stepCount,
            stateDimension: 2, checkpointing: "\(checkpointing)", seconds: seconds,
            measurements: [("x1(T)", final[0]), ("x2(T)", final[1]),
                           ("active bounds", Double(solution.controls.count { abs($0) == 1 }))])
    }
}
