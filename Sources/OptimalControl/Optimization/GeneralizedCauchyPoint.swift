/// The generalized Cauchy point: the first local minimiser of the quadratic model
/// m(x) = f + gᵀ(x − x_k) + ½(x − x_k)ᵀB(x − x_k) along the projected steepest-descent path
/// x(t) = P(x_k − t g, l, u), t ≥ 0 (Byrd, Lu, Nocedal & Zhu 1995, §4, Algorithm CP,
/// eqs. (4.1)–(4.11), doi:10.1137/0916069).
///
/// The path is piecewise linear with breakpoints t_i where variable i reaches its bound.
/// Segment by segment the model is a one-dimensional quadratic with slope f′ and curvature
/// f″, updated in O(k) per breakpoint through the compact representation; the search stops
/// in the first segment whose minimiser lies inside it (or where f′ ≥ 0).
struct GeneralizedCauchyPoint {
    /// x^c.
    var point: [Double]
    /// c = Wᵀ(x^c − x_k), needed by the subspace minimisation.
    var c: [Double]
    /// Variables free at x^c: strictly between their bounds.
    var free: [Bool]

    /// - Complexity: O(n log n + b k²) for b breakpoints passed, k stored pairs.
    init(x: [Double], gradient g: [Double], bounds: BoxBounds, hessian: LimitedMemoryBFGS) {
        let n = x.count
        let theta = hessian.theta
        let m = hessian.middle
        var d = Array(repeating: 0.0, count: n)
        var breakpoint = Array(repeating: Double.infinity, count: n)
        for i in 0..<n {
            if g[i] < 0 {
                breakpoint[i] = bounds.upper[i].isFinite ? (x[i] - bounds.upper[i]) / g[i] : .infinity
            } else if g[i] > 0 {
                breakpoint[i] = bounds.lower[i].isFinite ? (x[i] - bounds.lower[i]) / g[i] : .infinity
            } else {
                // g_i = 0: the variable does not move; it is fixed if it sits on a bound.
                breakpoint[i] = (x[i] == bounds.lower[i] || x[i] == bounds.upper[i]) ? 0 : .infinity
            }
            if breakpoint[i] > 0 { d[i] = -g[i] }
        }
        var point = x
        var p = hessian.transposeTimes(d)                 // p = Wᵀd
        var c = Array(repeating: 0.0, count: p.count)      // c = Wᵀ(x(t) − x_k)
        var slope = 0.0                                    // f′ = gᵀd = −dᵀd
        for i in 0..<n { slope -= d[i] * d[i] }
        var curvature = -theta * slope - dot(p, m.times(p)) // f″ = θdᵀd − pᵀMp
        let initialCurvature = curvature
        curvature = Swift.max(curvature, Double.ulpOfOne * initialCurvature)
        var stepToMinimum = curvature > 0 ? -slope / curvature : .infinity
        var tOld = 0.0
        let order = (0..<n).filter { breakpoint[$0] > 0 && breakpoint[$0] < .infinity }
            .sorted { breakpoint[$0] < breakpoint[$1] }
        if slope < 0 {
            for b in order {
                let segment = breakpoint[b] - tOld
                if stepToMinimum < segment { break }
                // Move to breakpoint b: variable b becomes fixed at its bound.
                point[b] = d[b] > 0 ? bounds.upper[b] : bounds.lower[b]
                let zb = point[b] - x[b]
                for j in c.indices { c[j] += segment * p[j] }
                let gb = g[b]
                let wb = hessian.row(b)
                let mc = m.times(c), mp = m.times(p), mw = m.times(wb)
                slope += segment * curvature + gb * gb + theta * gb * zb - gb * dot(wb, mc)
                curvature += -theta * gb * gb - 2 * gb * dot(wb, mp) - gb * gb * dot(wb, mw)
                curvature = Swift.max(curvature, Double.ulpOfOne * initialCurvature)
                for j in p.indices { p[j] += gb * wb[j] }
                d[b] = 0
                tOld = breakpoint[b]
                if slope >= 0 { stepToMinimum = 0; break }
                stepToMinimum = curvature > 0 ? -slope / curvature : .infinity
            }
        } else {
            stepToMinimum = 0
        }
        if !stepToMinimum.isFinite {
            // Unbounded model along an unbounded ray: cannot happen with B positive definite.
            stepToMinimum = 0
        }
        stepToMinimum = Swift.max(stepToMinimum, 0)
        let t = tOld + stepToMinimum
        for i in 0..<n where d[i] != 0 {
            point[i] = Swift.min(Swift.max(x[i] + t * d[i], bounds.lower[i]), bounds.upper[i])
        }
        for j in c.indices { c[j] += stepToMinimum * p[j] }
        self.point = point
        self.c = c
        self.free = (0..<n).map { bounds.lower[$0] < point[$0] && point[$0] < bounds.upper[$0] }
    }
}
