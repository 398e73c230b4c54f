/// The subspace step of L-BFGS-B: minimise the quadratic model over the variables free at
/// the generalized Cauchy point, the others held at their bounds (Byrd, Lu, Nocedal & Zhu
/// 1995, §5.1, the direct primal method, eqs. (5.4)–(5.11), doi:10.1137/0916069), then
/// return to the box as L-BFGS-B 3.0 does (Morales & Nocedal 2011,
/// doi:10.1145/2049662.2049669): project the unconstrained subspace minimiser onto the box
/// and keep it if it is a descent direction from x_k, otherwise backtrack along the
/// subspace direction to the boundary (the paper's α*).
///
/// With Z the free columns of the identity, the reduced gradient is
/// r = Zᵀ(g + θ(x^c − x_k) − W M c), the reduced matrix B̂ = θI − ZᵀW M WᵀZ, and by
/// Sherman–Morrison–Woodbury
///     B̂⁻¹ = (1/θ) I + (1/θ²) ZᵀW (I − (1/θ) M WᵀZ ZᵀW)⁻¹ M WᵀZ.
/// - Complexity: O(n k + k³).
func subspaceMinimum(
    x: [Double], gradient g: [Double], cauchy: GeneralizedCauchyPoint,
    bounds: BoxBounds, hessian: LimitedMemoryBFGS
) -> [Double] {
    let n = x.count
    let k = hessian.pairCount
    let theta = hessian.theta
    let free = cauchy.free
    guard free.contains(true) else { return cauchy.point }
    // r on free variables (zero elsewhere).
    let mc = hessian.middle.times(cauchy.c)
    var r = Array(repeating: 0.0, count: n)
    for i in 0..<n where free[i] {
        var wmc = 0.0
        if k > 0 {
            let w = hessian.row(i)
            wmc = dot(w, mc)
        }
        r[i] = g[i] + theta * (cauchy.point[i] - x[i]) - wmc
    }
    var du = r.map { -$0 / theta }
    if k > 0 {
        // v = M WᵀZ r
        let v = hessian.middle.times(hessian.transposeTimes(r, include: free))
        // N = I − (1/θ) M (WᵀZ ZᵀW)
        var wzzw = DenseMatrix(order: 2 * k)
        for i in 0..<n where free[i] {
            let w = hessian.row(i)
            for a in 0..<(2 * k) where w[a] != 0 {
                for b in 0..<(2 * k) { wzzw[a, b] += w[a] * w[b] }
            }
        }
        var nMatrix = hessian.middle.times(wzzw)
        for e in nMatrix.entries.indices { nMatrix.entries[e] *= -1 / theta }
        for a in 0..<(2 * k) { nMatrix[a, a] += 1 }
        if let solved = nMatrix.solve([v])?.first {
            for i in 0..<n where free[i] {
                du[i] -= dot(hessian.row(i), solved) / (theta * theta)
            }
        }
    }
    for i in 0..<n where !free[i] { du[i] = 0 }
    // L-BFGS-B 3.0: try the projection first.
    var projected = cauchy.point
    for i in 0..<n where free[i] {
        projected[i] = Swift.min(Swift.max(cauchy.point[i] + du[i], bounds.lower[i]), bounds.upper[i])
    }
    var descent = 0.0
    for i in 0..<n { descent += (projected[i] - x[i]) * g[i] }
    if descent < 0 { return projected }
    // Otherwise the paper's backtracking: the largest α ≤ 1 keeping x^c + α du in the box.
    var alpha = 1.0
    for i in 0..<n where free[i] && du[i] != 0 {
        let room = du[i] > 0 ? bounds.upper[i] - cauchy.point[i] : bounds.lower[i] - cauchy.point[i]
        alpha = Swift.min(alpha, room / du[i])
    }
    var truncated = cauchy.point
    for i in 0..<n where free[i] {
        truncated[i] = Swift.min(Swift.max(cauchy.point[i] + alpha * du[i], bounds.lower[i]), bounds.upper[i])
    }
    return truncated
}
