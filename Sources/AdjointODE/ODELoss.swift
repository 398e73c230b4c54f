import CheckpointedAD
import _Differentiation

/// A scalar loss of a solve's trajectory, whose gradient ``ODESolution/gradient(of:checkpointing:stepsPerCheckpoint:options:)``
/// computes: any sum of
///
/// - a function of the final state, Φ(y(t₁));
/// - observation terms ℓ_k(y(τ_k)) at given times (a data-assimilation misfit);
/// - a running cost ∫ g(t, y, p) dt, integrated by the same Runge–Kutta method as the state.
///
/// ```swift
/// let loss = ODELoss.finalState { y in y.halfSquaredNorm() }              // Swift AD
///     + .observations(times: [1, 2, 3], data: measured)                  // ½ Σ‖y(τ_k) − d_k‖²
///     + .running(energy)
/// ```
///
/// Observation times must be grid points of the solve: multiples of the fixed step from
/// t₀, or (for adaptive runs) times listed in `saveAt`, where the solver lands exactly.
public struct ODELoss: Sendable {
    /// A loss term of one state: its value and its gradient, added with a scale.
    public struct StateTerm: Sendable {
        /// ℓ(y).
        public typealias Value = @Sendable (_ y: UnsafeBufferPointer<Double>) -> Double
        /// Adds scale · ∇ℓ(y) to `yBar`.
        public typealias Gradient = @Sendable (_ y: UnsafeBufferPointer<Double>, _ scale: Double, _ yBar: UnsafeMutableBufferPointer<Double>) -> Void

        /// ℓ(y).
        public var value: Value
        /// scale · ∇ℓ(y), accumulated.
        public var gradient: Gradient

        /// A term from its value and gradient.
        public init(value: @escaping Value, gradient: @escaping Gradient) {
            self.value = value
            self.gradient = gradient
        }

        /// A term whose gradient Swift AD derives.
        public init(_ loss: @escaping @Sendable @differentiable(reverse) (Vector) -> Double) {
            value = { y in loss(Vector(Array(y))) }
            gradient = { y, scale, yBar in
                let g = _Differentiation.gradient(at: Vector(Array(y)), of: loss)
                guard g.count == yBar.count else { return }  // a zero tangent has no elements
                let elements = g.scalars  // once: a rotated view copies on every read
                for m in 0..<yBar.count { yBar[m] += scale * elements[m] }
            }
        }
    }

    /// Terms of the final state.
    public var terminal: [StateTerm] = []
    /// Terms at observation times.
    public var observations: [(time: Double, term: StateTerm)] = []
    /// Running costs.
    public var running: [RunningCost] = []

    /// The empty loss (L = 0).
    public init() {}

    /// Φ(y(t₁)) with a hand-written gradient.
    public static func finalState(value: @escaping StateTerm.Value, gradient: @escaping StateTerm.Gradient) -> ODELoss {
        var loss = ODELoss()
        loss.terminal = [StateTerm(value: value, gradient: gradient)]
        return loss
    }

    /// Φ(y(t₁)), differentiated by Swift AD.
    public static func finalState(_ loss: @escaping @Sendable @differentiable(reverse) (Vector) -> Double) -> ODELoss {
        var result = ODELoss()
        result.terminal = [StateTerm(loss)]
        return result
    }

    /// ½ Σ_k Σ_m w_m (y_m(τ_k) − d_km)²: the weighted least-squares misfit to observations
    /// `data[k]` at `times[k]` (weights 1 by default).
    public static func observations(times: [Double], data: [Vector], weights: Vector? = nil) -> ODELoss {
        precondition(times.count == data.count, "\(times.count) observation times for \(data.count) observations")
        var loss = ODELoss()
        loss.observations = zip(times, data).map { time, observed in
            let d = observed.scalars
            let w = weights?.scalars ?? [Double](repeating: 1, count: d.count)
            precondition(w.count == d.count, "\(w.count) weights for observations of \(d.count) values")
            return (time, StateTerm(
                value: { y in
                    var sum = 0.0
                    for m in 0..<d.count { sum += w[m] * (y[m] - d[m]) * (y[m] - d[m]) }
                    return 0.5 * sum
                },
                gradient: { y, scale, yBar in
                    for m in 0..<d.count { yBar[m] += scale * w[m] * (y[m] - d[m]) }
                }))
        }
        return loss
    }

    /// General observation terms ℓ_k(y(τ_k)) at `times[k]`.
    public static func observations(times: [Double], terms: [StateTerm]) -> ODELoss {
        precondition(times.count == terms.count, "\(times.count) observation times for \(terms.count) terms")
        var loss = ODELoss()
        loss.observations = Array(zip(times, terms))
        return loss
    }

    /// ∫ g(t, y, p) dt over the span, by the solve's own quadrature.
    public static func running(_ cost: RunningCost) -> ODELoss {
        var loss = ODELoss()
        loss.running = [cost]
        return loss
    }

    /// The sum of two losses.
    public static func + (lhs: ODELoss, rhs: ODELoss) -> ODELoss {
        var sum = lhs
        sum.terminal += rhs.terminal
        sum.observations += rhs.observations
        sum.running += rhs.running
        return sum
    }

    /// The running costs as one (nil when there are none).
    var combinedRunningCost: RunningCost? {
        guard running.count > 1 else { return running.first }
        let costs = running
        return RunningCost(
            value: { t, y, p in costs.reduce(0) { $0 + $1.value(t, y, p) } },
            gradient: { t, y, p, scale, yBar, pBar in for cost in costs { cost.gradient(t, y, p, scale, yBar, pBar) } })
    }
}
