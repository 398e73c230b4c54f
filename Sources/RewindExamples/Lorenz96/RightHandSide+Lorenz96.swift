import AdjointODE

extension RightHandSide {
    /// Lorenz-96 with N sites and forcing F = p₀: x_i′ = (x_{i+1} − x_{i−2}) x_{i−1} − x_i + F,
    /// indices periodic (Lorenz 1996), with fused hand-written evaluation and VJP (the same
    /// system as ``Lorenz96``, for AdjointODE's solvers):
    /// x̄_j = v_{j−1} x_{j−2} − v_{j+2} x_{j+1} + v_{j+1} (x_{j+2} − x_{j−1}) − v_j,  F̄ = Σ v_i.
    ///
    /// - Precondition: N ≥ 4.
    /// - Complexity: O(N) per evaluation and per VJP, one pass each.
    public static func lorenz96(dimension n: Int) -> RightHandSide {
        precondition(n >= 4, "Lorenz-96 needs at least 4 sites, got \(n)")
        return RightHandSide(
            dimension: n, parameterCount: 1,
            evaluate: { _, x, p, dxdt in
                let forcing = p[0]
                @inline(__always) func site(_ i: Int, _ xp1: Double, _ xm2: Double, _ xm1: Double) {
                    dxdt[i] = (xp1 - xm2) * xm1 - x[i] + forcing
                }
                site(0, x[1], x[n - 2], x[n - 1])
                site(1, x[2], x[n - 1], x[0])
                let xb = x.baseAddress!
                let out = dxdt.baseAddress!
                let raw = UnsafeRawPointer(xb)
                let rawOut = UnsafeMutableRawPointer(out)
                let f = SIMD4<Double>(repeating: forcing)
                var i = 2
                while i + 4 <= n - 1 {
                    @inline(__always) func load(_ offset: Int) -> SIMD4<Double> {
                        raw.loadUnaligned(fromByteOffset: (i + offset) * 8, as: SIMD4<Double>.self)
                    }
                    let value = (load(1) - load(-2)) * load(-1) - load(0) + f
                    rawOut.storeBytes(of: value, toByteOffset: i * 8, as: SIMD4<Double>.self)
                    i += 4
                }
                while i < n - 1 {
                    out[i] = (xb[i + 1] - xb[i - 2]) * xb[i - 1] - xb[i] + forcing
                    i += 1
                }
                site(n - 1, x[0], x[n - 3], x[n - 2])
            },
            pullback: { _, x, _, v, xBar, pBar in
                let xb = x.baseAddress!
                let vb = v.baseAddress!
                let out = xBar.baseAddress!
                @inline(__always) func index(_ i: Int) -> Int { i < 0 ? i + n : (i >= n ? i - n : i) }
                @inline(__always) func boundary(_ j: Int) {
                    out[j] = vb[index(j - 1)] * xb[index(j - 2)] - vb[index(j + 2)] * xb[index(j + 1)]
                        + vb[index(j + 1)] * (xb[index(j + 2)] - xb[index(j - 1)]) - vb[j]
                }
                boundary(0)
                boundary(1)
                // Four sites at a time; kept free of the reduction below.
                let rawX = UnsafeRawPointer(xb)
                let rawV = UnsafeRawPointer(vb)
                let rawOut = UnsafeMutableRawPointer(out)
                var j = 2
                while j + 4 <= n - 2 {
                    @inline(__always) func x(_ offset: Int) -> SIMD4<Double> {
                        rawX.loadUnaligned(fromByteOffset: (j + offset) * 8, as: SIMD4<Double>.self)
                    }
                    @inline(__always) func v(_ offset: Int) -> SIMD4<Double> {
                        rawV.loadUnaligned(fromByteOffset: (j + offset) * 8, as: SIMD4<Double>.self)
                    }
                    let value = v(-1) * x(-2) - v(2) * x(1) + v(1) * (x(2) - x(-1)) - v(0)
                    rawOut.storeBytes(of: value, toByteOffset: j * 8, as: SIMD4<Double>.self)
                    j += 4
                }
                while j < n - 2 {
                    out[j] = vb[j - 1] * xb[j - 2] - vb[j + 2] * xb[j + 1] + vb[j + 1] * (xb[j + 2] - xb[j - 1]) - vb[j]
                    j += 1
                }
                boundary(n - 2)
                boundary(n - 1)
                let sum = vectorSum(v)
                pBar[0] += sum
            })
    }
}

/// Σ v_i with eight independent partial sums (SIMD8), so the reduction is not one serial chain.
@inline(__always)
func vectorSum(_ v: UnsafeBufferPointer<Double>) -> Double {
    let n = v.count
    let raw = UnsafeRawPointer(v.baseAddress!)
    var partial = SIMD8<Double>()
    var i = 0
    while i + 8 <= n {
        partial += raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
        i += 8
    }
    var sum = partial.sum()
    while i < n {
        sum += v[i]
        i += 1
    }
    return sum
}
