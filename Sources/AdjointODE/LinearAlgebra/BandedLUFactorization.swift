import CLAPACK

/// The LU factorisation of a banded square matrix with kl sub- and ku super-diagonals, by
/// LAPACK's `dgbtrf`, and its solves A x = b and Aᵀ x = b by `dgbtrs`.
///
/// Entry A[i, j] (|i − j| within the band) lives at ``storage``[kl + ku + i − j + j·ldab]
/// with ldab = 2kl + ku + 1: LAPACK's band layout, whose extra kl rows take the fill-in of
/// partial pivoting. Use ``set(_:_:_:)`` rather than computing offsets.
///
/// ```swift
/// // The 1-D Laplacian tridiag(1, −2, 1), N = 4.
/// let lu = BandedLUFactorization(dimension: 4, lower: 1, upper: 1)
/// for i in 0..<4 {
///     lu.set(i, i, -2)
///     if i > 0 { lu.set(i, i - 1, 1); lu.set(i - 1, i, 1) }
/// }
/// try lu.factor()
/// var b = [1.0, 0, 0, 1]
/// lu.solve(&b)                   // b = [−1, −1, −1, −1]
/// ```
///
/// **Solves without row interchanges.** When `dgbtrf` interchanged no rows (the pivots are
/// the identity, as for the diagonally dominant I − hγJ of a diffusion problem), A = LU with
/// L unit lower triangular of bandwidth kl, and a solve is two calls of BLAS's triangular band
/// solve `dtbsv` (L then U, or Uᵀ then Lᵀ) on the factors in place: the same arithmetic as
/// `dgbtrs`, which calls `dtbsv` for U itself but applies L column by column, one `dger` (or,
/// transposed, `dgemv`) call per column. At bandwidth 2 those calls move two values each, and
/// their per-call overhead in OpenBLAS dominated the solve (Benchmarks/Peers/README.md).
/// With interchanges, the solve is `dgbtrs`.
///
/// - Complexity: factorisation O(N·kl·(kl + ku)) flops, each solve O(N·(2kl + ku));
///   (2kl + ku + 1)·N values of storage (FACTS.md: dgbsv with bandwidth 2 at N = 10⁴, 0.6 ms).
public final class BandedLUFactorization {
    /// N.
    public let dimension: Int
    /// kl: the sub-diagonals.
    public let lower: Int
    /// ku: the super-diagonals.
    public let upper: Int
    /// 2kl + ku + 1: the leading dimension of ``storage``.
    public let leadingDimension: Int
    /// The band (LAPACK layout) before ``factor()``; its factors after.
    public let storage: UnsafeMutablePointer<Double>
    let pivots: UnsafeMutablePointer<Int32>
    /// Whether ``storage`` holds factors.
    public private(set) var isFactored = false
    /// Whether the last ``factor()`` interchanged rows (then solves go through `dgbtrs`).
    public private(set) var interchangedRows = false

    /// A zero N × N band with `lower` sub- and `upper` super-diagonals.
    public init(dimension: Int, lower: Int, upper: Int) {
        precondition(dimension >= 1 && dimension <= Int(Int32.max), "a banded factorisation needs 1 ≤ N ≤ 2³¹ − 1, got \(dimension)")
        precondition(lower >= 0 && upper >= 0 && lower < dimension && upper < dimension, "bandwidths must lie in 0 ..< N = \(dimension), got kl = \(lower), ku = \(upper)")
        self.dimension = dimension
        self.lower = lower
        self.upper = upper
        leadingDimension = 2 * lower + upper + 1
        storage = .allocate(capacity: leadingDimension * dimension)
        storage.initialize(repeating: 0, count: leadingDimension * dimension)
        pivots = .allocate(capacity: dimension)
        pivots.initialize(repeating: 0, count: dimension)
    }

    deinit {
        storage.deallocate()
        pivots.deallocate()
    }

    /// Whether A[row, column] lies inside the band.
    @inlinable public func isInBand(_ row: Int, _ column: Int) -> Bool {
        row - column <= lower && column - row <= upper && row >= 0 && column >= 0 && row < dimension && column < dimension
    }

    /// Sets A[row, column] (inside the band) before ``factor()``.
    @inlinable public func set(_ row: Int, _ column: Int, _ value: Double) {
        precondition(isInBand(row, column), "[\(row), \(column)] lies outside the band kl = \(lower), ku = \(upper) of N = \(dimension)")
        storage[lower + upper + row - column + column * leadingDimension] = value
    }

    /// Sets every stored value to zero (the fill-in rows included).
    public func clear() {
        storage.update(repeating: 0, count: leadingDimension * dimension)
        isFactored = false
    }

    /// Factors the band in place.
    ///
    /// - Throws: ``LinearAlgebraError/nonFiniteEntry(row:column:)`` before calling LAPACK,
    ///   ``LinearAlgebraError/singularMatrix(pivot:dimension:)`` for a zero pivot.
    public func factor() throws(LinearAlgebraError) {
        _ = LAPACKThreads.singleThreaded
        for column in 0..<dimension {
            for row in Swift.max(0, column - upper)...Swift.min(dimension - 1, column + lower) {
                let value = storage[lower + upper + row - column + column * leadingDimension]
                if !value.isFinite {
                    isFactored = false
                    throw .nonFiniteEntry(row: row, column: column)
                }
            }
        }
        let n = Int32(dimension)
        let info = LAPACKE_dgbtrf(LAPACK_COL_MAJOR, n, n, Int32(lower), Int32(upper), storage, Int32(leadingDimension), pivots)
        precondition(info >= 0, "dgbtrf rejected argument \(-info)")
        isFactored = info == 0
        if info > 0 { throw .singularMatrix(pivot: Int(info) - 1, dimension: dimension) }
        interchangedRows = (0..<dimension).contains { pivots[$0] != Int32($0 + 1) }
    }

    /// Overwrites the N values at `rhs` with A⁻¹ b, or A⁻ᵀ b when `transposed`.
    ///
    /// - Precondition: the band is factored.
    public func solve(_ rhs: UnsafeMutablePointer<Double>, transposed: Bool = false) {
        precondition(isFactored, "solve needs a successful factor() first")
        let n = Int32(dimension)
        if !interchangedRows {
            // A = LU: L (unit, kl sub-diagonals) below U's kl + ku super-diagonals, as dgbtrs reads them.
            let l = storage + lower + upper
            let ld = Int32(leadingDimension)
            if transposed {
                rewind_dtbsv(1, 1, 0, n, Int32(lower + upper), storage, ld, rhs)
                if lower > 0 { rewind_dtbsv(0, 1, 1, n, Int32(lower), l, ld, rhs) }
            } else {
                if lower > 0 { rewind_dtbsv(0, 0, 1, n, Int32(lower), l, ld, rhs) }
                rewind_dtbsv(1, 0, 0, n, Int32(lower + upper), storage, ld, rhs)
            }
            return
        }
        let info = LAPACKE_dgbtrs(
            LAPACK_COL_MAJOR, transposed ? 84 : 78, n, Int32(lower), Int32(upper), 1, storage,
            Int32(leadingDimension), pivots, rhs, n)  // 'T' or 'N'
        precondition(info == 0, "dgbtrs rejected argument \(-info)")
    }

    /// Overwrites `rhs` with A⁻¹ b, or A⁻ᵀ b when `transposed`.
    public func solve(_ rhs: inout [Double], transposed: Bool = false) {
        precondition(rhs.count == dimension, "a right-hand side of \(rhs.count) values for N = \(dimension)")
        rhs.withUnsafeMutableBufferPointer { solve($0.baseAddress!, transposed: transposed) }
    }
}
