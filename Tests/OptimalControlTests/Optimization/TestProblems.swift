@testable import OptimalControl
import RewindTestSupport

/// Objectives with known minimisers.
enum TestProblems {
    /// Rosenbrock in pairs: Σ 100(x_{2i+1} − x_{2i}²)² + (1 − x_{2i})², minimum 0 at all ones.
    static func rosenbrock(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        var f = 0.0
        var g = Array(repeating: 0.0, count: x.count)
        for i in stride(from: 0, to: x.count - 1, by: 2) {
            let a = 1 - x[i], b = x[i + 1] - x[i] * x[i]
            f += a * a + 100 * b * b
            g[i] = -2 * a - 400 * x[i] * b
            g[i + 1] = 200 * b
        }
        return (f, g)
    }

    /// Himmelblau's function; its four minima all have value 0.
    static func himmelblau(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let a = x[0] * x[0] + x[1] - 11, b = x[0] + x[1] * x[1] - 7
        return (a * a + b * b, [4 * x[0] * a + 2 * b, 2 * a + 4 * x[1] * b])
    }

    /// A random symmetric positive definite matrix QᵀQ + I, row-major.
    static func spdMatrix(order n: Int, generator: inout SplitMix64) -> [[Double]] {
        let q = (0..<n).map { _ in (0..<n).map { _ in generator.uniform(-1...1) } }
        return (0..<n).map { i in
            (0..<n).map { j in (0..<n).reduce(i == j ? 1.0 : 0.0) { $0 + q[$1][i] * q[$1][j] } }
        }
    }

    static func times(_ a: [[Double]], _ v: [Double]) -> [Double] {
        a.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}
