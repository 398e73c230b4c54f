import _Differentiation

/// The states a loss term is evaluated at.
public enum LossSteps: Hashable, Sendable {
    /// The final state x[n] only.
    case final
    /// Every state x[0], x[1], …, x[n] (a running cost).
    case all
    /// x[k], x[2k], x[3k], … up to x[n] (regular observations); k ≥ 1.
    case every(Int)
    /// The listed states (observations at chosen steps); steps outside 0…n are ignored.
    case at(Set<Int>)

    /// Whether x[step] carries a loss term in a computation of `steps` steps.
    @inlinable
    public func contains(_ step: Int, steps n: Int) -> Bool {
        switch self {
        case .final: step == n
        case .all: step >= 0 && step <= n
        case let .every(k): step > 0 && step <= n && step % k == 0
        case let .at(set): step >= 0 && step <= n && set.contains(step)
        }
    }
}

/// A scalar loss term ℓ(x[i], p, i) evaluated at some of the states of the computation:
/// a loss of the final state, a running cost, or observations at chosen steps. The total
/// loss is L = Σᵢ ℓ(x[i], p, i) over the selected steps.
///
/// The driver evaluates each term's value on the recording sweep, and as the reverse sweep
/// reaches x̄[i] it adds ∂ℓ/∂x[i] to the adjoint and ∂ℓ/∂p to the parameter gradient.
///
/// ```swift
/// // Observations every 10 steps of a trajectory, with Swift AD:
/// let misfit = CheckpointedLoss<Vector, Double, Vector, Double>(at: .every(10)) { x, p, i in
///     (x - observed[i / 10]).halfSquaredNorm()
/// }
/// ```
public struct CheckpointedLoss<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    /// Where the term is evaluated.
    public var steps: LossSteps
    /// ℓ(x[i], p, i).
    public var value: (State, Parameters, Int) -> Double
    /// ℓ(x[i], p, i) with its gradients ∂ℓ/∂x[i] and ∂ℓ/∂p.
    public var valueWithGradient: (State, Parameters, Int) -> (value: Double, state: StateCotangent, parameters: ParameterCotangent)

    /// A loss term with hand-written gradients.
    public init(
        at steps: LossSteps,
        value: @escaping (State, Parameters, Int) -> Double,
        valueWithGradient: @escaping (State, Parameters, Int) -> (value: Double, state: StateCotangent, parameters: ParameterCotangent)
    ) {
        self.steps = steps
        self.value = value
        self.valueWithGradient = valueWithGradient
    }
}

extension CheckpointedLoss
where State: Differentiable, Parameters: Differentiable,
    StateCotangent == State.TangentVector, ParameterCotangent == Parameters.TangentVector
{
    /// A loss term whose gradients Swift's automatic differentiation derives.
    public init(at steps: LossSteps, _ loss: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> Double) {
        self.steps = steps
        self.value = { x, p, i in loss(x, p, i) }
        self.valueWithGradient = { x, p, i in
            let (value, pullback) = _Differentiation.valueWithPullback(at: x, p) { x, p in loss(x, p, i) }
            let (xbar, pbar) = pullback(1)
            return (value, xbar, pbar)
        }
    }

    /// A loss of the final state alone, L = loss(x[n]).
    public static func final(_ loss: @escaping @differentiable(reverse) (State) -> Double) -> Self {
        Self(
            at: .final,
            value: { x, _, _ in loss(x) },
            valueWithGradient: { x, _, _ in
                let (value, pullback) = _Differentiation.valueWithPullback(at: x, of: loss)
                return (value, pullback(1), .zero)
            }
        )
    }
}
