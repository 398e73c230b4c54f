/// The right-hand side f(t, y, p) of an ODE y′ = f(t, y, p), with its vector-Jacobian
/// product, on flat contiguous `Double` storage.
///
/// `evaluate(t, y, p, dydt)` writes f(t, y, p) into `dydt`. `pullback(t, y, p, v, yBar, pBar)`
/// **writes** ȳ = (∂f/∂y)ᵀ v into `yBar` and **adds** (∂f/∂p)ᵀ v to `pBar`. The Runge–Kutta
/// adjoint calls it once per stage (see ``RungeKuttaStepper``). Give a hand-written,
/// fused pullback for speed, or build one from a `@differentiable(reverse)` function with
/// ``init(dimension:parameterCount:differentiable:)``.
///
/// ```swift
/// // y′ = −p₀ y (exponential decay)
/// let decay = RightHandSide(dimension: 1, parameterCount: 1,
///     evaluate: { _, y, p, dydt in dydt[0] = -p[0] * y[0] },
///     pullback: { _, y, p, v, yBar, pBar in yBar[0] = -p[0] * v[0]; pBar[0] += -y[0] * v[0] })
/// ```
///
/// The buffers never alias one another. `p` may be empty.
public struct RightHandSide: Sendable {
    /// Writes f(t, y, p) into its last argument.
    public typealias Evaluate = @Sendable (
        _ t: Double, _ y: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>,
        _ dydt: UnsafeMutableBufferPointer<Double>
    ) -> Void
    /// Writes (∂f/∂y)ᵀ v into `yBar` and adds (∂f/∂p)ᵀ v to `pBar`.
    public typealias Pullback = @Sendable (
        _ t: Double, _ y: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>,
        _ cotangent: UnsafeBufferPointer<Double>, _ yBar: UnsafeMutableBufferPointer<Double>,
        _ pBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// N: the length of the state y.
    public let dimension: Int
    /// The number of parameters p.
    public let parameterCount: Int
    /// f(t, y, p).
    public let evaluate: Evaluate
    /// The vector-Jacobian product of f with respect to y (written) and p (accumulated).
    public let pullback: Pullback
    /// The sparsity of ∂f/∂y that implicit methods exploit (dense by default; see
    /// ``withJacobianStructure(_:)``). Explicit methods ignore it.
    public internal(set) var jacobianStructure: JacobianStructure = .dense
    /// The derivative of the Jacobian, for Rosenbrock adjoints (`nil` unless given with
    /// ``withSecondOrderPullback(_:)``).
    public internal(set) var secondOrderPullback: SecondOrderPullback?
    /// The preconditioner of matrix-free stage solves (`nil` unless given with
    /// ``withPreconditioner(_:)``).
    public internal(set) var preconditioner: Preconditioner?

    /// Adds ∇_y (wᵀ J(t, y, p) u) to `yBar` and ∇_p (wᵀ J(t, y, p) u) to `pBar`, where
    /// J = ∂f/∂y: the second-order term a Rosenbrock method's exact adjoint needs, because
    /// its stages use J(t, y) itself.
    public typealias SecondOrderPullback = @Sendable (
        _ t: Double, _ y: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>,
        _ direction: UnsafeBufferPointer<Double>, _ cotangent: UnsafeBufferPointer<Double>,
        _ yBar: UnsafeMutableBufferPointer<Double>, _ pBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// A right-hand side from a function and its hand-written vector-Jacobian product.
    public init(dimension: Int, parameterCount: Int, evaluate: @escaping Evaluate, pullback: @escaping Pullback) {
        precondition(dimension >= 1 && parameterCount >= 0, "an ODE needs dimension ≥ 1 and parameterCount ≥ 0, got \(dimension) and \(parameterCount)")
        self.dimension = dimension
        self.parameterCount = parameterCount
        self.evaluate = evaluate
        self.pullback = pullback
    }
}

/// A scalar running cost g(t, y, p), integrated along the trajectory by the same
/// Runge–Kutta method as the state: L += Σ_steps h Σ_i b_i g(t + c_i h, Y_i, p).
///
/// `value(t, y, p)` returns g; `gradient(t, y, p, scale, yBar, pBar)` **adds**
/// scale · ∂g/∂y to `yBar` and scale · ∂g/∂p to `pBar`.
///
/// ```swift
/// // ∫ ½ y₀² dt
/// let energy = RunningCost(value: { _, y, _ in 0.5 * y[0] * y[0] },
///                          gradient: { _, y, _, s, yBar, _ in yBar[0] += s * y[0] })
/// ```
public struct RunningCost: Sendable {
    /// g(t, y, p).
    public typealias Value = @Sendable (_ t: Double, _ y: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>) -> Double
    /// Adds scale · ∇_y g to `yBar` and scale · ∇_p g to `pBar`.
    public typealias Gradient = @Sendable (
        _ t: Double, _ y: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>, _ scale: Double,
        _ yBar: UnsafeMutableBufferPointer<Double>, _ pBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// g(t, y, p).
    public let value: Value
    /// The scaled gradient of g, accumulated.
    public let gradient: Gradient

    /// A running cost from its value and gradient.
    public init(value: @escaping Value, gradient: @escaping Gradient) {
        self.value = value
        self.gradient = gradient
    }
}

extension RightHandSide {
    /// This right-hand side with the derivative of its Jacobian, which Rosenbrock methods'
    /// adjoints need: `secondOrder(t, y, p, u, w, yBar, pBar)` **adds** ∇_y (wᵀ J u) to
    /// `yBar` and ∇_p (wᵀ J u) to `pBar`.
    ///
    /// ```swift
    /// // y′ = −p₀ y²: J = −2p₀ y, wᵀJu = −2p₀ y u w.
    /// let rhs = quadraticDecay.withSecondOrderPullback { _, y, p, u, w, yBar, pBar in
    ///     yBar[0] += -2 * p[0] * u[0] * w[0]
    ///     pBar[0] += -2 * y[0] * u[0] * w[0]
    /// }
    /// ```
    public func withSecondOrderPullback(_ secondOrder: @escaping SecondOrderPullback) -> RightHandSide {
        var copy = self
        copy.secondOrderPullback = secondOrder
        return copy
    }
}
