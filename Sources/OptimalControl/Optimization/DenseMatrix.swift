/// A small dense square matrix in row-major order with an LU solver: the 2m × 2m middle
/// matrices of the compact L-BFGS representation (m ≤ a few tens).
struct DenseMatrix: Sendable {
    let order: Int
    var entries: [Double]

    init(order: Int) {
        self.order = order
        entries = Array(repeating: 0, count: order * order)
    }

    subscript(i: Int, j: Int) -> Double {
        get { entries[i * order + j] }
        set { entries[i * order + j] = newValue }
    }

    static func identity(_ order: Int) -> DenseMatrix {
        var m = DenseMatrix(order: order)
        for i in 0..<order { m[i, i] = 1 }
        return m
    }

    /// A v. - Complexity: O(order²).
    func times(_ v: [Double]) -> [Double] {
        var r = Array(repeating: 0.0, count: order)
        for i in 0..<order {
            var sum = 0.0
            for j in 0..<order { sum += entries[i * order + j] * v[j] }
            r[i] = sum
        }
        return r
    }

    /// A B. - Complexity: O(order³).
    func times(_ b: DenseMatrix) -> DenseMatrix {
        var r = DenseMatrix(order: order)
        for i in 0..<order {
            for k in 0..<order where self[i, k] != 0 {
                let a = self[i, k]
                for j in 0..<order { r[i, j] += a * b[k, j] }
            }
        }
        return r
    }

    /// Solves A X = B column by column with Gaussian elimination and partial pivoting;
    /// returns nil if A is numerically singular.
    /// - Complexity: O(order³ + order² · columns).
    func solve(_ rightHandSides: [[Double]]) -> [[Double]]? {
        let n = order
        var a = entries
        var b = rightHandSides
        var scale = 0.0
        for v in a { scale = Swift.max(scale, abs(v)) }
        if scale == 0 { return n == 0 ? b : nil }
        for k in 0..<n {
            var pivot = k
            for i in (k + 1)..<Swift.max(n, k + 1) where abs(a[i * n + k]) > abs(a[pivot * n + k]) { pivot = i }
            if abs(a[pivot * n + k]) <= 1e-14 * scale { return nil }
            if pivot != k {
                for j in 0..<n { a.swapAt(k * n + j, pivot * n + j) }
                for c in b.indices { b[c].swapAt(k, pivot) }
            }
            let inverse = 1 / a[k * n + k]
            for i in (k + 1)..<Swift.max(n, k + 1) {
                let factor = a[i * n + k] * inverse
                if factor == 0 { continue }
                for j in k..<n { a[i * n + j] -= factor * a[k * n + j] }
                for c in b.indices { b[c][i] -= factor * b[c][k] }
            }
        }
        for c in b.indices {
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = b[c][i]
                for j in (i + 1)..<Swift.max(n, i + 1) { sum -= a[i * n + j] * b[c][j] }
                b[c][i] = sum / a[i * n + i]
            }
        }
        return b
    }

    /// A⁻¹, or nil if A is numerically singular. - Complexity: O(order³).
    func inverse() -> DenseMatrix? {
        let columns = (0..<order).map { j in (0..<order).map { $0 == j ? 1.0 : 0.0 } }
        guard let solved = solve(columns) else { return nil }
        var r = DenseMatrix(order: order)
        for j in 0..<order { for i in 0..<order { r[i, j] = solved[j][i] } }
        return r
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices { sum += a[i] * b[i] }
    return sum
}
