import Testing
@testable import OptimalControl
import RewindTestSupport

@Suite struct GeneralizedCauchyPointTests {
    /// A random limited-memory matrix from curvature pairs of an SPD quadratic.
    static func hessian(n: Int, pairs: Int, rng: inout SplitMix64) -> LimitedMemoryBFGS {
        let a = TestProblems.spdMatrix(order: n, generator: &rng)
        var h = LimitedMemoryBFGS(dimension: n, memory: Swift.max(pairs, 1))
        for _ in 0..<pairs {
            let s = (0..<n).map { _ in rng.uniform(-1...1) }
            h.update(s: s, y: TestProblems.times(a, s))
        }
        return h
    }

    /// The model m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x).
    static func model(_ z: [Double], x: [Double], g: [Double], h: LimitedMemoryBFGS) -> Double {
        let d = zip(z, x).map { $0 - $1 }
        return dot(g, d) + 0.5 * dot(d, h.times(d))
    }

    /// Independent truth: walk the projected path segment by segment, fitting the exact
    /// quadratic of each segment from three model values, and stop at the first minimiser.
    static func bruteForce(x: [Double], g: [Double], bounds: BoxBounds, h: LimitedMemoryBFGS) -> [Double] {
        func path(_ t: Double) -> [Double] { bounds.project(zip(x, g).map { $0 - t * $1 }) }
        var knots = [0.0]
        for i in x.indices where g[i] != 0 {
            let t = g[i] < 0 ? (x[i] - bounds.upper[i]) / g[i] : (x[i] - bounds.lower[i]) / g[i]
            if t > 0 && t.isFinite { knots.append(t) }
        }
        knots = Array(Set(knots)).sorted()
        knots.append(knots.last! + 1e6)
        for j in 0..<(knots.count - 1) {
            let a = knots[j], b = knots[j + 1], mid = (a + b) / 2
            let fa = model(path(a), x: x, g: g, h: h), fm = model(path(mid), x: x, g: g, h: h)
            let fb = model(path(b), x: x, g: g, h: h)
            // q(τ) on τ = (t − a)/(b − a) ∈ [0, 1] through the three values.
            let c1 = -3 * fa + 4 * fm - fb, c2 = 2 * fa - 4 * fm + 2 * fb
            if c1 >= 0 { return path(a) }
            let tau = c2 > 0 ? -c1 / (2 * c2) : 1
            if tau < 1 { return path(a + tau * (b - a)) }
        }
        return path(knots.last!)
    }

    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16])
    func matchesPiecewiseQuadraticSearch(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let n = 8
        let h = Self.hessian(n: n, pairs: Int(seed % 4), rng: &rng)
        let lower = (0..<n).map { i in i == 3 ? -Double.infinity : rng.uniform(-1...0) }
        let upper = (0..<n).map { i in i == 5 ? Double.infinity : rng.uniform(0.1...1) }
        let bounds = try BoxBounds(lower: lower, upper: upper)
        var x = (0..<n).map { i in rng.uniform(Swift.max(lower[i], -1)...Swift.min(upper[i], 1)) }
        x[0] = lower[0]   // one variable starts on a bound
        let g = (0..<n).map { _ in rng.uniform(-3...3) }
        let cauchy = GeneralizedCauchyPoint(x: x, gradient: g, bounds: bounds, hessian: h)
        let expected = Self.bruteForce(x: x, g: g, bounds: bounds, h: h)
        for i in 0..<n { #expect(abs(cauchy.point[i] - expected[i]) <= 1e-9, "seed \(seed), variable \(i)") }
        #expect(bounds.contains(cauchy.point))
        // c = Wᵀ(x^c − x)
        let c = h.transposeTimes(zip(cauchy.point, x).map { $0 - $1 })
        for j in c.indices { #expect(abs(c[j] - cauchy.c[j]) <= 1e-9 * (1 + abs(c[j])), "seed \(seed)") }
    }

    /// Without active bounds the subspace step reaches the model's unconstrained minimiser
    /// x − B⁻¹g exactly, so B(x̄ − x) = −g.
    @Test(arguments: [UInt64(21), 22, 23])
    func subspaceStepSolvesTheNewtonSystem(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = 7
        let h = Self.hessian(n: n, pairs: 3, rng: &rng)
        let bounds = BoxBounds.unbounded(n)
        let x = (0..<n).map { _ in rng.uniform(-1...1) }
        let g = (0..<n).map { _ in rng.uniform(-1...1) }
        let cauchy = GeneralizedCauchyPoint(x: x, gradient: g, bounds: bounds, hessian: h)
        let target = subspaceMinimum(x: x, gradient: g, cauchy: cauchy, bounds: bounds, hessian: h)
        let residual = zip(h.times(zip(target, x).map { $0 - $1 }), g).map { $0 + $1 }
        for r in residual { #expect(abs(r) <= 1e-9, "seed \(seed)") }
    }
}
