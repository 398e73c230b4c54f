/// M = I − σJ(t, Y, p) without a matrix: products from the right-hand side, solves by
/// GMRES (Jacobian-free Newton–Krylov; Knoll & Keyes 2004, doi:10.1016/j.jcp.2003.08.010).
///
/// Forward products use a one-sided difference, J v ≈ (f(t, Y + εv) − f(t, Y))/ε with
/// ε = √u·(1 + ‖Y‖)/‖v‖ (u the unit round-off): Newton only needs an approximate M. Transposed
/// products, which the adjoint's solves need exactly, use the VJP: Jᵀv. The right-hand side's
/// ``RightHandSide/preconditioner`` (if any) preconditions both, on the right.
///
/// ```swift
/// let op = MatrixFreeOperator(rightHandSide: rhs, restart: 30, tolerance: 1e-10, maximumIterations: 300)
/// op.linearize(time: t, state: y, parameters: p, scale: h * gamma)
/// try op.solve(residual)                   // residual ← M⁻¹ residual
/// try op.solve(cotangent, transposed: true)
/// ```
///
/// - Complexity: per GMRES iteration one evaluation of f (forward) or one VJP (transposed);
///   (m + 6)·N doubles.
final class MatrixFreeOperator {
    let rightHandSide: RightHandSide
    let gmres: GMRES
    let tolerance: Double
    let maximumIterations: Int
    /// The linearisation point Y, f(t, Y), p, and scratch.
    var state: [Double]
    var value: [Double]
    var parameters: [Double]
    var shifted: [Double]
    var parameterScratch: [Double]
    var time = 0.0
    var scale = 0.0
    var stateNorm = 0.0
    /// GMRES iterations and f evaluations so far.
    private(set) var iterations = 0
    private(set) var evaluations = 0

    init(rightHandSide: RightHandSide, restart: Int, tolerance: Double, maximumIterations: Int) {
        let n = rightHandSide.dimension
        self.rightHandSide = rightHandSide
        gmres = GMRES(dimension: n, restart: Swift.min(restart, n))
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        state = [Double](repeating: 0, count: n)
        value = [Double](repeating: 0, count: n)
        shifted = [Double](repeating: 0, count: n)
        parameters = [Double](repeating: 0, count: rightHandSide.parameterCount)
        parameterScratch = parameters
    }

    /// Bytes of the Krylov basis and the vectors kept here.
    var bytes: Int { gmres.bytes + (3 * state.count + 2 * parameters.count) * MemoryLayout<Double>.stride }

    /// Records the point (t, Y, p) and σ of the next solves; evaluates f(t, Y) once.
    func linearize(time t: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>, scale: Double) {
        time = t
        self.scale = scale
        state.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: y) }
        parameters.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: p) }
        var sum = 0.0
        for m in 0..<y.count { sum += y[m] * y[m] }
        stateNorm = sum.squareRoot()
        evaluations += 1
        state.withUnsafeBufferPointer { yb in
            parameters.withUnsafeBufferPointer { pb in
                value.withUnsafeMutableBufferPointer { rightHandSide.evaluate(t, yb, pb, $0) }
            }
        }
    }

    /// out = v − σ J v (by a difference of f) or v − σ Jᵀ v (by the VJP).
    func product(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, transposed: Bool) {
        let n = state.count
        parameters.withUnsafeBufferPointer { pb in
            if transposed {
                state.withUnsafeBufferPointer { yb in
                    parameterScratch.withUnsafeMutableBufferPointer { scratch in
                        rightHandSide.pullback(time, yb, pb, UnsafeBufferPointer(start: v, count: n), UnsafeMutableBufferPointer(start: out, count: n), scratch)
                    }
                }
                for m in 0..<n { out[m] = v[m] - scale * out[m] }
                return
            }
            var norm = 0.0
            for m in 0..<n { norm += v[m] * v[m] }
            norm = norm.squareRoot()
            guard norm > 0 else {
                out.update(repeating: 0, count: n)
                return
            }
            let epsilon = Double.ulpOfOne.squareRoot() * (1 + stateNorm) / norm
            for m in 0..<n { shifted[m] = state[m] + epsilon * v[m] }
            evaluations += 1
            shifted.withUnsafeBufferPointer { yb in
                rightHandSide.evaluate(time, yb, pb, UnsafeMutableBufferPointer(start: out, count: n))
            }
            for m in 0..<n { out[m] = v[m] - scale * (out[m] - value[m]) / epsilon }
        }
    }

    /// Overwrites `vector` with M⁻¹ v (or M⁻ᵀ v) to GMRES's tolerance.
    func solve(_ vector: UnsafeMutablePointer<Double>, transposed: Bool) throws(LinearAlgebraError) {
        let n = state.count
        let preconditioner: GMRES.Preconditioner? = rightHandSide.preconditioner.map { apply in
            { v in
                self.state.withUnsafeBufferPointer { yb in
                    self.parameters.withUnsafeBufferPointer { pb in
                        apply(self.time, yb, pb, self.scale, UnsafeMutableBufferPointer(start: v, count: n), transposed)
                    }
                }
            }
        }
        iterations += try gmres.solve(
            vector, tolerance: tolerance, maximumIterations: maximumIterations,
            product: { v, out in self.product(v, out, transposed: transposed) }, preconditioner: preconditioner)
    }
}
