import Foundation
@testable import AdjointODE
import RewindExamples

/// Small problems shared by the tests, each with a hand-written VJP.
enum TestProblems {
    /// y′ = −k y, p = [k].
    static let decay = RightHandSide(
        dimension: 1, parameterCount: 1,
        evaluate: { _, y, p, dydt in dydt[0] = -p[0] * y[0] },
        pullback: { _, y, p, v, yBar, pBar in
            yBar[0] = -p[0] * v[0]
            pBar[0] += -y[0] * v[0]
        })

    /// A nonlinear, time-dependent system (a forced, damped pendulum with a quadratic term):
    /// y0′ = y1, y1′ = −p0 sin(y0) − p1 y1 + p2 cos(t) + y0 y1 / 4; the one the order tables use.
    static var forcedPendulum: RightHandSide { ImplicitAdjointConvergence.forcedPendulum }

    /// A nonlinear reaction–diffusion system on N points with two interleaved species,
    /// y = (u1, v1, u2, v2, …): u_i′ = c(u_{i−1} − 2u_i + u_{i+1}) − u_i v_i,
    /// v_i′ = c(v_{i−1} − 2v_i + v_{i+1}) + u_i v_i − v_i³/3 (zero boundaries), p = [c];
    /// its Jacobian has two sub- and two super-diagonals, declared banded.
    static func diffusion(points n: Int) -> RightHandSide {
        RightHandSide(
            dimension: 2 * n, parameterCount: 1,
            evaluate: { _, y, p, dydt in
                for i in 0..<n {
                    let u = y[2 * i], v = y[2 * i + 1]
                    let uSum = (i > 0 ? y[2 * i - 2] : 0) + (i < n - 1 ? y[2 * i + 2] : 0)
                    let vSum = (i > 0 ? y[2 * i - 1] : 0) + (i < n - 1 ? y[2 * i + 3] : 0)
                    dydt[2 * i] = p[0] * (uSum - 2 * u) - u * v
                    dydt[2 * i + 1] = p[0] * (vSum - 2 * v) + u * v - v * v * v / 3
                }
            },
            pullback: { _, y, p, w, yBar, pBar in
                var cBar = 0.0
                for i in 0..<n {
                    let u = y[2 * i], v = y[2 * i + 1]
                    let a = w[2 * i], b = w[2 * i + 1]
                    let aSum = (i > 0 ? w[2 * i - 2] : 0) + (i < n - 1 ? w[2 * i + 2] : 0)
                    let bSum = (i > 0 ? w[2 * i - 1] : 0) + (i < n - 1 ? w[2 * i + 3] : 0)
                    yBar[2 * i] = p[0] * (aSum - 2 * a) - v * a + v * b
                    yBar[2 * i + 1] = p[0] * (bSum - 2 * b) - u * a + (u - v * v) * b
                    let uSum = (i > 0 ? y[2 * i - 2] : 0) + (i < n - 1 ? y[2 * i + 2] : 0)
                    let vSum = (i > 0 ? y[2 * i - 1] : 0) + (i < n - 1 ? y[2 * i + 3] : 0)
                    cBar += a * (uSum - 2 * u) + b * (vSum - 2 * v)
                }
                pBar[0] += cBar
            }
        ).withJacobianStructure(.banded(lower: 2, upper: 2))
    }

    /// Central finite differences of a scalar function of a vector.
    static func finiteDifferenceGradient(at x: [Double], step: Double = 1e-6, _ f: ([Double]) throws -> Double) rethrows -> [Double] {
        var gradient = [Double](repeating: 0, count: x.count)
        for m in x.indices {
            var plus = x
            var minus = x
            let h = step * Swift.max(1, abs(x[m]))
            plus[m] += h
            minus[m] -= h
            gradient[m] = try (f(plus) - f(minus)) / (2 * h)
        }
        return gradient
    }

    /// max |a − b| / max(1, |b|).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) / Swift.max(1, abs($1)) }.max() ?? 0
    }
}
