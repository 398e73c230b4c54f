/// Why a factorisation of a linear system failed. The description says what to try.
///
/// ```swift
/// do { _ = try DenseLUFactorization(columnMajor: [1, 2, 2, 4], dimension: 2) }
/// catch { print(error) }   // the matrix is singular: U[1, 1] is exactly zero …
/// ```
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The LU factorisation met an exactly zero pivot U[k, k] (k counted from 0): the
    /// matrix is singular and no solve is possible.
    case singularMatrix(pivot: Int, dimension: Int)
    /// The matrix holds a NaN or an infinity, so no factorisation is meaningful.
    case nonFiniteEntry(row: Int, column: Int)
    /// GMRES did not reach its tolerance: the relative residual after `iterations` iterations.
    case krylovDidNotConverge(iterations: Int, relativeResidual: Double)

    public var description: String {
        switch self {
        case let .singularMatrix(pivot, dimension):
            "the \(dimension)×\(dimension) matrix is singular: U[\(pivot), \(pivot)] is exactly zero after partial pivoting; for an implicit step I − hγJ this means hγ hits an eigenvalue's reciprocal: shorten the step"
        case let .nonFiniteEntry(row, column):
            "the matrix has a NaN or infinite entry at [\(row), \(column)]; check the right-hand side's Jacobian (its vector-Jacobian product) at this state"
        case let .krylovDidNotConverge(iterations, residual):
            "GMRES stopped after \(iterations) iterations at relative residual \(residual); give a preconditioner, raise KrylovOptions.maximumIterations or restart, or shorten the step"
        }
    }
}
