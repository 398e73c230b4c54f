/// The dynamics x′ = f(t, x, u, p) of a control problem, with its vector-Jacobian product,
/// on flat contiguous `Double` storage.
///
/// `evaluate(t, x, u, p, dxdt)` writes f into `dxdt`. `pullback(t, x, u, p, v, xBar, uBar)`
/// **writes** (∂f/∂x)ᵀ v into `xBar` and **adds** (∂f/∂u)ᵀ v to `uBar`; single shooting calls
/// it once per Runge–Kutta stage. The buffers never alias one another; `p` holds the
/// problem's constant parameters and may be empty.
///
/// ```swift
/// // x′ = −x + u
/// let relax = ControlDynamics(stateDimension: 1, controlDimension: 1,
///     evaluate: { _, x, u, _, dxdt in dxdt[0] = -x[0] + u[0] },
///     pullback: { _, _, _, _, v, xBar, uBar in xBar[0] = -v[0]; uBar[0] += v[0] })
/// ```
public struct ControlDynamics: Sendable {
    /// Writes f(t, x, u, p) into its last argument.
    public typealias Evaluate = @Sendable (
        _ t: Double, _ x: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>,
        _ p: UnsafeBufferPointer<Double>, _ dxdt: UnsafeMutableBufferPointer<Double>
    ) -> Void
    /// Writes (∂f/∂x)ᵀ v into `xBar` and adds (∂f/∂u)ᵀ v to `uBar`.
    public typealias Pullback = @Sendable (
        _ t: Double, _ x: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>,
        _ p: UnsafeBufferPointer<Double>, _ cotangent: UnsafeBufferPointer<Double>,
        _ xBar: UnsafeMutableBufferPointer<Double>, _ uBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// n: the length of the state x.
    public let stateDimension: Int
    /// m: the number of control components u.
    public let controlDimension: Int
    /// f(t, x, u, p).
    public let evaluate: Evaluate
    /// The vector-Jacobian product of f.
    public let pullback: Pullback

    /// Dynamics from a function and its hand-written vector-Jacobian product.
    public init(stateDimension: Int, controlDimension: Int, evaluate: @escaping Evaluate, pullback: @escaping Pullback) {
        precondition(stateDimension >= 1 && controlDimension >= 1,
                     "a control problem needs at least one state and one control, got \(stateDimension) and \(controlDimension)")
        self.stateDimension = stateDimension
        self.controlDimension = controlDimension
        self.evaluate = evaluate
        self.pullback = pullback
    }
}

/// A running cost L(t, x, u, p), integrated over the horizon by the same Runge–Kutta method
/// as the state (∫ L dt ≈ Σ_steps h Σ_i b_i L(stage i)).
///
/// `value` returns L; `gradient(t, x, u, p, scale, xBar, uBar)` **adds** scale·∂L/∂x to
/// `xBar` and scale·∂L/∂u to `uBar`.
///
/// ```swift
/// // ∫ x₀² + u₀² dt
/// let energy = RunningControlCost(
///     value: { _, x, u, _ in x[0] * x[0] + u[0] * u[0] },
///     gradient: { _, x, u, _, s, xBar, uBar in xBar[0] += 2 * s * x[0]; uBar[0] += 2 * s * u[0] })
/// ```
public struct RunningControlCost: Sendable {
    /// L(t, x, u, p).
    public typealias Value = @Sendable (
        _ t: Double, _ x: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>
    ) -> Double
    /// Adds scale·∇ₓL to `xBar` and scale·∇ᵤL to `uBar`.
    public typealias Gradient = @Sendable (
        _ t: Double, _ x: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>,
        _ scale: Double, _ xBar: UnsafeMutableBufferPointer<Double>, _ uBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// L(t, x, u, p).
    public let value: Value
    /// The scaled gradient of L, accumulated.
    public let gradient: Gradient

    /// A running cost from its value and gradient.
    public init(value: @escaping Value, gradient: @escaping Gradient) {
        self.value = value
        self.gradient = gradient
    }
}

/// A terminal cost φ(x(T), p) and its gradient (`gradient(x, p, xBar)` **adds** ∇φ to `xBar`).
///
/// ```swift
/// // ½‖x(T) − target‖²
/// let reach = TerminalCost(value: { x, _ in 0.5 * (x[0] - 1) * (x[0] - 1) },
///                          gradient: { x, _, xBar in xBar[0] += x[0] - 1 })
/// ```
public struct TerminalCost: Sendable {
    /// φ(x, p).
    public typealias Value = @Sendable (_ x: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>) -> Double
    /// Adds ∇ₓφ to `xBar`.
    public typealias Gradient = @Sendable (
        _ x: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>, _ xBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// φ(x, p).
    public let value: Value
    /// ∇ₓφ, accumulated.
    public let gradient: Gradient

    /// A terminal cost from its value and gradient.
    public init(value: @escaping Value, gradient: @escaping Gradient) {
        self.value = value
        self.gradient = gradient
    }
}
