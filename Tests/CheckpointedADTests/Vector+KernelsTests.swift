import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// The shared kernels of `Vector` against plain one-pass-per-result definitions.
@Suite struct VectorKernelsTests {
    /// Integers below 2⁵³ add exactly in any order, so the interleaved reduction must give
    /// the closed form n(n−1)/2 for every length, including the tails after the 8-wide loop.
    @Test func reductionOfIntegersIsExact() {
        for n in 0...67 {
            #expect(Vector.reduce(n) { Double($0) } == Double(n * (n - 1) / 2), "n = \(n)")
        }
    }

    /// On random data the reduction agrees with a compensated (Kahan) sum to rounding.
    @Test func reductionMatchesCompensatedSum() {
        var generator = SplitMix64(seed: 11)
        for n in [1, 7, 8, 9, 100, 4099] {
            let x = Vector.random(count: n, using: &generator)
            var sum = 0.0, compensation = 0.0
            for value in x.scalars {
                let y = value - compensation
                let t = sum + y
                compensation = (t - sum) - y
                sum = t
            }
            let magnitude = x.scalars.reduce(0) { $0 + abs($1) }
            #expect(abs(x.sum() - sum) <= 1e-15 * magnitude * Double(n), "n = \(n)")
        }
    }

    /// The fused pullbacks equal the unfused expressions bit for bit, for every length and
    /// for zero-sized operands (AD's zero).
    @Test func fusedPullbacksEqualTheirDefinitions() {
        var generator = SplitMix64(seed: 12)
        for n in [0, 1, 3, 8, 17, 64] {
            let v = Vector.random(count: n, using: &generator)
            let a = Vector.random(count: n, using: &generator)
            let b = Vector.random(count: n, using: &generator)
            for (lhs, rhs) in [(a, b), (a, .zero), (.zero, b)] {
                let (lhsBar, rhsBar) = Vector.productPullback(v, lhs, rhs)
                #expect(lhsBar == v * rhs && rhsBar == v * lhs, "product, n = \(n)")
            }
            let (dot, scaled) = Vector.dotAndScale(v, a, 1.75)
            #expect(dot == v.dot(a) && scaled == 1.75 * v, "dot and scale, n = \(n)")
            let (zeroDot, zeroScaled) = Vector.dotAndScale(.zero, a, 1.75)
            #expect(zeroDot == 0 && zeroScaled.count == 0)
        }
    }

    /// Long vectors (the 8-wide loop and its tail) through AD against central differences.
    @Test func fusedPullbacksMatchFiniteDifferences() {
        var generator = SplitMix64(seed: 13)
        let n = 37
        let y = Vector.random(count: n, using: &generator)
        let u = Vector.random(count: n, using: &generator)
        let functions: [(String, @differentiable(reverse) (Vector) -> Vector)] = [
            ("product", { x in x * (x + y) }),
            ("scale by dot", { x in x.dot(y) * x }),
            ("axpy by sum", { x in Vector.axpy(x.sum(), x, y) }),
        ]
        for (name, f) in functions {
            let x = Vector.random(count: n, using: &generator)
            let v = Vector.random(count: n, using: &generator)
            let adjoint = pullback(at: x, of: f)(u).dot(v)
            let difference = centralDifference({ f($0).dot(u) }, at: x, along: v)
            #expect(relativeDifference(adjoint, difference) < 1e-7, "\(name): \(adjoint) vs \(difference)")
        }
    }
}
