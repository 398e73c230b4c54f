import CheckpointedAD
import _Differentiation
import Foundation
import OptimalControl

/// Cart-pole swing-up (Kelly 2017, "An introduction to trajectory optimization: how to do
/// your own direct collocation", SIAM Review 59(4), 849–904, doi:10.1137/16M1062569,
/// §6 and Appendix E): a cart of mass m₁ on a track carries a pole of mass m₂ and length ℓ
/// hanging down; push the cart with a bounded force so that the pole ends upright above the
/// cart at distance d, with the least effort.
///
///     state (q₁, q₂, q̇₁, q̇₂) = (cart position, pole angle from hanging, their rates),
///     q̈₁ = (ℓm₂ sin q₂ q̇₂² + u + m₂g cos q₂ sin q₂) / (m₁ + m₂(1 − cos² q₂)),
///     q̈₂ = −(ℓm₂ cos q₂ sin q₂ q̇₂² + u cos q₂ + (m₁ + m₂)g sin q₂) / (ℓm₁ + ℓm₂(1 − cos² q₂)),
///     minimise ∫₀ᵀ u² dt,  |u| ≤ u_max,  |q₁| ≤ d_max,  x(T) = (d, π, 0, 0).
///
/// Kelly's values: m₁ = 1, m₂ = 0.3, ℓ = 0.5, g = 9.81, T = 2, d = 1, u_max = 20,
/// d_max = 2. Single shooting cannot impose x(T) exactly; here the terminal condition is a
/// quadratic penalty (w/2)‖x(T) − (d, π, 0, 0)‖² with w = 1000, and |q₁| ≤ d_max is a path
/// constraint handled by the augmented Lagrangian. The dynamics' pullback comes from Swift's
/// automatic differentiation (`ControlDynamics.init(stateDimension:controlDimension:differentiable:)`).
///
/// ```swift
/// let result = try CartPoleSwingUp.run(intervals: 50, substeps: 4)
/// result.measurements   // final angle, final position, terminal distance
/// ```
public enum CartPoleSwingUp {
    static let cartMass = 1.0, poleMass = 0.3, poleLength = 0.5, gravity = 9.81
    /// T.
    public static let horizon = 2.0
    /// d, the final cart position.
    public static let distance = 1.0
    /// u_max.
    public static let maximumForce = 20.0
    /// d_max.
    public static let trackLimit = 2.0
    /// w, the terminal penalty weight.
    public static let terminalWeight = 1000.0

    @differentiable(reverse)
    static func acceleration(_ x: [Double], _ u: [Double], _ t: Double) -> [Double] {
        let s = sin(x[1]), c = cos(x[1]), w = x[3], force = u[0]
        let m1 = cartMass, m2 = poleMass, l = poleLength, g = gravity
        let cart = (l * m2 * s * w * w + force + m2 * g * c * s) / (m1 + m2 * (1 - c * c))
        let pole = -(l * m2 * c * s * w * w + force * c + (m1 + m2) * g * s) / (l * m1 + l * m2 * (1 - c * c))
        return [x[2], x[3], cart, pole]
    }

    @differentiable(reverse)
    static func terminalPenalty(_ x: [Double]) -> Double {
        let a = x[0] - distance, b = x[1] - Double.pi, c = x[2], d = x[3]
        return 0.5 * terminalWeight * (a * a + b * b + c * c + d * d)
    }

    /// The problem.
    public static let problem = ControlProblem(
        dynamics: ControlDynamics(stateDimension: 4, controlDimension: 1) { x, u, t in acceleration(x, u, t) },
        initialState: [0, 0, 0, 0], horizon: 0...horizon,
        runningCost: RunningControlCost(value: { _, _, u, _ in u[0] * u[0] },
                                        gradient: { _, _, u, _, s, _, uBar in uBar[0] += 2 * s * u[0] }),
        terminalCost: TerminalCost(differentiable: { x in terminalPenalty(x) }),
        controlLower: [-maximumForce], controlUpper: [maximumForce],
        pathConstraint: PathConstraint(count: 2, evaluate: { _, x, _, _, c in
            c[0] = x[0] - trackLimit
            c[1] = -x[0] - trackLimit
        }, pullback: { _, _, _, _, w, xBar, _ in
            xBar[0] += w[0] - w[1]
        }))

    /// The transcription: N piecewise-linear forces, k RK4 substeps each.
    public static func shooting(intervals: Int = 50, substeps: Int = 4, checkpointing: Checkpointing<Vector> = .storeAll) -> SingleShooting {
        SingleShooting(problem: problem, intervals: intervals, substeps: substeps,
                       parameterization: .piecewiseLinear, checkpointing: checkpointing)
    }

    /// Solves from u ≡ 0 and reports where the pole and cart end.
    public static func run(intervals: Int = 50, substeps: Int = 4, checkpointing: Checkpointing<Vector> = .storeAll,
                           optimizer: LBFGSB = LBFGSB(maximumIterations: 2000),
                           progress: (ControlProgress) -> IterationDecision = { _ in .proceed }) throws -> ControlDemoResult {
        let transcription = shooting(intervals: intervals, substeps: substeps, checkpointing: checkpointing)
        let (solution, seconds) = try timed { try transcription.solve(optimizer: optimizer, progress: progress) }
        let final = solution.states.last!
        let effort = SingleShooting(problem: {
            var p = problem; p.terminalCost = nil; p.pathConstraint = nil; return p
        }(), intervals: intervals, substeps: substeps, parameterization: .piecewiseLinear).objective(controls: solution.controls)
        return ControlDemoResult(
            name: "Cart-pole swing-up", solution: solution, intervals: intervals, steps: transcription.stepCount,
            stateDimension: 4, checkpointing: "\(checkpointing)", seconds: seconds,
            measurements: [("final angle (π = upright)", final[1]), ("final position", final[0]),
                           ("distance to the target state", (zip(final, [distance, Double.pi, 0, 0]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }).squareRoot()),
                           ("effort ∫u² dt", effort),
                           ("max |cart position|", solution.states.map { abs($0[0]) }.max()!)])
    }
}
