import _Differentiation
import CheckpointStorage
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// The elements' IEEE-754 bits in logical order: equal bits, not just `==` (which
/// identifies −0 with +0 and no NaN with itself).
func bits(_ x: Vector) -> [UInt64] { x.scalars.map(\.bitPattern) }

/// The roll computed by its definition, result[i] = x[(i − shift) mod n], in fresh storage.
func definedRoll(_ x: Vector, by shift: Int) -> Vector {
    let n = x.count, elements = x.scalars
    return Vector((0..<n).map { i in elements[((i - shift) % n + n) % n] })
}

/// Rotated views (`rolled(by:)` shares storage and records an offset) read as the rolled
/// vector everywhere: every operation on views equals, bit for bit, the same operation on
/// materialised copies, for shifts −5…5 and sizes 1…9 and 37; no write reaches storage a
/// view shares.
@Suite struct VectorRotationTests {
    static let sizes = Array(1...9) + [37]
    static let shifts = Array(-5...5)

    /// A vector of `n` distinct numbers (none exactly representable as a simple fraction of
    /// another) drawn from `seed`, in storage of its own.
    static func operand(_ n: Int, seed: UInt64, around centre: Double = 0) -> Vector {
        var generator = SplitMix64(seed: seed)
        return Vector((0..<n).map { _ in centre + Double.random(in: -1...1, using: &generator) })
    }

    /// Calls `body(a, b, A, B)` for every size and pair of shifts: a and b rotated views (b
    /// bounded away from 0, for quotients), A and B their materialised copies.
    static func forEveryRotatedPair(_ body: (Vector, Vector, Vector, Vector) -> Void) {
        for n in sizes {
            let x = operand(n, seed: UInt64(n)), y = operand(n, seed: UInt64(100 + n), around: 3)
            for s in shifts {
                for t in shifts {
                    let a = x.rolled(by: s), b = y.rolled(by: t)
                    body(a, b, Vector(a.scalars), Vector(b.scalars))
                }
            }
        }
    }

    @Test func rollsAreViewsThatReadAsTheDefinition() {
        for n in Self.sizes {
            let x = Self.operand(n, seed: 7)
            for s in Self.shifts {
                let view = x.rolled(by: s)
                #expect(bits(view) == bits(definedRoll(x, by: s)))
                #expect(view.storage.withUnsafeBufferPointer { $0.baseAddress } == x.storage.withUnsafeBufferPointer { $0.baseAddress })
                #expect(view.offset == ((-s) % n + n) % n)
                for t in Self.shifts {
                    #expect(bits(view.rolled(by: t)) == bits(definedRoll(definedRoll(x, by: s), by: t)))
                }
                let materialised = Vector(view.scalars)
                #expect(view == materialised && materialised == view && view.hashValue == materialised.hashValue)
                #expect(view.description == materialised.description && view.count == n)
                #expect((0..<n).allSatisfy { view.element(at: $0).bitPattern == materialised.scalars[$0].bitPattern })
                #expect(view.checkpointBytes() == materialised.checkpointBytes())
                #expect(view.checkpointEncodedByteCount == materialised.checkpointEncodedByteCount)
                #expect(view.isCheckpointFinite && bits(view.map { $0 * 3 }) == bits(materialised.map { $0 * 3 }))
            }
            if n > 1 { #expect(x.rolled(by: 1) != x.rolled(by: 2) && x.rolled(by: 1) != x) }
        }
    }

    @Test func elementwiseOperationsOnViewsMatchMaterialisedCopies() {
        Self.forEveryRotatedPair { a, b, A, B in
            #expect(bits(a + b) == bits(A + B) && bits(a - b) == bits(A - B))
            #expect(bits(a * b) == bits(A * B) && bits(a / b) == bits(A / B))
            #expect(bits(-a) == bits(-A) && bits(1.5 * a) == bits(1.5 * A) && bits(a * 1.5) == bits(A * 1.5))
            #expect(bits(a + 0.25) == bits(A + 0.25) && bits(0.25 + a) == bits(0.25 + A))
            #expect(bits(Vector.axpy(0.5, a, b)) == bits(Vector.axpy(0.5, A, B)))
            #expect(bits(Vector.elementwise(a, b) { $0 * 2 - $1 }) == bits(Vector.elementwise(A, B) { $0 * 2 - $1 }))
            #expect(bits(a + a.rolled(by: 1)) == bits(A + A.rolled(by: 1)))
            #expect(a.dot(b).bitPattern == A.dot(B).bitPattern && a.sum().bitPattern == A.sum().bitPattern)
            #expect(a.halfSquaredNorm().bitPattern == A.halfSquaredNorm().bitPattern)
            #expect(a.dot(a.rolled(by: 2)).bitPattern == A.dot(A.rolled(by: 2)).bitPattern)
            var c = a, C = A
            c += b; C += B
            #expect(bits(c) == bits(C))
            c -= a.rolled(by: 3); C -= A.rolled(by: 3)
            #expect(bits(c) == bits(C))
        }
    }

    /// Views that hold the only reference to their storage lend it to the result (which
    /// keeps the view's offset); the values are still the materialised ones.
    @Test func uniqueViewsAreReusedWithTheirOffsets() {
        Self.forEveryRotatedPair { a, b, A, B in
            // `map` makes fresh storage; rolling it leaves the view as its only holder.
            func unique(_ v: Vector) -> Vector { v.map { $0 }.rolled(by: 2) }
            let (u, U) = (unique(a), A.rolled(by: 2))
            #expect(bits(unique(a) + b) == bits(U + B) && bits(b - unique(a)) == bits(B - U))
            #expect(bits(unique(a) * unique(b)) == bits(U * B.rolled(by: 2)) && bits(b / unique(a)) == bits(B / U))
            #expect(bits(-unique(a)) == bits(-U) && bits(2 * unique(a)) == bits(2 * U) && bits(unique(a) + 1) == bits(U + 1))
            #expect(bits(Vector.axpy(0.5, b, unique(a))) == bits(Vector.axpy(0.5, B, U)))
            #expect(bits(((unique(a) - b) * b.rolled(by: 1) - a) + 8) == bits(((U - B) * B.rolled(by: 1) - A) + 8))
            #expect(bits(u) == bits(U))
        }
    }

    /// Writes never reach storage shared with a view: not through the operators' reuse of
    /// temporaries, not through `+=`, not through `scalars`.
    @Test func writesDoNotReachSharedStorage() {
        let x = Self.operand(11, seed: 3), y = Self.operand(11, seed: 4)
        let before = x.scalars
        var temporary = x.map { $0 }
        let view = temporary.rolled(by: 3)
        let uniqueWithView = temporary.hasUniqueStorage()
        #expect(!uniqueWithView)
        let sum = (consume temporary) + y
        #expect(bits(view) == bits(definedRoll(x, by: 3)) && bits(sum) == bits(x + y))
        var written = x.rolled(by: -2)
        written += y
        written.scalars[0] = 42
        var scaled = x.rolled(by: 4)
        scaled.scalars.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= 2 } }
        #expect(x.scalars == before)
        #expect(written.scalars[0] == 42 && Array(written.scalars.dropFirst()) == Array((definedRoll(x, by: -2) + y).scalars.dropFirst()))
        #expect(bits(scaled) == bits(2 * definedRoll(x, by: 4)) && scaled.offset == 0)
        var setter = x.rolled(by: 1)
        setter.scalars = [1, 2]
        #expect(setter == [1, 2] && setter.offset == 0 && x.scalars == before)
    }
}
