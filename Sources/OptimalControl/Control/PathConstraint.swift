/// Inequality path constraints c(t, x, u, p) ≤ 0, imposed at every node t_k of the control
/// grid (k = 0 … N) with the state there and the control in force there.
///
/// `evaluate(t, x, u, p, c)` writes the `count` constraint values into `c`;
/// `pullback(t, x, u, p, w, xBar, uBar)` **adds** (∂c/∂x)ᵀ w to `xBar` and (∂c/∂u)ᵀ w to `uBar`.
/// Single shooting handles them by a penalty or an augmented Lagrangian
/// (``ConstraintHandling``), so the optimiser only sees box bounds.
///
/// ```swift
/// // x₀ ≥ −0.4, i.e. −x₀ − 0.4 ≤ 0
/// let floor = PathConstraint(count: 1,
///     evaluate: { _, x, _, _, c in c[0] = -x[0] - 0.4 },
///     pullback: { _, _, _, _, w, xBar, _ in xBar[0] -= w[0] })
/// ```
public struct PathConstraint: Sendable {
    /// Writes c(t, x, u, p) into its last argument.
    public typealias Evaluate = @Sendable (
        _ t: Double, _ x: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>,
        _ p: UnsafeBufferPointer<Double>, _ c: UnsafeMutableBufferPointer<Double>
    ) -> Void
    /// Adds (∂c/∂x)ᵀ w to `xBar` and (∂c/∂u)ᵀ w to `uBar`.
    public typealias Pullback = @Sendable (
        _ t: Double, _ x: UnsafeBufferPointer<Double>, _ u: UnsafeBufferPointer<Double>,
        _ p: UnsafeBufferPointer<Double>, _ weights: UnsafeBufferPointer<Double>,
        _ xBar: UnsafeMutableBufferPointer<Double>, _ uBar: UnsafeMutableBufferPointer<Double>
    ) -> Void

    /// The number of scalar constraints.
    public let count: Int
    /// c(t, x, u, p).
    public let evaluate: Evaluate
    /// The vector-Jacobian product of c, accumulated.
    public let pullback: Pullback

    /// Constraints from their values and vector-Jacobian product.
    public init(count: Int, evaluate: @escaping Evaluate, pullback: @escaping Pullback) {
        precondition(count >= 1, "a path constraint needs at least one component, got \(count)")
        self.count = count
        self.evaluate = evaluate
        self.pullback = pullback
    }
}

/// How single shooting turns path constraints into terms of the objective.
///
/// With c_{k,j} the j-th constraint at node k, each term is the augmented-Lagrangian
/// function of an inequality (Nocedal & Wright 2006, §17.4, eq. (17.65))
///     ψ(c, μ, ρ) = (max(0, μ + ρc)² − μ²) / (2ρ),
/// which with μ = 0 is the quadratic penalty (ρ/2)·max(0, c)².
public enum ConstraintHandling: Sendable, Equatable {
    /// One solve with the quadratic penalty (ρ/2) Σ max(0, c)².
    case penalty(weight: Double)
    /// Outer iterations μ ← max(0, μ + ρc), ρ ← growth·ρ while the violation does not
    /// shrink by 4×, each around one L-BFGS-B solve, until max c ≤ tolerance.
    case augmentedLagrangian(initialWeight: Double, growth: Double, tolerance: Double, outerIterations: Int)

    /// ρ₀ = 10, growth 10, tolerance 1e-6, at most 10 outer iterations.
    public static let augmentedLagrangian = ConstraintHandling.augmentedLagrangian(
        initialWeight: 10, growth: 10, tolerance: 1e-6, outerIterations: 10)
}
