import _Differentiation
import CheckpointedAD

// The backward sweep of a stencil kernel: per-site pullbacks from Swift AD, scattered to
// the field's cotangent, parameter cotangents summed in site order.

extension StencilKernel {
    /// (x̄, p̄) = (J_xᵀȳ, J_pᵀȳ) of f at (x, p): one pass over the sites.
    ///
    /// ```swift
    /// let (xbar, Fbar) = lorenz.pullback(at: x, parameters: 8, cotangent: ybar)
    /// ```
    ///
    /// A zero-sized `cotangent` (Swift AD's zero) gives zero cotangents.
    ///
    /// - Complexity: O(N) site pullbacks; allocates x̄ (and, through Swift AD, 6 short-lived
    ///   blocks per site: see the type's limitation).
    @inlinable
    public func pullback(at x: Vector, parameters: Parameters, cotangent ybar: Vector) -> (Vector, Parameters.TangentVector) {
        let n = x.count
        if ybar.count == 0 { return (.zero, .zero) }
        precondition(ybar.count == n, "the cotangent holds \(ybar.count) values for a field of \(n)")
        var parameterBar = Parameters.TangentVector.zero
        let xbar = x.scalars.withUnsafeBufferPointer { xp in
            ybar.scalars.withUnsafeBufferPointer { yp in
                Vector(unsafeUninitializedCount: n) { out in
                    out.initialize(repeating: 0)
                    let y = yp.baseAddress!
                    parameterBar = accumulatePullback(at: xp.baseAddress!, n, parameters: parameters,
                                                      seed: { y[$0] }, into: out.baseAddress!, alsoInto: nil)
                }
            }
        }
        return (xbar, parameterBar)
    }

    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s_i = seed(i), and returns
    /// J_pᵀs summed in site order: the fused backward sweep every pullback here runs.
    ///
    /// ```swift
    /// let Fbar = lorenz.accumulatePullback(at: z, n, parameters: 8, seed: { dt / 6 * y[$0] },
    ///                                      into: zbar, alsoInto: xbar)
    /// ```
    ///
    /// - Complexity: O(N) site pullbacks, one pass; allocates nothing itself.
    @inlinable
    public func accumulatePullback(
        at x: UnsafePointer<Double>, _ n: Int, parameters: Parameters, seed: (Int) -> Double,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        var parameterBar = Parameters.TangentVector.zero
        let r = radius
        forEachSite(x, n) { i, u in
            let (_, sitePullback) = valueWithPullback(at: u, parameters, of: site)
            let (g, gp) = sitePullback(seed(i))
            parameterBar += gp
            if i >= r && i < n - r {
                scatterInterior(g, i, a)
                if let b { scatterInterior(g, i, b) }
            } else {
                scatterEdge(g, i, n, a)
                if let b { scatterEdge(g, i, n, b) }
            }
        }
        return parameterBar
    }

    /// target[i+k] += g[k] for |k| ≤ radius, every index inside the field.
    @inlinable @inline(__always)
    func scatterInterior(_ g: Neighbourhood, _ i: Int, _ target: UnsafeMutablePointer<Double>) {
        target[i] += g.centre
        if radius >= 1 { target[i - 1] += g.minus1; target[i + 1] += g.plus1 }
        if radius >= 2 { target[i - 2] += g.minus2; target[i + 2] += g.plus2 }
    }

    /// target[source(i+k)] += g[k] for |k| ≤ radius, ghosts sent where the boundary read
    /// them from (nowhere for a fixed value).
    @inlinable
    func scatterEdge(_ g: Neighbourhood, _ i: Int, _ n: Int, _ target: UnsafeMutablePointer<Double>) {
        for k in -radius...radius {
            if let j = boundary.source(of: i + k, count: n) { target[j] += g[k] }
        }
    }

    /// The derivative of ``apply(to:parameters:)``: its value and the fused pullback.
    @inlinable
    @derivative(of: apply(to:parameters:), wrt: (x, parameters))
    func _vjpApply(to x: Vector, parameters: Parameters)
        -> (value: Vector, pullback: (Vector) -> (Vector, Parameters.TangentVector))
    {
        (apply(to: x, parameters: parameters), { ybar in pullback(at: x, parameters: parameters, cotangent: ybar) })
    }
}
