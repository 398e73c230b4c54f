import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Elementwise operations write into an operand's storage only when nothing else holds it:
/// values still in use never change, results equal the elementwise definitions bit for bit,
/// and a dead temporary is reused instead of allocating.
@Suite struct VectorStorageReuseTests {
    /// The address of a vector's first element.
    func address(_ x: Vector) -> UnsafePointer<Double>? { x.scalars.withUnsafeBufferPointer { $0.baseAddress } }

    @Test func uniquenessFollowsTheReferences() {
        var x = Vector((1...3).map(Double.init))
        let uniqueAlone = x.hasUniqueStorage()
        let copy = x
        let uniqueWithCopy = x.hasUniqueStorage()
        var zero = Vector.zero
        let zeroUnique = zero.hasUniqueStorage()
        #expect(uniqueAlone && !uniqueWithCopy && !zeroUnique)
        #expect(copy == [1, 2, 3])
    }

    /// Every operation against its scalar definition, with operands that stay alive and
    /// must come out unchanged, including an operand passed twice.
    @Test func operandsInUseAreNotWritten() {
        var generator = SplitMix64(seed: 21)
        let x = Vector.random(count: 9, using: &generator), y = Vector.random(count: 9, using: &generator).map { $0 + 2 }
        let (xBefore, yBefore) = (x.scalars, y.scalars)
        func expected(_ f: (Double, Double) -> Double) -> Vector { Vector(zip(xBefore, yBefore).map(f)) }
        #expect(x + y == expected(+) && x - y == expected(-) && x * y == expected(*) && x / y == expected(/))
        #expect(-x == expected { a, _ in -a } && 1.5 * x == expected { a, _ in 1.5 * a } && x * 1.5 == expected { a, _ in a * 1.5 })
        #expect(x + 0.25 == expected { a, _ in a + 0.25 } && 0.25 + x == expected { a, _ in a + 0.25 })
        #expect(Vector.axpy(0.5, x, y) == expected { a, b in 0.5 * a + b })
        #expect(x + x == Vector(xBefore.map { $0 + $0 }) && x * x == Vector(xBefore.map { $0 * $0 }))
        #expect(x.scalars == xBefore && y.scalars == yBefore)
        var z = x
        z += y
        z -= x
        #expect(z == Vector(zip(xBefore, yBefore).map { ($0 + $1) - $0 }) && x.scalars == xBefore)
    }

    /// A temporary consumed by the next operation lends it its storage: a chain of
    /// elementwise operations on temporaries allocates one buffer.
    @Test func deadTemporaryIsReused() {
        var generator = SplitMix64(seed: 22)
        let x = Vector.random(count: 16, using: &generator), y = Vector.random(count: 16, using: &generator)
        let product = x * y
        let storage = address(product)
        let result = ((consume product) - x) + 2 * y
        #expect(address(result) == storage)
        #expect(result == Vector((0..<16).map { i in (x.scalars[i] * y.scalars[i] - x.scalars[i]) + 2 * y.scalars[i] }))
        let chain = Vector.axpy(0.5, x, ((x * y) - x) + y * 3 + 1)
        let chainExpected = (0..<16).map { i -> Double in
            let (a, b) = (x.scalars[i], y.scalars[i])
            let inner: Double = ((a * b - a) + b * 3) + 1
            return 0.5 * a + inner
        }
        #expect(chain.scalars == chainExpected)
    }

    /// The derivatives Swift AD picks when the scalar is a constant, against finite
    /// differences, and the linear ones against the transposed map (dot-product test:
    /// ⟨u, J·v⟩ = ⟨Jᵀu, v⟩ with J·v known in closed form).
    @Test func constantScalarDerivativesAreExact() {
        var generator = SplitMix64(seed: 23)
        let n = 11
        let y = Vector.random(count: n, using: &generator)
        let nonlinear: [(String, @differentiable(reverse) (Vector) -> Vector)] = [
            ("c·f", { x in 2.5 * (x * x) }), ("f·c", { x in (x * x) * 1.5 }), ("f + c", { x in (x * x) + 0.25 }),
            ("c + f", { x in 0.25 + x * x }), ("axpy(c, f, g)", { x in Vector.axpy(0.3, x * x, x * y) }),
        ]
        for (name, f) in nonlinear {
            let x = Vector.random(count: n, using: &generator), v = Vector.random(count: n, using: &generator)
            let u = Vector.random(count: n, using: &generator)
            let adjoint = valueWithPullback(at: x, of: f).pullback(u).dot(v)
            let difference = centralDifference({ f($0).dot(u) }, at: x, along: v)
            #expect(relativeDifference(adjoint, difference) < 1e-7, "\(name): \(adjoint) vs \(difference)")
        }
        let linear: [(String, @differentiable(reverse) (Vector) -> Vector, (Vector) -> Vector)] = [
            ("c·x", { x in 2.5 * x }, { v in v.map { 2.5 * $0 } }), ("x·c", { x in x * 1.5 }, { v in v.map { 1.5 * $0 } }),
            ("x + c", { x in x + 0.25 }, { v in v }), ("c + x", { x in 0.25 + x }, { v in v }),
            ("axpy(c, x, y)", { x in Vector.axpy(0.3, x, y) }, { v in v.map { 0.3 * $0 } }),
            ("axpy(c, y, x)", { x in Vector.axpy(0.3, y, x) }, { v in v }),
        ]
        for (name, f, jacobianTimes) in linear {
            let x = Vector.random(count: n, using: &generator), v = Vector.random(count: n, using: &generator)
            let u = Vector.random(count: n, using: &generator)
            let transposed = valueWithPullback(at: x, of: f).pullback(u)
            #expect(relativeDifference(transposed.dot(v), u.dot(jacobianTimes(v))) < 1e-14, "\(name)")
        }
    }

    /// The roll pullbacks that capture nothing (shifts −2 … 2) and the general one are the
    /// transposed rolls: dot-product test for every shift from −5 to 5.
    @Test func rollPullbacksAreTransposedRolls() {
        var generator = SplitMix64(seed: 24)
        let n = 7
        for shift in -5...5 {
            let x = Vector.random(count: n, using: &generator), v = Vector.random(count: n, using: &generator)
            let u = Vector.random(count: n, using: &generator)
            let transposed = valueWithPullback(at: x) { x in x.rolled(by: shift) }.pullback(u)
            #expect(relativeDifference(transposed.dot(v), u.dot(v.rolled(by: shift))) < 1e-14, "shift \(shift)")
            #expect(transposed == u.rolled(by: -shift), "shift \(shift)")
        }
    }
}
