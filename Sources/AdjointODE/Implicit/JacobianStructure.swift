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

    /// The number of vector-Jacobian products that assemble one Jacobian of dimension N.
    public func productsPerJacobian(dimension: Int) -> Int {
        switch self {
        case .dense: dimension
        case let .banded(lower, upper): Swift.min(dimension, lower + upper + 1)
        }
    }

    /// `dense` or `banded(kl, ku)`.
    public var description: String {
        switch self {
        case .dense: "dense"
        case let .banded(lower, upper): "banded(\(lower), \(upper))"
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
        if case let .banded(lower, upper) = structure {
            precondition(lower >= 0 && upper >= 0, "bandwidths must be non-negative, got \(lower) and \(upper)")
        }
        var copy = self
        copy.jacobianStructure = structure
        return copy
    }
}
