/// An optimal-control problem on a fixed horizon [t₀, T]:
///
///     minimise  φ(x(T), p) + ∫ L(t, x, u, p) dt
///     subject to x′ = f(t, x, u, p),  x(t₀) = x₀,  u_min ≤ u(t) ≤ u_max,
///                c(t_k, x(t_k), u(t_k), p) ≤ 0 at the control nodes,
///                x_min ≤ x(t_k) ≤ x_max at the nodes t_1 … t_N.
///
/// A problem says *what* to solve; ``SingleShooting`` and ``MultipleShooting`` say how
/// (control grid, substeps, Runge–Kutta method, gradient strategy and memory budget).
///
/// ```swift
/// let problem = ControlProblem(
///     dynamics: relax, initialState: [1], horizon: 0...1,
///     runningCost: energy, controlLower: [-1], controlUpper: [1])
/// ```
public struct ControlProblem: Sendable {
    /// f and its vector-Jacobian product.
    public var dynamics: ControlDynamics
    /// x₀.
    public var initialState: [Double]
    /// [t₀, T].
    public var horizon: ClosedRange<Double>
    /// p: constant parameters handed to every callback (not optimised).
    public var parameters: [Double]
    /// L, or nil.
    public var runningCost: RunningControlCost?
    /// φ, or nil.
    public var terminalCost: TerminalCost?
    /// u_min per control component (−∞ for none).
    public var controlLower: [Double]
    /// u_max per control component (+∞ for none).
    public var controlUpper: [Double]
    /// Node constraints c ≤ 0, or nil.
    public var pathConstraint: PathConstraint?
    /// x_min per state component at the nodes t_1 … t_N (−∞ for none; x₀ must satisfy it).
    public var stateLower: [Double]
    /// x_max per state component at the nodes t_1 … t_N (+∞ for none; x₀ must satisfy it).
    public var stateUpper: [Double]

    /// A problem; bounds default to none.
    /// - Precondition: x₀ has the dynamics' state dimension, the bounds its control dimension,
    ///   the horizon positive length.
    public init(dynamics: ControlDynamics, initialState: [Double], horizon: ClosedRange<Double>,
                parameters: [Double] = [], runningCost: RunningControlCost? = nil,
                terminalCost: TerminalCost? = nil, controlLower: [Double]? = nil,
                controlUpper: [Double]? = nil, pathConstraint: PathConstraint? = nil,
                stateLower: [Double]? = nil, stateUpper: [Double]? = nil) {
        let m = dynamics.controlDimension
        precondition(initialState.count == dynamics.stateDimension,
                     "x₀ has \(initialState.count) entries but the dynamics have \(dynamics.stateDimension) states")
        precondition(horizon.upperBound > horizon.lowerBound, "the horizon must have positive length, got \(horizon)")
        self.dynamics = dynamics
        self.initialState = initialState
        self.horizon = horizon
        self.parameters = parameters
        self.runningCost = runningCost
        self.terminalCost = terminalCost
        self.controlLower = controlLower ?? Array(repeating: -.infinity, count: m)
        self.controlUpper = controlUpper ?? Array(repeating: .infinity, count: m)
        precondition(self.controlLower.count == m && self.controlUpper.count == m,
                     "control bounds have \(self.controlLower.count) and \(self.controlUpper.count) entries, the dynamics have \(m) controls")
        self.pathConstraint = pathConstraint
        let n = dynamics.stateDimension
        self.stateLower = stateLower ?? Array(repeating: -.infinity, count: n)
        self.stateUpper = stateUpper ?? Array(repeating: .infinity, count: n)
        precondition(self.stateLower.count == n && self.stateUpper.count == n,
                     "state bounds have \(self.stateLower.count) and \(self.stateUpper.count) entries, the dynamics have \(n) states")
    }

    /// n.
    public var stateDimension: Int { dynamics.stateDimension }
    /// m.
    public var controlDimension: Int { dynamics.controlDimension }
}
