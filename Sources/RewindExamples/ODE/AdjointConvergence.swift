import AdjointODE
import CheckpointedAD
import Foundation

/// The order of accuracy of discrete-adjoint gradients: how the error of dL/dy₀ and dL/dp
/// against the exact (continuous) sensitivities shrinks as the step size h = T/n shrinks.
///
/// The problem is y′ = A y with A = [[a, b], [−b, a]] (p = the four entries of A), whose
/// solution and adjoint are closed-form: y(t) = e^{at} R(t) y₀ and λ(t) = e^{Aᵀ(T−t)} y(T)
/// for L = ½‖y(T)‖², so ∂L/∂y₀ = e^{2aT} y₀ and ∂L/∂A_ij = ∫₀^T λ_i y_j dt (composite Simpson
/// with 20 000 intervals of the closed-form integrands, error below 10⁻¹⁴). Hager 2000 and
/// Sandu 2006 show that the discrete adjoint of an order-p Runge–Kutta method gives these
/// sensitivities with error O(hᵖ).
public enum AdjointConvergence {
    /// One row of the table: a method, a step count, the gradient's error and the observed
    /// order log₂(e(n/2)/e(n)) against the previous row of the same method.
    public struct Row: Sendable, Hashable {
        /// The method.
        public var method: String
        /// Its classical order p.
        public var order: Int
        /// n = T/h.
        public var steps: Int
        /// max |computed − exact| / max |exact| over ∂L/∂y₀ and ∂L/∂p.
        public var error: Double
        /// log₂ of the error ratio to the row with half as many steps (nil for the first).
        public var observedOrder: Double?
    }

    /// The exact sensitivities (∂L/∂y₀, ∂L/∂A) for the rotation-scaling system.
    public static func exactSensitivities(a: Double, b: Double, initialState y0: [Double], horizon T: Double) -> (state: [Double], parameters: [Double]) {
        func y(_ t: Double) -> [Double] {
            let (c, s, e) = (cos(b * t), sin(b * t), exp(a * t))
            return [e * (c * y0[0] + s * y0[1]), e * (-s * y0[0] + c * y0[1])]
        }
        let yT = y(T)
        func lambda(_ t: Double) -> [Double] {
            let r = T - t
            let (c, s, e) = (cos(b * r), sin(b * r), exp(a * r))
            return [e * (c * yT[0] - s * yT[1]), e * (s * yT[0] + c * yT[1])]
        }
        let intervals = 20_000
        let h = T / Double(intervals)
        var integral = [0.0, 0, 0, 0]
        for k in 0...intervals {
            let t = Double(k) * h
            let weight = (k == 0 || k == intervals) ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0)
            let (l, x) = (lambda(t), y(t))
            for i in 0..<2 { for j in 0..<2 { integral[2 * i + j] += weight * l[i] * x[j] } }
        }
        return (y0.map { exp(2 * a * T) * $0 }, integral.map { $0 * h / 3 })
    }

    /// The linear right-hand side y′ = A y, p = (A₀₀, A₀₁, A₁₀, A₁₁), with its VJP.
    public static let linear = RightHandSide(
        dimension: 2, parameterCount: 4,
        evaluate: { _, y, p, dydt in
            dydt[0] = p[0] * y[0] + p[1] * y[1]
            dydt[1] = p[2] * y[0] + p[3] * y[1]
        },
        pullback: { _, y, p, v, yBar, pBar in
            yBar[0] = p[0] * v[0] + p[2] * v[1]
            yBar[1] = p[1] * v[0] + p[3] * v[1]
            pBar[0] += y[0] * v[0]
            pBar[1] += y[1] * v[0]
            pBar[2] += y[0] * v[1]
            pBar[3] += y[1] * v[1]
        })

    /// The error table for `methods` at n = `steps`, 2·`steps`, … (`doublings` + 1 rows each),
    /// with a = −0.1, b = 2, T = 2, y₀ = (1, 0.5), checkpointed with 6 slots.
    ///
    /// - Complexity: Σ n·(t(n, 6)/n + 1) steps per method.
    public static func table(methods: [ButcherTableau] = ButcherTableau.all, steps: Int = 8, doublings: Int = 5) throws(ODEError) -> [Row] {
        let (a, b, T) = (-0.1, 2.0, 2.0)
        let y0 = [1.0, 0.5]
        let exact = exactSensitivities(a: a, b: b, initialState: y0, horizon: T)
        let truth = exact.state + exact.parameters
        let scale = truth.map(abs).max()!
        let problem = ODEProblem(rightHandSide: linear, initialState: Vector(y0), parameters: [a, b, -b, a])
        let loss = ODELoss.finalState(
            value: { y in 0.5 * (y[0] * y[0] + y[1] * y[1]) },
            gradient: { y, s, yBar in
                yBar[0] += s * y[0]
                yBar[1] += s * y[1]
            })
        var rows: [Row] = []
        for method in methods {
            var previous: Double?
            for k in 0...doublings {
                let n = steps << k
                let g = try solve(problem, method: method, span: 0...T, step: .fixed(T / Double(n)))
                    .gradient(of: loss, checkpointing: .revolve(memory: .slots(6)))
                let computed = g.initialState.scalars + g.parameters.scalars
                let error = zip(computed, truth).map { abs($0 - $1) }.max()! / scale
                rows.append(Row(method: method.name, order: method.order, steps: n, error: error, observedOrder: previous.map { log2($0 / error) }))
                previous = error
            }
        }
        return rows
    }
}
