/// The matrix M = I − σ J of an implicit stage, J = ∂f/∂y(t, Y, p), assembled from the
/// right-hand side's vector-Jacobian products and factorised by LAPACK (dense or banded,
/// as the right-hand side's ``JacobianStructure`` says), with solves by M and by Mᵀ.
///
/// ```swift
/// let matrix = IterationMatrix(rightHandSide: rhs)
/// try matrix.assemble(time: t, state: y, parameters: p, scale: h * gamma)   // M = I − hγJ(t, y)
/// matrix.solve(residual)                     // residual ← M⁻¹ residual (Newton)
/// matrix.solve(cotangent, transposed: true)  // cotangent ← M⁻ᵀ cotangent (adjoint)
/// ```
///
/// Row m of J is Jᵀe_m, one VJP; a banded J needs only kl + ku + 1 VJPs, with the coloured
/// seeds described in ``JacobianStructure``.
///
/// A banded M is stored and factorised **transposed** (the band of Mᵀ, ku sub- and kl
/// super-diagonals): Newton's solves by M are then transposed solves by the factors of Mᵀ,
/// and the adjoint's solves by Mᵀ plain ones. The reason is speed, not arithmetic: both are
/// two BLAS `dtbsv` calls (``BandedLUFactorization``), and OpenBLAS's transposed band solve
/// (a short dot product per column) took 460–490 µs at N = 20 000 and bandwidth 2 where its
/// plain one (a short axpy per column) took 590–720 µs; reference BLAS takes 380–480 µs
/// either way (Benchmarks/Peers/README.md). Newton makes most of the solves.
///
/// - Complexity: assembly, ``JacobianStructure/productsPerJacobian(dimension:)`` VJPs plus
///   the factorisation (⅔N³ flops dense, O(N·kl·(kl + ku)) banded); a solve, 2N² or
///   O(N·(2kl + ku)) flops.
final class IterationMatrix {
    enum Factors {
        case dense(DenseLUFactorization)
        case banded(BandedLUFactorization)
        case matrixFree(MatrixFreeOperator)
    }

    let rightHandSide: RightHandSide
    let factors: Factors
    /// The seed of a VJP and the row (or compressed rows) it returns.
    let seed: UnsafeMutableBufferPointer<Double>
    let rows: UnsafeMutableBufferPointer<Double>
    /// Discarded parameter cotangents of the assembly VJPs.
    let parameterScratch: UnsafeMutableBufferPointer<Double>
    /// Jacobians assembled, factorisations done, solves done.
    private(set) var jacobianEvaluations = 0
    private(set) var factorizations = 0
    private(set) var solves = 0
    /// GMRES iterations of matrix-free solves.
    var krylovIterations: Int {
        if case let .matrixFree(op) = factors { op.iterations } else { 0 }
    }
    /// Right-hand-side evaluations of matrix-free products (J v by differences).
    var productEvaluations: Int {
        if case let .matrixFree(op) = factors { op.evaluations } else { 0 }
    }

    init(rightHandSide: RightHandSide) {
        self.rightHandSide = rightHandSide
        let n = rightHandSide.dimension
        switch rightHandSide.jacobianStructure {
        case .dense:
            factors = .dense(DenseLUFactorization(dimension: n))
        case let .banded(lower, upper):
            // Mᵀ: the band's sub- and super-diagonals swap.
            factors = .banded(BandedLUFactorization(dimension: n, lower: Swift.min(upper, n - 1), upper: Swift.min(lower, n - 1)))
        case let .matrixFree(restart, tolerance, maximumIterations):
            factors = .matrixFree(MatrixFreeOperator(
                rightHandSide: rightHandSide, restart: restart, tolerance: tolerance, maximumIterations: maximumIterations))
        }
        seed = .allocate(capacity: n)
        seed.initialize(repeating: 0)
        rows = .allocate(capacity: n)
        rows.initialize(repeating: 0)
        parameterScratch = .allocate(capacity: rightHandSide.parameterCount)
        parameterScratch.initialize(repeating: 0)
    }

    deinit {
        seed.deallocate()
        rows.deallocate()
        parameterScratch.deallocate()
    }

    /// The bytes of the factor storage and the assembly buffers.
    var bytes: Int {
        let n = rightHandSide.dimension
        let matrix = switch factors {
        case .dense: n * n
        case let .banded(lu): lu.leadingDimension * n
        case let .matrixFree(op): op.bytes / MemoryLayout<Double>.stride
        }
        return (matrix + 2 * n + rightHandSide.parameterCount) * MemoryLayout<Double>.stride + n * MemoryLayout<Int32>.stride
    }

    /// Builds M = I − `scale`·J(t, Y, p) and factors it (matrix-free: records t, Y, p, σ).
    ///
    /// - Throws: ``LinearAlgebraError`` when M is singular or J has a non-finite entry.
    func assemble(time t: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>, scale: Double) throws(LinearAlgebraError) {
        let n = rightHandSide.dimension
        if case let .matrixFree(op) = factors {
            op.linearize(time: t, state: y, parameters: p, scale: scale)
            return
        }
        jacobianEvaluations += 1
        factorizations += 1
        switch factors {
        case let .dense(lu):
            let matrix = lu.matrix
            for m in 0..<n {
                seed[m] = 1
                rightHandSide.pullback(t, y, p, UnsafeBufferPointer(seed), rows, parameterScratch)
                seed[m] = 0
                for k in 0..<n { matrix[m + k * n] = (m == k ? 1 : 0) - scale * rows[k] }
            }
            try lu.factor()
        case let .banded(lu):
            // lu holds Mᵀ: row m of M (J's kl = lu.upper sub- and ku = lu.lower super-diagonals) is its column m.
            lu.clear()
            let width = lu.lower + lu.upper + 1
            for colour in 0..<Swift.min(width, n) {
                for m in stride(from: colour, to: n, by: width) { seed[m] = 1 }
                rightHandSide.pullback(t, y, p, UnsafeBufferPointer(seed), rows, parameterScratch)
                for m in stride(from: colour, to: n, by: width) {
                    seed[m] = 0
                    for k in Swift.max(0, m - lu.upper)...Swift.min(n - 1, m + lu.lower) {
                        lu.set(k, m, (m == k ? 1 : 0) - scale * rows[k])
                    }
                }
            }
            try lu.factor()
        case .matrixFree:
            preconditionFailure("handled above")
        }
    }

    /// Overwrites the N values at `vector` with M⁻¹ v, or M⁻ᵀ v when `transposed`.
    ///
    /// - Throws: ``LinearAlgebraError/krylovDidNotConverge(iterations:relativeResidual:)``
    ///   for a matrix-free solve that misses its tolerance (LU solves do not throw).
    func solve(_ vector: UnsafeMutablePointer<Double>, transposed: Bool = false) throws(LinearAlgebraError) {
        solves += 1
        switch factors {
        case let .dense(lu): lu.solve(vector, transposed: transposed)
        case let .banded(lu): lu.solve(vector, transposed: !transposed)  // lu holds Mᵀ
        case let .matrixFree(op): try op.solve(vector, transposed: transposed)
        }
    }
}
