import _Differentiation
import Foundation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// The registered VJPs of `Vector` against closed forms and finite differences.
@Suite struct VectorDifferentiationTests {
    /// The seed's example: f(x1, x2) = (x1·x2, x1 + sin x2) has
    /// uᵀJ = (u1·x2 + u2, u1·x1 + u2·cos x2).
    @Test func seedExampleVectorJacobianProduct() {
        var generator = SplitMix64(seed: 1)
        for _ in 0..<5 {
            let x = Vector.random(count: 2, using: &generator)
            let u = Vector.random(count: 2, using: &generator)
            let (_, pullback) = valueWithPullback(at: x) { x -> Vector in
                let x1 = x.element(at: 0), x2 = x.element(at: 1)
                return Vector.stacking([x1 * x2, x1 + sin(x2)])
            }
            let xbar = pullback(u)
            let (x1, x2, u1, u2) = (x.scalars[0], x.scalars[1], u.scalars[0], u.scalars[1])
            #expect(abs(xbar.scalars[0] - (u1 * x2 + u2)) <= 1e-15)
            #expect(abs(xbar.scalars[1] - (u1 * x1 + u2 * cos(x2))) <= 1e-15)
        }
    }

    /// Every elementwise operation against central differences, through ⟨u, f(x)⟩.
    @Test func elementwiseOperationsMatchFiniteDifferences() {
        var generator = SplitMix64(seed: 2)
        let n = 7
        let y = Vector.random(count: n, using: &generator).map { 2 + $0 }   // away from 0 for division
        let u = Vector.random(count: n, using: &generator)
        let functions: [(String, @differentiable(reverse) (Vector) -> Vector)] = [
            ("+", { x in x + y }), ("-", { x in y - x }), ("*", { x in x * y }), ("/", { x in y / (x + 3) }),
            ("x/y", { x in x / y }), ("neg", { x in -x }), ("scale", { x in 2.5 * x }), ("scale2", { x in x * x.sum() }),
            ("broadcast", { x in x + x.dot(y) }), ("axpy", { x in Vector.axpy(x.sum(), x, y) }),
            ("roll", { x in x.rolled(by: 3) * x.rolled(by: -1) }), ("norm", { x in x.halfSquaredNorm() * x }),
        ]
        for (name, f) in functions {
            let x = Vector.random(count: n, using: &generator)
            let v = Vector.random(count: n, using: &generator)
            let (_, pullback) = valueWithPullback(at: x, of: f)
            let adjoint = pullback(u).dot(v)
            let difference = centralDifference({ f($0).dot(u) }, at: x, along: v)
            #expect(relativeDifference(adjoint, difference) < 1e-7, "\(name): \(adjoint) vs \(difference)")
        }
    }

    /// Rolling follows NumPy: rolled(by: 1)[i] = x[i − 1].
    @Test func rolledIsACircularShift() {
        let x: Vector = [1, 2, 3, 4, 5]
        #expect(x.rolled(by: 1) == [5, 1, 2, 3, 4])
        #expect(x.rolled(by: -2) == [3, 4, 5, 1, 2])
        #expect(x.rolled(by: 5) == x)
        #expect(x.rolled(by: 12) == x.rolled(by: 2))
    }

    /// AD hands pullbacks a zero with no elements; every operation accepts it.
    @Test func zeroSizedCotangentIsAccepted() {
        let x: Vector = [1, 2, 3]
        let y: Vector = [4, 5, 6]
        #expect(x + .zero == x && .zero + x == x && x - .zero == x && Vector.zero - x == -x)
        #expect((x * .zero).count == 0 && (Vector.zero / x).count == 0)
        let (_, pullbackMultiply) = valueWithPullback(at: x, y) { a, b in a * b }
        let (a, b) = pullbackMultiply(.zero)
        #expect(a.count == 0 && b.count == 0)
        let (_, pullbackDivide) = valueWithPullback(at: x, y) { a, b in a / b }
        #expect(pullbackDivide(.zero).0.count == 0)
        // An unused input's gradient comes back as the zero-sized vector and adds as zero.
        let g = gradient(at: x, y) { a, _ in a.sum() }
        #expect(g.0 == [1, 1, 1])
        #expect(x + g.1 == x)
    }

    /// Composition runs right to left: the pullback of g∘h is B_h(B_g(u)), i.e. the
    /// transposed chain J_hᵀ J_gᵀ u, which differs from the wrong order.
    @Test func compositionRunsRightToLeft() {
        let W1 = Matrix(rows: 2, columns: 2, scalars: [1, 2, 0, 1])
        let W2 = Matrix(rows: 2, columns: 2, scalars: [3, 0, 1, 1])
        let x: Vector = [0.5, -1]
        let u: Vector = [1, 2]
        // f(x) = W2·(W1·x) is linear with J = W2·W1, so Jᵀu = W1ᵀ·(W2ᵀ·u).
        let (_, pullback) = valueWithPullback(at: x) { x in matmul(W2, matmul(W1, x)) }
        let expected = matmul(W1.transposed, matmul(W2.transposed, u))
        let wrongOrder = matmul(W2.transposed, matmul(W1.transposed, u))
        #expect(pullback(u) == expected)
        #expect(pullback(u) != wrongOrder)
    }
}
