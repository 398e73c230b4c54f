import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Deferred scalings (`c * x`, `x + c` and `-x` record a pending factor and addend instead of
/// a pass over memory) read as the eagerly computed vectors everywhere, bit for bit: the
/// elements equal the same expression evaluated on each `Double`, and every operation and
/// pullback on a deferred operand equals the same on its materialised copy.
@Suite struct VectorDeferredScalingTests {
    /// A chain of scalar operations as `Vector` defers it, and the same chain on one `Double`
    /// (Swift evaluates it with one rounding per operation, as eager passes did).
    struct Chain: CustomStringConvertible, Sendable {
        var description: String
        var deferred: @Sendable (Vector) -> Vector
        var eager: @Sendable (Double) -> Double
    }

    static let chains: [Chain] = [
        Chain(description: "x", deferred: { $0 }, eager: { $0 }),
        Chain(description: "2.5·x", deferred: { 2.5 * $0 }, eager: { 2.5 * $0 }),
        Chain(description: "x + 0.3", deferred: { $0 + 0.3 }, eager: { $0 + 0.3 }),
        Chain(description: "−x", deferred: { -$0 }, eager: { -$0 }),
        Chain(description: "0.7·x + 1.1", deferred: { 0.7 * $0 + 1.1 }, eager: { 0.7 * $0 + 1.1 }),
        Chain(description: "3·(−x)", deferred: { 3 * -$0 }, eager: { 3 * -$0 }),
        Chain(description: "−(0.7·x)", deferred: { -(0.7 * $0) }, eager: { -(0.7 * $0) }),
        Chain(description: "(1/3)·(0.7·x)", deferred: { (1.0 / 3) * (0.7 * $0) }, eager: { (1.0 / 3) * (0.7 * $0) }),
        Chain(description: "5·(x + 0.3)", deferred: { 5 * ($0 + 0.3) }, eager: { 5 * ($0 + 0.3) }),
        Chain(description: "(x + 0.3) + 0.9", deferred: { $0 + 0.3 + 0.9 }, eager: { $0 + 0.3 + 0.9 }),
        Chain(description: "−(x + 0.3)", deferred: { -($0 + 0.3) }, eager: { -($0 + 0.3) }),
        Chain(description: "−(−x) + (−0.0)", deferred: { -(-$0) + (-0.0) }, eager: { -(-$0) + (-0.0) }),
        Chain(description: "x + 0.0", deferred: { $0 + 0.0 }, eager: { $0 + 0.0 }),
    ]

    /// `n` numbers from `seed` among which sit the awkward ones: ±0, a subnormal, and −0.3,
    /// which `x + 0.3` cancels exactly (so a negation after it must give −0, as eagerly).
    static func operand(_ n: Int, seed: UInt64) -> Vector {
        var generator = SplitMix64(seed: seed)
        let awkward: [Double] = [-0.3, 0.0, -0.0, .leastNonzeroMagnitude * 1000, -0.3 / 0.7]
        return Vector((0..<n).map { i in i % 3 == 1 ? awkward[(i / 3) % awkward.count] : Double.random(in: -2...2, using: &generator) })
    }

    /// Calls `body(a, b, A, B)` for sizes, rotations and every pair of chains: a and b the
    /// deferred vectors, A and B their materialised copies.
    static func forEveryDeferredPair(_ body: (Vector, Vector, Vector, Vector) -> Void) {
        for n in [1, 2, 5, 9, 37] {
            let x = operand(n, seed: UInt64(n)), y = operand(n, seed: UInt64(50 + n))
            for (s, t) in [(0, 0), (1, 0), (0, -2), (3, 1)] {
                for f in chains {
                    for g in chains {
                        let a = f.deferred(x.rolled(by: s)), b = g.deferred(y.rolled(by: t))
                        body(a, b, Vector(a.scalars), Vector(b.scalars))
                    }
                }
            }
        }
    }

    @Test(arguments: chains)
    func elementsAreTheEagerValues(chain: Chain) {
        for n in [1, 4, 37] {
            let x = Self.operand(n, seed: 9)
            for shift in [0, 1, -3] {
                let deferred = chain.deferred(x.rolled(by: shift)), rolled = x.rolled(by: shift).scalars
                let eager = rolled.map(chain.eager)
                #expect(bits(deferred) == eager.map(\.bitPattern), "\(chain) n = \(n) shift \(shift)")
                let copy = Vector(eager)
                #expect(deferred == copy && copy == deferred && deferred.hashValue == copy.hashValue)
                #expect((0..<n).allSatisfy { deferred.element(at: $0).bitPattern == eager[$0].bitPattern })
                #expect(deferred.checkpointBytes() == copy.checkpointBytes() && deferred.description == copy.description)
                #expect(bits(deferred.map { $0 * 3 }) == bits(copy.map { $0 * 3 }))
                #expect(deferred.isCheckpointFinite && (1e308 * deferred).isCheckpointFinite == (1e308 * copy).isCheckpointFinite)
            }
        }
    }

    @Test func operationsOnDeferredOperandsMatchMaterialisedCopies() {
        Self.forEveryDeferredPair { a, b, A, B in
            #expect(bits(a + b) == bits(A + B) && bits(a - b) == bits(A - B))
            #expect(bits(a * b) == bits(A * B) && bits(a / (b + 5)) == bits(A / (B + 5)))
            #expect(bits(-a) == bits(-A) && bits(1.5 * a) == bits(1.5 * A) && bits(a + 0.25) == bits(A + 0.25))
            #expect(bits(Vector.axpy(0.5, a, b)) == bits(Vector.axpy(0.5, A, B)))
            #expect(bits(Vector.elementwise(a, b) { $0 * 2 - $1 }) == bits(Vector.elementwise(A, B) { $0 * 2 - $1 }))
            #expect(bits(a + a.rolled(by: 1)) == bits(A + A.rolled(by: 1)))
            #expect(a.dot(b).bitPattern == A.dot(B).bitPattern && a.sum().bitPattern == A.sum().bitPattern)
            #expect(a.halfSquaredNorm().bitPattern == A.halfSquaredNorm().bitPattern)
            var c = a, C = A
            c += b; C += B
            #expect(bits(c) == bits(C))
            c -= a.rolled(by: 2); C -= A.rolled(by: 2)
            #expect(bits(c) == bits(C))
            // Operands that are temporaries (uniquely held) are written in place.
            #expect(bits((a * 1) + (b + 0.5)) == bits((A * 1) + (B + 0.5)))
            #expect(bits(-((a - b) + 0.5)) == bits(-((A - B) + 0.5)))
        }
    }

    @Test func pullbacksReadDeferredCotangentsAndOperandsAsTheirCopies() {
        Self.forEveryDeferredPair { a, b, A, B in
            let v = 0.5 * b + 0.25, V = Vector(v.scalars)
            func same(_ f: @differentiable(reverse) (Vector, Vector) -> Vector) -> Bool {
                let (deferred, copied) = (pullback(at: a, b, of: f)(v), pullback(at: A, B, of: f)(V))
                return bits(deferred.0) == bits(copied.0) && bits(deferred.1) == bits(copied.1)
            }
            #expect(same { $0 + $1 } && same { $0 - $1 } && same { $0 * $1 } && same { $0 / ($1 + 5) })
            #expect(same { -$0 + 2 * $1 } && same { Vector.axpy(0.25, $0, $1) } && same { ($0 - $1.rolled(by: 1)) * $0 + 3 })
            let (g, G) = (gradient(at: a, b, of: Self.reductions), gradient(at: A, B, of: Self.reductions))
            #expect(bits(g.0) == bits(G.0) && bits(g.1) == bits(G.1))
        }
    }

    @differentiable(reverse)
    static func reductions(_ x: Vector, _ y: Vector) -> Double { (x * y).sum() + x.dot(y) + (y + 1).halfSquaredNorm() }

    /// Deferring shares storage: `c * x` and `x + c` are no pass and no allocation, the
    /// pending values are written in place only into storage the vector holds alone, and
    /// storage another vector shares is never written.
    @Test func deferringSharesStorageAndNeverWritesIt() {
        let x = Self.operand(11, seed: 3), z = Self.operand(11, seed: 4)
        let before = bits(x)
        #expect(!(1e300 * Vector([1e10, 1])).isCheckpointFinite && !(Vector([1, 2]) + .infinity).isCheckpointFinite)
        func address(_ v: Vector) -> UnsafePointer<Double>? { v.storage.withUnsafeBufferPointer { $0.baseAddress } }
        let scaled = 2 * x, shifted = x + 1, negated = -x
        #expect(address(scaled) == address(x) && address(shifted) == address(x) && address(negated) == address(x))
        #expect(!scaled.hasNothingPending && x.hasNothingPending)
        var sum = scaled + z
        sum += shifted
        var written = 3 * (x + 1)
        written.scalars[0] = 42
        var accumulated = -x
        accumulated -= z
        #expect(bits(x) == before && address(written) != address(x))
        #expect(bits(sum) == bits(Vector(x.scalars.map { 2 * $0 }) + z + Vector(x.scalars.map { $0 + 1 })))
        // A temporary's pending values are written into its own storage.
        let temporary = x.map { $0 } + 0.5
        let own = address(temporary)
        let applied = (consume temporary).withPendingApplied()
        #expect(address(applied) == own && applied.hasNothingPending)
        #expect(bits(applied) == x.scalars.map { ($0 + 0.5).bitPattern })
    }
}
