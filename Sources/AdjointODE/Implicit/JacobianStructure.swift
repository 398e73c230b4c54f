/// The sparsity an implicit method may assume of ∂f/∂y: how many vector-Jacobian products
/// one Jacobian costs and which LAPACK factorisation solves with I − hγJ.
///
/// ```swift
/// // A method-of-lines system whose unknown m couples to m − 2 … m + 2:
/// let rhs = brusselator.withJacobianStructure(.banded(lower: 2, upper: 2))
/// ```
///
/// A banded Jacobian is assembled by compressed (coloured) evaluation: rows m ≡ r
/// (mod kl + ku + 1) never share a column inside the band, so one VJP with the seed
/// Σ_{m ≡ r} e_m returns all of them at once (Curtis, Powell & Reid 1974,
/// doi:10.1093/imamat/13.1.117). **The band must contain every non-zero of ∂f/∂y**:
/// an entry outside it would be added to an in-band entry of another row, silently.
public enum JacobianStructure: Hashable, Sendable, CustomStringConvertible {
    /// A full N × N Jacobian: N VJPs (one per row) and a dense LU (`dgetrf`).
    case dense
    /// ∂f_m/∂y_k = 0 unless k ∈ m − `lower` … m + `upper`:
    /// kl + ku + 1 VJPs and a banded LU (`dgbtrf`).
    case banded(lower: Int, upper: Int)
    /// No Jacobian at all: Jacobian-free Newton–Krylov (Knoll & Keyes 2004,
    /// doi:10.1016/j.jcp.2003.08.010). I − σJ is solved by restarted GMRES (``GMRES``) to
    /// `tolerance` (relative residual) within `maximumIterations`: forward with
    /// J v ≈ (f(Y + εv) − f(Y))/ε, in the adjoint with the exact Jᵀv from the VJP. A
    /// preconditioner can be given with ``RightHandSide/withPreconditioner(_:)``.
    case matrixFree(restart: Int = 30, tolerance: Double = 1e-10, maximumIterations: Int = 300)

    /// The number of vector-Jacobian products that assemble one Jacobian of dimension N.
    public func productsPerJacobian(dimension: Int) -> Int {
        switch self {
        case .dense: dimension
        case let .banded(lower, upper): Swift.min(dimension, lower + upper + 1)
        case .matrixFree: 0
        }
    }

    /// `dense` or `banded(kl, ku)`.
    public var description: String {
        switch self {
        case .dense: "dense"
        case let .banded(lower, upper): "banded(\(lower), \(upper))"
        case let .matrixFree(restart, tolerance, maximumIterations): "matrix-free(GMRES(\(restart)), tolerance \(tolerance), at most \(maximumIterations) iterations)"
        }
    }
}

extension RightHandSide {
    /// This right-hand side, declaring that its Jacobian has `structure`.
    ///
    /// ```swift
    /// let rhs = RightHandSide(dimension: 1000, parameterCount: 1, evaluate: …, pullback: …)
    ///     .withJacobianStructure(.banded(lower: 2, upper: 2))
    /// ```
    public func withJacobianStructure(_ structure: JacobianStructure) -> RightHandSide {
        switch structure {
        case .dense: break
        case let .banded(lower, upper):
            precondition(lower >= 0 && upper >= 0, "bandwidths must be non-negative, got \(lower) and \(upper)")
        case let .matrixFree(restart, tolerance, maximumIterations):
            precondition(restart >= 1 && tolerance > 0 && maximumIterations >= 1, "GMRES needs restart ≥ 1, tolerance > 0 and maximumIterations ≥ 1, got \(restart), \(tolerance), \(maximumIterations)")
        }
        var copy = self
        copy.jacobianStructure = structure
        return copy
    }
}

extension RightHandSide {
    /// Applies P⁻¹ ≈ (I − σ J(t, y, p))⁻¹ in place to `vector`, or P⁻ᵀ when `transposed`:
    /// the preconditioner of a ``JacobianStructure/matrixFree(restart:tolerance:maximumIterations:)`` solve.
    public typealias Preconditioner = @Sendable (
        _ t: Double, _ y: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Double>, _ scale: Double,
        _ vector: UnsafeMutableBufferPointer<Double>, _ transposed: Bool
    ) -> Void

    /// This right-hand side with a preconditioner for its matrix-free (GMRES) stage solves.
    ///
    /// ```swift
    /// // Jacobi: divide by the diagonal of I − σJ, here 1 + 2σc for a diffusion with coefficient c.
    /// let rhs = heat.withJacobianStructure(.matrixFree())
    ///     .withPreconditioner { _, _, p, sigma, v, _ in
    ///         for m in 0..<v.count { v[m] /= 1 + 2 * sigma * p[0] }
    ///     }
    /// ```
    public func withPreconditioner(_ preconditioner: @escaping Preconditioner) -> RightHandSide {
        var copy = self
        copy.preconditioner = preconditioner
        return copy
    }
}
