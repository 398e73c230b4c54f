import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Deferred sums of views (`x.rolled(by: s) ± x.rolled(by: t)` records both offsets instead of
/// a pass over memory) read as the eagerly computed vectors everywhere, bit for bit, and are
/// never written in place (they read two places of their storage).
@Suite struct VectorDeferredSumsTests {
    typealias Chain = VectorDeferredScalingTests.Chain

    /// The scalings a term may carry: pairable ones (factor only) and ones that are not (a
    /// pending broadcast sum).
    static let terms: [Chain] = VectorDeferredScalingTests.chains.filter {
        ["x", "2.5·x", "−x", "3·(−x)", "(1/3)·(0.7·x)", "x + 0.3"].contains($0.description)
    }

    /// Sizes around the shortest deferred length, and a longer one.
    static let sizes = [Vector.minimumDeferredSumCount - 1, Vector.minimumDeferredSumCount, 300, 517]

    /// `n` awkward numbers: those of the scaling tests, and infinities and a NaN, whose
    /// differences must give NaN exactly where eager evaluation does.
    static func operand(_ n: Int, seed: UInt64) -> Vector {
        var scalars = VectorDeferredScalingTests.operand(n, seed: seed).scalars
        for (i, special) in [(5, Double.infinity), (17, -Double.infinity), (40, Double.nan), (41, .infinity)] where i < n {
            scalars[i] = special
        }
        return Vector(scalars)
    }

    /// Calls `body(d, D, description)` for every pending sum of two views of one vector and
    /// its materialised copy, over sizes, shifts, terms and both signs.
    static func forEverySumOfViews(_ body: (Vector, Vector, String) -> Void) {
        for n in sizes {
            let x = operand(n, seed: UInt64(n))
            for (s, t) in [(-1, 2), (0, 1), (3, 3), (1, 0)] {
                for f in terms {
                    for g in terms {
                        let a = f.deferred(x.rolled(by: s)), b = g.deferred(x.rolled(by: t))
                        let (A, B) = (Vector(a.scalars), Vector(b.scalars))
                        body(a + b, A + B, "n = \(n), \(f)[\(s)] + \(g)[\(t)]")
                        body(a - b, A - B, "n = \(n), \(f)[\(s)] − \(g)[\(t)]")
                    }
                }
            }
        }
    }

    @Test func sumsOfViewsAreTheEagerValues() {
        var deferredCount = 0
        Self.forEverySumOfViews { d, D, description in
            if d.hasPendingSum { deferredCount += 1 }
            #expect(bits(d) == bits(D), "\(description)")
            // `==` is `Array`'s: a NaN element is unequal to itself.
            let equal = !D.scalars.contains { $0.isNaN }
            #expect((d == D) == equal && (D == d) == equal && d.hashValue == D.hashValue && d.description == D.description, "\(description)")
            #expect((0..<d.count).allSatisfy { d.element(at: $0).bitPattern == D.element(at: $0).bitPattern }, "\(description)")
            #expect(d.checkpointBytes() == D.checkpointBytes() && d.isCheckpointFinite == D.isCheckpointFinite)
            #expect(bits(d.rolled(by: 7)) == bits(D.rolled(by: 7)) && bits(d.rolled(by: -3)) == bits(D.rolled(by: -3)))
            #expect(bits(1.5 * d) == bits(1.5 * D) && bits(-d) == bits(-D) && bits(d + 0.25) == bits(D + 0.25))
            #expect(bits(-(d + 0.3)) == bits(-(D + 0.3)) && bits(2 * (-d)) == bits(2 * (-D)))
            #expect(bits(d.map { $0 * 3 }) == bits(D.map { $0 * 3 }))
        }
        // Views of one vector without a pending broadcast sum are deferred from the minimum
        // length on; shorter ones and the others are evaluated at once.
        let x = Self.operand(300, seed: 1), short = Self.operand(Vector.minimumDeferredSumCount - 1, seed: 1)
        #expect((x.rolled(by: 1) - x.rolled(by: 2)).hasPendingSum && (2 * x - x.rolled(by: 3)).hasPendingSum == false)
        #expect((-x + x.rolled(by: 3)).hasPendingSum && !(2 * x + x.rolled(by: 3)).hasPendingSum)
        #expect((x.rolled(by: 1) - (-x)).hasPendingSum && !(x + 0.3 - x.rolled(by: 1)).hasPendingSum)
        #expect(!(short.rolled(by: 1) - short.rolled(by: 2)).hasPendingSum && !(x - Self.operand(300, seed: 2)).hasPendingSum)
        #expect(!((x.rolled(by: 1) - x) + x.rolled(by: 2)).hasPendingSum)
        #expect(deferredCount > 0)
    }

    @Test func operationsOnPendingSumsMatchMaterialisedCopies() {
        let y = Self.operand(Self.sizes.last!, seed: 99)
        Self.forEverySumOfViews { a, A, description in
            let n = a.count
            let b = n == y.count ? y : Self.operand(n, seed: 7), B = Vector(b.scalars)
            let c = b.rolled(by: 2) + b.rolled(by: -1), C = Vector(c.scalars)
            for (u, U) in [(b, B), (c, C), (a.rolled(by: 1), A.rolled(by: 1))] {
                #expect(bits(a + u) == bits(A + U) && bits(a - u) == bits(A - U) && bits(u - a) == bits(U - A), "\(description)")
                #expect(bits(a * u) == bits(A * U) && bits(a / (u + 5)) == bits(A / (U + 5)), "\(description)")
                #expect(bits(Vector.axpy(0.5, a, u)) == bits(Vector.axpy(0.5, A, U)) && bits(Vector.axpy(0.5, u, a)) == bits(Vector.axpy(0.5, U, A)))
                #expect(bits(Vector.elementwise(a, u) { $0 * 2 - $1 }) == bits(Vector.elementwise(A, U) { $0 * 2 - $1 }))
                #expect(a.dot(u).bitPattern == A.dot(U).bitPattern || (a.dot(u).isNaN && A.dot(U).isNaN), "\(description)")
                var s = a, S = A
                s += u; S += U
                #expect(bits(s) == bits(S), "\(description)")
                s = a; S = A
                s -= u; S -= U
                #expect(bits(s) == bits(S), "\(description)")
            }
            #expect(a.sum().bitPattern == A.sum().bitPattern || (a.sum().isNaN && A.sum().isNaN))
        }
    }

    @Test func pullbacksThroughSumsOfViewsMatchEagerOnes() {
        for n in Self.sizes {
            let x = VectorDeferredScalingTests.operand(n, seed: 5), y = VectorDeferredScalingTests.operand(n, seed: 6)
            let v = y.rolled(by: 4) - y.rolled(by: 1), V = Vector(v.scalars)
            #expect(v.hasPendingSum == (n >= Vector.minimumDeferredSumCount))
            // The Lorenz-96 shape: a difference of views times a view, less the vector.
            @differentiable(reverse)
            func stencil(_ x: Vector) -> Vector { (x.rolled(by: -1) - x.rolled(by: 2)) * x.rolled(by: 1) - x + 8 }
            let deferred = pullback(at: x, of: stencil)(v)
            // The same arithmetic on materialised copies of every view (a product by ones).
            let ones = Vector(repeating: 1, count: n)
            @differentiable(reverse)
            func copied(_ x: Vector) -> Vector {
                (x.rolled(by: -1) * ones - x.rolled(by: 2) * ones) * x.rolled(by: 1) - x + 8
            }
            #expect(bits(stencil(x)) == bits(copied(x)))
            #expect(bits(deferred) == bits(pullback(at: x, of: copied)(V)), "n = \(n)")
        }
    }

    /// A pending sum reads two places of its storage, so writing one in place would clobber
    /// elements it has yet to read: it is written out into fresh storage, and the vector its
    /// views came from is never changed.
    @Test func aPendingSumIsNeverWrittenInPlace() {
        let n = 300
        let original = Self.operand(n, seed: 11), y = Self.operand(n, seed: 12)
        let expected = (Vector(original.rolled(by: 1).scalars) - Vector(original.rolled(by: 2).scalars)) + y
        func pendingSumOfAFreshCopy() -> Vector {
            let x = original.map { $0 }   // storage of its own
            return x.rolled(by: 1) - x.rolled(by: 2)   // x dies here: the sum holds its storage alone
        }
        var sum = pendingSumOfAFreshCopy()
        let heldAlone = sum.hasUniqueStorage()
        #expect(sum.hasPendingSum && heldAlone)
        sum += y
        #expect(bits(sum) == bits(expected))
        #expect(bits(pendingSumOfAFreshCopy() + y) == bits(expected) && bits(y + pendingSumOfAFreshCopy()) == bits(expected))
        let applied = pendingSumOfAFreshCopy().withPendingApplied()
        #expect(!applied.hasPendingSum && bits(applied + y) == bits(expected))
        let x = Vector(original.scalars)
        let kept = bits(x)
        _ = (x.rolled(by: 1) - x.rolled(by: 2)) * 3 + y
        var pending = x.rolled(by: 3) + x
        pending += y
        #expect(bits(x) == kept)
    }
}
