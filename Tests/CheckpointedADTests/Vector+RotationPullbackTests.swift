import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindExamples
import RewindTestSupport

/// The roll as it was computed before rolls became views: a copy in fresh storage, whose
/// pullback is the opposite copy. The reference the view-based `rolled(by:)` must match.
@differentiable(reverse, wrt: x)
func copiedRoll(_ x: Vector, by shift: Int) -> Vector { definedRoll(x, by: shift) }

@derivative(of: copiedRoll, wrt: x)
func _vjpCopiedRoll(_ x: Vector, by shift: Int) -> (value: Vector, pullback: (Vector) -> Vector) {
    (definedRoll(x, by: shift), { v in v.count == 0 ? v : definedRoll(v, by: -shift) })
}

/// Lorenz-96's right-hand side and RK4 step exactly as `Lorenz96.rhs` / `composedStep`
/// write them, with every roll a copy.
enum CopiedRollLorenz96 {
    @differentiable(reverse)
    static func rhs(_ x: Vector, _ forcing: Double) -> Vector {
        (copiedRoll(x, by: -1) - copiedRoll(x, by: 2)) * copiedRoll(x, by: 1) - x + forcing
    }

    @differentiable(reverse)
    static func step(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
        let k1 = rhs(x, forcing)
        let k2 = rhs(Vector.axpy(dt / 2, k1, x), forcing)
        let k3 = rhs(Vector.axpy(dt / 2, k2, x), forcing)
        let k4 = rhs(Vector.axpy(dt, k3, x), forcing)
        return x + (dt / 6) * (k1 + 2 * (k2 + k3) + k4)
    }
}

/// Pullbacks read rotated operands and cotangents as their materialised copies, bit for
/// bit, and Lorenz-96 over views equals Lorenz-96 over copied rolls, value and gradient.
@Suite struct VectorRotationPullbackTests {
    /// Calls `body(a, b, v, A, B, V)` over sizes 1…9 and 37 and shifts −5…5 of a and b,
    /// v a rotated cotangent (three shifts), A, B, V the materialised copies.
    static func forEveryRotatedTriple(_ body: (Vector, Vector, Vector, Vector, Vector, Vector) -> Void) {
        VectorRotationTests.forEveryRotatedPair { a, b, A, B in
            let w = VectorRotationTests.operand(a.count, seed: 55)
            for r in [-5, 0, 3] {
                let v = w.rolled(by: r)
                body(a, b, v, A, B, Vector(v.scalars))
            }
        }
    }

    @Test func binaryPullbacksOnViewsMatchMaterialisedCopies() {
        func check(_ f: @differentiable(reverse) (Vector, Vector) -> Vector, _ a: Vector, _ b: Vector, _ v: Vector, _ A: Vector, _ B: Vector, _ V: Vector) {
            let (value, pullback) = valueWithPullback(at: a, b, of: f)
            let (reference, referencePullback) = valueWithPullback(at: A, B, of: f)
            let (aBar, bBar) = pullback(v), (ABar, BBar) = referencePullback(V)
            #expect(bits(value) == bits(reference) && bits(aBar) == bits(ABar) && bits(bBar) == bits(BBar))
        }
        Self.forEveryRotatedTriple { a, b, v, A, B, V in
            check({ $0 + $1 }, a, b, v, A, B, V)
            check({ $0 - $1 }, a, b, v, A, B, V)
            check({ $0 * $1 }, a, b, v, A, B, V)
            check({ $0 / $1 }, a, b, v, A, B, V)
            check({ Vector.axpy(0.5, $0, $1) }, a, b, v, A, B, V)
            check({ (x, y) in (x.rolled(by: -1) - y.rolled(by: 2)) * x.rolled(by: 1) - y }, a, b, v, A, B, V)
        }
    }

    @Test func scalarAndReductionPullbacksOnViewsMatchMaterialisedCopies() {
        Self.forEveryRotatedTriple { a, b, v, A, B, V in
            func check(_ f: @differentiable(reverse) (Vector, Double) -> Vector) {
                let (value, pullback) = valueWithPullback(at: a, 1.25, of: f)
                let (reference, referencePullback) = valueWithPullback(at: A, 1.25, of: f)
                let (aBar, sBar) = pullback(v), (ABar, SBar) = referencePullback(V)
                #expect(bits(value) == bits(reference) && bits(aBar) == bits(ABar) && sBar.bitPattern == SBar.bitPattern)
            }
            check { x, s in s * x }
            check { x, s in x * s }
            check { x, s in x + s }
            check { x, s in s + x }
            check { x, s in -x + s }
            check { x, s in Vector.axpy(s, x, x.rolled(by: 1)) }
            for k in VectorRotationTests.shifts {
                check { x, _ in x.rolled(by: k) }
            }
            let (dot, dotPullback) = valueWithPullback(at: a, b) { x, y in x.dot(y) }
            let (dotReference, dotReferencePullback) = valueWithPullback(at: A, B) { x, y in x.dot(y) }
            let (aBar, bBar) = dotPullback(0.75), (ABar, BBar) = dotReferencePullback(0.75)
            #expect(dot.bitPattern == dotReference.bitPattern && bits(aBar) == bits(ABar) && bits(bBar) == bits(BBar))
            let reductions: [@differentiable(reverse) (Vector) -> Double] = [
                { $0.sum() }, { $0.halfSquaredNorm() }, { $0.element(at: 0) }, { ($0 * $0.rolled(by: 2)).sum() },
            ]
            for f in reductions {
                let (value, gradient) = valueWithGradient(at: a, of: f)
                let (reference, referenceGradient) = valueWithGradient(at: A, of: f)
                #expect(value.bitPattern == reference.bitPattern && bits(gradient) == bits(referenceGradient))
            }
        }
    }

    /// `Lorenz96.composedStep` (rolls are views) against the same step with every roll
    /// copied: the values and both cotangents are the same bits, also from a rotated state.
    @Test func lorenz96OverViewsEqualsLorenz96OverCopiedRolls() {
        for n in [4, 5, 9, 40] {
            let x = Lorenz96.initialState(count: n, forcing: 8)
            let ybar = VectorRotationTests.operand(n, seed: 9)
            for start in [x, x.rolled(by: 3)] {
                let (value, pullback) = valueWithPullback(at: start, 8.0) { x, F in Lorenz96.composedStep(x, F, 0.01) }
                let (reference, referencePullback) = valueWithPullback(at: Vector(start.scalars), 8.0) { x, F in
                    CopiedRollLorenz96.step(x, F, 0.01)
                }
                let (xBar, forcingBar) = pullback(ybar), (referenceXBar, referenceForcingBar) = referencePullback(ybar)
                #expect(bits(value) == bits(reference))
                #expect(bits(xBar) == bits(referenceXBar) && forcingBar.bitPattern == referenceForcingBar.bitPattern)
            }
            // Ten steps: views flow from step to step as they would under the driver.
            var state = x, referenceState = x
            for _ in 0..<10 {
                state = Lorenz96.composedStep(state, 8, 0.01)
                referenceState = CopiedRollLorenz96.step(referenceState, 8, 0.01)
            }
            #expect(bits(state) == bits(referenceState))
        }
    }
}
