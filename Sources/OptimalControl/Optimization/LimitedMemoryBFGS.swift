/// The compact limited-memory BFGS matrix B = θI − W M Wᵀ of Byrd, Nocedal & Schnabel
/// (1994), as used by L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995, §3, eqs. (3.2)–(3.4),
/// doi:10.1137/0916069).
///
/// With the last k ≤ m correction pairs s_i = x_{i+1} − x_i, y_i = g_{i+1} − g_i as columns
/// of S and Y (oldest first), W = [Y  θS] (n × 2k) and
///
///     M = [ −D   Lᵀ  ]⁻¹      D = diag(s_iᵀ y_i),  L_ij = s_iᵀ y_j for i > j (else 0).
///         [  L   θSᵀS ]
///
/// θ = yᵀy / sᵀy of the newest pair. A pair is kept only if sᵀy > ε·yᵀy, so B stays
/// positive definite.
/// - Complexity: memory O(n m); rebuilding M after an update O(n m + m³).
struct LimitedMemoryBFGS: Sendable {
    let dimension: Int
    let memory: Int
    private(set) var s: [[Double]] = []
    private(set) var y: [[Double]] = []
    /// θ, the scaling of the identity part.
    private(set) var theta: Double = 1
    /// M, 2k × 2k.
    private(set) var middle = DenseMatrix(order: 0)

    init(dimension: Int, memory: Int) {
        precondition(memory >= 1, "L-BFGS-B needs at least one correction pair, got memory \(memory)")
        self.dimension = dimension
        self.memory = memory
    }

    /// k: the number of stored pairs.
    var pairCount: Int { s.count }

    /// Forgets every pair (B = I).
    mutating func reset() {
        s = []; y = []; theta = 1; middle = DenseMatrix(order: 0)
    }

    /// Adds the pair (s, y) if its curvature sᵀy is safely positive; returns whether it was kept.
    /// - Complexity: O(n m + m³).
    @discardableResult
    mutating func update(s newS: [Double], y newY: [Double]) -> Bool {
        let sy = dot(newS, newY)
        let yy = dot(newY, newY)
        guard sy > Double.ulpOfOne * yy, sy.isFinite, yy.isFinite, yy > 0 else { return false }
        if s.count == memory { s.removeFirst(); y.removeFirst() }
        s.append(newS); y.append(newY)
        theta = yy / sy
        if !rebuildMiddle() { reset(); return false }
        return true
    }

    private mutating func rebuildMiddle() -> Bool {
        let k = s.count
        var k2 = DenseMatrix(order: 2 * k)
        for i in 0..<k {
            k2[i, i] = -dot(s[i], y[i])
            for j in 0..<k {
                if i > j {
                    let lij = dot(s[i], y[j])
                    k2[k + i, j] = lij      // L block (lower left)
                    k2[j, k + i] = lij      // Lᵀ block (upper right)
                }
                k2[k + i, k + j] = theta * dot(s[i], s[j])
            }
        }
        guard let inverse = k2.inverse() else { return false }
        middle = inverse
        return true
    }

    /// Row i of W: (y_1[i], …, y_k[i], θ s_1[i], …, θ s_k[i]).
    @inline(__always)
    func row(_ i: Int) -> [Double] {
        var w = Array(repeating: 0.0, count: 2 * s.count)
        for j in 0..<s.count { w[j] = y[j][i]; w[s.count + j] = theta * s[j][i] }
        return w
    }

    /// Wᵀ v restricted to the indices where `include` is true (all if nil). - Complexity: O(n k).
    func transposeTimes(_ v: [Double], include: [Bool]? = nil) -> [Double] {
        let k = s.count
        var r = Array(repeating: 0.0, count: 2 * k)
        for j in 0..<k {
            var sy = 0.0, ss = 0.0
            let sj = s[j], yj = y[j]
            for i in 0..<dimension where include?[i] ?? true {
                sy += yj[i] * v[i]; ss += sj[i] * v[i]
            }
            r[j] = sy; r[k + j] = theta * ss
        }
        return r
    }

    /// B v = θ v − W M Wᵀ v. - Complexity: O(n k + k²).
    func times(_ v: [Double]) -> [Double] {
        let mw = middle.times(transposeTimes(v))
        var r = v.map { theta * $0 }
        let k = s.count
        for j in 0..<k {
            let a = mw[j], b = theta * mw[k + j]
            let sj = s[j], yj = y[j]
            for i in 0..<dimension { r[i] -= yj[i] * a + sj[i] * b }
        }
        return r
    }
}
