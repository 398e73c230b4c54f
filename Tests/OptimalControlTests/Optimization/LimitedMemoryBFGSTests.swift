import Testing
@testable import OptimalControl
import RewindTestSupport

@Suite struct LimitedMemoryBFGSTests {
    /// The compact form equals the dense BFGS recursion B ← B − Bssᵀ B / sᵀBs + yyᵀ / yᵀs
    /// started from θI (Byrd, Nocedal & Schnabel 1994, Theorem 2.3).
    @Test(arguments: [UInt64(1), 2, 3])
    func compactFormEqualsDenseRecursion(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = 6, pairs = 4
        let a = TestProblems.spdMatrix(order: n, generator: &rng)
        var compact = LimitedMemoryBFGS(dimension: n, memory: pairs)
        var ss: [[Double]] = [], ys: [[Double]] = []
        for _ in 0..<pairs {
            let s = (0..<n).map { _ in rng.uniform(-1...1) }
            let y = TestProblems.times(a, s)   // curvature pairs of a convex quadratic
            let kept = compact.update(s: s, y: y)
            #expect(kept)
            ss.append(s); ys.append(y)
        }
        var dense = (0..<n).map { i in (0..<n).map { i == $0 ? compact.theta : 0 } }
        for (s, y) in zip(ss, ys) {
            let bs = TestProblems.times(dense, s)
            let sbs = zip(s, bs).reduce(0) { $0 + $1.0 * $1.1 }
            let sy = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<n { for j in 0..<n { dense[i][j] += -bs[i] * bs[j] / sbs + y[i] * y[j] / sy } }
        }
        for j in 0..<n {
            let e = (0..<n).map { $0 == j ? 1.0 : 0.0 }
            let column = compact.times(e)
            for i in 0..<n { #expect(abs(column[i] - dense[i][j]) <= 1e-10 * (1 + abs(dense[i][j])), "seed \(seed)") }
        }
    }

    @Test func rejectsNonPositiveCurvatureAndForgetsOldestPair() {
        var h = LimitedMemoryBFGS(dimension: 2, memory: 2)
        let kept = [h.update(s: [1, 0], y: [-1, 0]), h.update(s: [1, 0], y: [2, 0]),
                    h.update(s: [0, 1], y: [0, 3]), h.update(s: [1, 1], y: [2, 3])]
        #expect(kept == [false, true, true, true])
        #expect(h.pairCount == 2 && h.s[0] == [0, 1])
        #expect(h.theta == 13.0 / 5.0)
    }
}
