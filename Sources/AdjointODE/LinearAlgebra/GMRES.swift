/// Restarted GMRES(m) with right preconditioning (Saad & Schultz 1986,
/// doi:10.1137/0907058; Saad, *Iterative Methods for Sparse Linear Systems*, 2nd ed.,
/// Algorithm 9.5): solves A x = b given only products v ↦ A v, and optionally an
/// approximate inverse v ↦ P⁻¹ v applied in place.
///
/// ```swift
/// let gmres = GMRES(dimension: n, restart: 30)
/// var x = b
/// let iterations = try gmres.solve(&x, tolerance: 1e-12, maximumIterations: 500,
///                                  product: { v, out in applyA(v, out) }, preconditioner: nil)
/// ```
///
/// The arithmetic is in a fixed order, so equal inputs give equal bits (as recomputation
/// from checkpoints needs).
///
/// - Complexity: per iteration one product, one preconditioner application and O(k·N) for
///   the k-th Arnoldi vector; (m + 3)·N doubles of storage.
public final class GMRES {
    /// A product out = A v (the buffers never alias).
    public typealias Product = (_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) -> Void
    /// v ← P⁻¹ v in place.
    public typealias Preconditioner = (_ v: UnsafeMutablePointer<Double>) -> Void

    /// N.
    public let dimension: Int
    /// m: the Krylov dimension before a restart.
    public let restart: Int
    /// The Arnoldi basis, (m + 1) × N, a work vector and b.
    let basis: UnsafeMutablePointer<Double>
    let work: UnsafeMutablePointer<Double>
    let rightHandSide: UnsafeMutablePointer<Double>
    /// The Hessenberg matrix (column-major, (m + 1) × m), Givens cosines and sines, and g.
    var hessenberg: [Double]
    var cosines: [Double]
    var sines: [Double]
    var residuals: [Double]

    /// A solver for N unknowns restarting every `restart` iterations.
    public init(dimension: Int, restart: Int = 30) {
        precondition(dimension >= 1 && restart >= 1, "GMRES needs N ≥ 1 and m ≥ 1, got \(dimension) and \(restart)")
        self.dimension = dimension
        self.restart = restart
        basis = .allocate(capacity: (restart + 1) * dimension)
        basis.initialize(repeating: 0, count: (restart + 1) * dimension)
        work = .allocate(capacity: dimension)
        work.initialize(repeating: 0, count: dimension)
        rightHandSide = .allocate(capacity: dimension)
        rightHandSide.initialize(repeating: 0, count: dimension)
        hessenberg = [Double](repeating: 0, count: (restart + 1) * restart)
        cosines = [Double](repeating: 0, count: restart)
        sines = [Double](repeating: 0, count: restart)
        residuals = [Double](repeating: 0, count: restart + 1)
    }

    deinit {
        basis.deallocate()
        work.deallocate()
        rightHandSide.deallocate()
    }

    /// The bytes of the basis and work vectors.
    public var bytes: Int { (restart + 3) * dimension * MemoryLayout<Double>.stride + 3 * (restart + 1) * restart * MemoryLayout<Double>.stride }

    @inline(__always) func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for m in 0..<dimension { sum += a[m] * b[m] }
        return sum
    }

    /// Overwrites `x` (holding b on entry, the initial guess 0) with x ≈ A⁻¹ b such that
    /// ‖b − A x‖ ≤ `tolerance`·‖b‖, and returns the iterations used.
    ///
    /// - Throws: ``LinearAlgebraError/krylovDidNotConverge(iterations:relativeResidual:)``
    ///   after `maximumIterations` iterations, or for a non-finite residual.
    @discardableResult
    public func solve(
        _ x: UnsafeMutablePointer<Double>, tolerance: Double, maximumIterations: Int,
        product: Product, preconditioner: Preconditioner?
    ) throws(LinearAlgebraError) -> Int {
        let n = dimension
        let v0 = basis
        rightHandSide.update(from: x, count: n)
        x.update(repeating: 0, count: n)
        let bNorm = dot(rightHandSide, rightHandSide).squareRoot()
        guard bNorm.isFinite else { throw .krylovDidNotConverge(iterations: 0, relativeResidual: .nan) }
        if bNorm == 0 { return 0 }
        v0.update(from: rightHandSide, count: n)  // r₀ = b − A·0
        var iterations = 0
        var relative = 1.0
        while iterations < maximumIterations {
            if iterations > 0 {
                // Restart from the true residual r = b − A x.
                product(x, v0)
                for k in 0..<n { v0[k] = rightHandSide[k] - v0[k] }
            }
            let beta = dot(v0, v0).squareRoot()
            relative = beta / bNorm
            guard relative.isFinite else { throw .krylovDidNotConverge(iterations: iterations, relativeResidual: relative) }
            if relative <= tolerance { return iterations }
            for k in 0..<n { v0[k] /= beta }
            let (columns, converged) = try arnoldiCycle(beta: beta, target: tolerance * bNorm, iterations: &iterations, maximumIterations: maximumIterations, product: product, preconditioner: preconditioner)
            addCorrection(columns: columns, to: x, preconditioner: preconditioner)
            if converged { return iterations }
        }
        throw .krylovDidNotConverge(iterations: iterations, relativeResidual: relative)
    }

    /// Up to m Arnoldi steps from the unit vector v₀ with Givens-rotated least squares;
    /// returns the columns built and whether |g_{k}| ≤ `target`.
    func arnoldiCycle(
        beta: Double, target: Double, iterations: inout Int, maximumIterations: Int, product: Product, preconditioner: Preconditioner?
    ) throws(LinearAlgebraError) -> (columns: Int, converged: Bool) {
        let n = dimension
        let m = restart
        for i in 0...m { residuals[i] = 0 }
        residuals[0] = beta
        var columns = 0
        for j in 0..<m where iterations < maximumIterations {
            iterations += 1
            let vj = basis + j * n
            let next = basis + (j + 1) * n
            // w = A P⁻¹ v_j, orthogonalised against v₀ … v_j (modified Gram–Schmidt).
            work.update(from: vj, count: n)
            preconditioner?(work)
            product(work, next)
            for i in 0...j {
                let vi = basis + i * n
                let h = dot(next, vi)
                hessenberg[i + j * (m + 1)] = h
                for k in 0..<n { next[k] -= h * vi[k] }
            }
            let norm = dot(next, next).squareRoot()
            hessenberg[j + 1 + j * (m + 1)] = norm
            if norm > 0 { for k in 0..<n { next[k] /= norm } }
            for i in 0..<j {
                let a = hessenberg[i + j * (m + 1)], b = hessenberg[i + 1 + j * (m + 1)]
                hessenberg[i + j * (m + 1)] = cosines[i] * a + sines[i] * b
                hessenberg[i + 1 + j * (m + 1)] = -sines[i] * a + cosines[i] * b
            }
            let a = hessenberg[j + j * (m + 1)], b = hessenberg[j + 1 + j * (m + 1)]
            let r = (a * a + b * b).squareRoot()
            cosines[j] = r == 0 ? 1 : a / r
            sines[j] = r == 0 ? 0 : b / r
            hessenberg[j + j * (m + 1)] = r
            hessenberg[j + 1 + j * (m + 1)] = 0
            residuals[j + 1] = -sines[j] * residuals[j]
            residuals[j] = cosines[j] * residuals[j]
            columns = j + 1
            guard residuals[j + 1].isFinite else { throw .krylovDidNotConverge(iterations: iterations, relativeResidual: .nan) }
            if abs(residuals[j + 1]) <= target || norm == 0 { return (columns, true) }
        }
        return (columns, false)
    }

    /// x += P⁻¹ V y with y = H⁻¹ g (the rotated upper-triangular system).
    func addCorrection(columns: Int, to x: UnsafeMutablePointer<Double>, preconditioner: Preconditioner?) {
        let n = dimension
        let m = restart
        var y = [Double](repeating: 0, count: columns)
        for i in stride(from: columns - 1, through: 0, by: -1) {
            var sum = residuals[i]
            for k in i + 1..<columns { sum -= hessenberg[i + k * (m + 1)] * y[k] }
            y[i] = hessenberg[i + i * (m + 1)] == 0 ? 0 : sum / hessenberg[i + i * (m + 1)]
        }
        work.update(repeating: 0, count: n)
        for i in 0..<columns {
            let vi = basis + i * n
            for k in 0..<n { work[k] += y[i] * vi[k] }
        }
        preconditioner?(work)
        for k in 0..<n { x[k] += work[k] }
    }
}
