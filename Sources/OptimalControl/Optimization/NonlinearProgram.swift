/// A nonlinear program in the form IPOPT solves:
///
///     minimise f(w)  subject to  w_L ≤ w ≤ w_U,  g_L ≤ g(w) ≤ g_U,
///
/// with a sparse constraint Jacobian given by its pattern (``jacobianRows``,
/// ``jacobianColumns``, one entry per structural non-zero) and values in the same order.
/// ±∞ marks a missing bound; g_L = g_U an equality.
///
/// The callbacks come in two halves because an interior-point line search asks for values
/// at trial points and for derivatives only at accepted ones: ``values`` returns
/// (f(w), g(w)); ``derivatives`` returns (∇f(w), the Jacobian's values). Either may throw; the
/// solver then reports the evaluation as failed to IPOPT (which shortens its step) and, if
/// the solve fails, rethrows the first such error.
///
/// ```swift
/// // min (w₀ − 1)² + w₁²  s.t.  w₀ + w₁ ≥ 2
/// let program = NonlinearProgram(
///     variableLower: [-10, -10], variableUpper: [10, 10],
///     constraintLower: [2], constraintUpper: [.infinity],
///     jacobianRows: [0, 0], jacobianColumns: [0, 1],
///     values: { w in ((w[0] - 1) * (w[0] - 1) + w[1] * w[1], [w[0] + w[1]]) },
///     derivatives: { w in ([2 * (w[0] - 1), 2 * w[1]], [1, 1]) })
/// ```
public struct NonlinearProgram: @unchecked Sendable {
    /// (f(w), g(w)).
    public typealias Values = ([Double]) throws -> (objective: Double, constraints: [Double])
    /// (∇f(w), the Jacobian's values in pattern order).
    public typealias Derivatives = ([Double]) throws -> (gradient: [Double], jacobian: [Double])
    /// The lower triangle of ∇²(σf + λᵀg)(w) in ``hessianRows``/``hessianColumns`` order,
    /// from (w, σ, λ).
    public typealias Hessian = ([Double], Double, [Double]) throws -> [Double]

    /// w_L.
    public var variableLower: [Double]
    /// w_U.
    public var variableUpper: [Double]
    /// g_L.
    public var constraintLower: [Double]
    /// g_U.
    public var constraintUpper: [Double]
    /// The row of each structural non-zero of ∂g/∂w.
    public var jacobianRows: [Int]
    /// The column of each structural non-zero of ∂g/∂w.
    public var jacobianColumns: [Int]
    /// (f, g) at a point.
    public var values: Values
    /// (∇f, Jacobian values) at a point.
    public var derivatives: Derivatives
    /// The row of each structural non-zero of the Lagrangian's Hessian (lower triangle:
    /// row ≥ column); empty without ``hessian``.
    public var hessianRows: [Int] = []
    /// The column of each structural non-zero of the Lagrangian's Hessian.
    public var hessianColumns: [Int] = []
    /// The Lagrangian's Hessian, or nil: IPOPT then needs its limited-memory approximation
    /// (``IpoptHessian/limitedMemory``).
    public var hessian: Hessian?

    /// A program from its bounds, Jacobian pattern and callbacks.
    /// - Precondition: bounds of equal lengths, a pattern of equal lengths inside the
    ///   matrix.
    public init(variableLower: [Double], variableUpper: [Double], constraintLower: [Double], constraintUpper: [Double],
                jacobianRows: [Int], jacobianColumns: [Int], values: @escaping Values, derivatives: @escaping Derivatives) {
        precondition(variableLower.count == variableUpper.count,
                     "variable bounds have \(variableLower.count) and \(variableUpper.count) entries")
        precondition(constraintLower.count == constraintUpper.count,
                     "constraint bounds have \(constraintLower.count) and \(constraintUpper.count) entries")
        precondition(jacobianRows.count == jacobianColumns.count,
                     "the Jacobian pattern has \(jacobianRows.count) rows and \(jacobianColumns.count) columns")
        precondition(jacobianRows.allSatisfy { (0..<constraintLower.count).contains($0) }
                     && jacobianColumns.allSatisfy { (0..<variableLower.count).contains($0) },
                     "the Jacobian pattern has an entry outside the \(constraintLower.count) × \(variableLower.count) matrix")
        self.variableLower = variableLower
        self.variableUpper = variableUpper
        self.constraintLower = constraintLower
        self.constraintUpper = constraintUpper
        self.jacobianRows = jacobianRows
        self.jacobianColumns = jacobianColumns
        self.values = values
        self.derivatives = derivatives
    }

    /// The number of variables.
    public var variableCount: Int { variableLower.count }
    /// The number of constraints.
    public var constraintCount: Int { constraintLower.count }
    /// The number of structural non-zeros of the Jacobian.
    public var jacobianEntryCount: Int { jacobianRows.count }

    /// The largest violation of the constraint and variable bounds by g(w) and w.
    public func violation(of constraints: [Double], at w: [Double]) -> Double {
        var worst = 0.0
        for i in constraints.indices {
            worst = Swift.max(worst, constraintLower[i] - constraints[i], constraints[i] - constraintUpper[i])
        }
        for i in w.indices { worst = Swift.max(worst, variableLower[i] - w[i], w[i] - variableUpper[i]) }
        return worst
    }
}
