import CLAPACK

/// The LU factorisation P A = L U of a dense square matrix, by LAPACK's `dgetrf`, and its
/// solves A x = b and Aᵀ x = b by `dgetrs` (Anderson et al., *LAPACK Users' Guide*, 3rd
/// ed., SIAM 1999, doi:10.1137/1.9780898719604).
///
/// ```swift
/// // A = [[4, 1], [2, 3]] in column-major order.
/// let lu = try DenseLUFactorization(columnMajor: [4, 2, 1, 3], dimension: 2)
/// var b = [1.0, 2.0]
/// lu.solve(&b)                    // b = A⁻¹ [1, 2] = [0.1, 0.6]
/// var c = [1.0, 2.0]
/// lu.solve(&c, transposed: true)  // c = A⁻ᵀ [1, 2]
/// ```
///
/// The storage is allocated once: ``matrix`` can be refilled and ``factor()`` called again
/// for every step, without allocation (how the implicit steppers use it).
///
/// - Complexity: factorisation ⅔N³ flops, each solve 2N² flops; N² + N values of storage.
public final class DenseLUFactorization {
    /// N.
    public let dimension: Int
    /// A (column-major, N × N) before ``factor()``; its L and U factors after.
    public let matrix: UnsafeMutablePointer<Double>
    /// The row interchanges of the factorisation (LAPACK's 1-based `ipiv`).
    let pivots: UnsafeMutablePointer<Int32>
    /// Whether ``matrix`` holds factors.
    public private(set) var isFactored = false

    /// An N × N workspace filled with zeros, to be filled and factored.
    public init(dimension: Int) {
        precondition(dimension >= 1 && dimension <= Int(Int32.max), "a dense factorisation needs 1 ≤ N ≤ 2³¹ − 1, got \(dimension)")
        self.dimension = dimension
        matrix = .allocate(capacity: dimension * dimension)
        matrix.initialize(repeating: 0, count: dimension * dimension)
        pivots = .allocate(capacity: dimension)
        pivots.initialize(repeating: 0, count: dimension)
    }

    /// Factors the column-major N × N matrix `entries`.
    ///
    /// - Throws: ``LinearAlgebraError`` for a singular matrix or a non-finite entry.
    public convenience init(columnMajor entries: [Double], dimension: Int) throws(LinearAlgebraError) {
        precondition(entries.count == dimension * dimension, "\(entries.count) entries for a \(dimension)×\(dimension) matrix")
        self.init(dimension: dimension)
        entries.withUnsafeBufferPointer { matrix.update(from: $0.baseAddress!, count: entries.count) }
        try factor()
    }

    deinit {
        matrix.deallocate()
        pivots.deallocate()
    }

    /// Factors ``matrix`` in place.
    ///
    /// - Throws: ``LinearAlgebraError/nonFiniteEntry(row:column:)`` before calling LAPACK,
    ///   ``LinearAlgebraError/singularMatrix(pivot:dimension:)`` for a zero pivot.
    public func factor() throws(LinearAlgebraError) {
        _ = LAPACKThreads.singleThreaded
        let n = dimension
        for index in 0..<n * n where !matrix[index].isFinite {
            isFactored = false
            throw .nonFiniteEntry(row: index % n, column: index / n)
        }
        let info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(n), Int32(n), matrix, Int32(n), pivots)
        precondition(info >= 0, "dgetrf rejected argument \(-info)")
        isFactored = info == 0
        if info > 0 { throw .singularMatrix(pivot: Int(info) - 1, dimension: n) }
    }

    /// Overwrites the N values at `rhs` with A⁻¹ b, or A⁻ᵀ b when `transposed`.
    ///
    /// - Precondition: the matrix is factored.
    public func solve(_ rhs: UnsafeMutablePointer<Double>, transposed: Bool = false) {
        precondition(isFactored, "solve needs a successful factor() first")
        let n = Int32(dimension)
        let info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, transposed ? 84 : 78, n, 1, matrix, n, pivots, rhs, n)  // 'T' or 'N'
        precondition(info == 0, "dgetrs rejected argument \(-info)")
    }

    /// Overwrites `rhs` with A⁻¹ b, or A⁻ᵀ b when `transposed`.
    public func solve(_ rhs: inout [Double], transposed: Bool = false) {
        precondition(rhs.count == dimension, "a right-hand side of \(rhs.count) values for N = \(dimension)")
        rhs.withUnsafeMutableBufferPointer { solve($0.baseAddress!, transposed: transposed) }
    }
}
