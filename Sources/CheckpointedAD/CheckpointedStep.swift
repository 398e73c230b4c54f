import _Differentiation

/// One step x[i+1] = F_i(x[i], p) of a long computation, as the checkpointed driver runs
/// it: an untaped forward function for advances, and a value-with-pullback function for
/// reverses.
///
/// Two ways to make one:
///
/// ```swift
/// // (a) Swift AD: the pullback is derived by the compiler.
/// let step = CheckpointedStep { (x: Vector, p: Double, i: Int) in x + p * x.rolled(by: 1) }
///
/// // (b) Hand-written: no `_Differentiation` needed, any state and cotangent types.
/// let step = CheckpointedStep<[Double], Double, [Double], Double>(
///     forward: { x, p, i in … },
///     valueWithPullback: { x, p, i in (value: …, pullback: { ybar in (xbar, pbar) }) }
/// )
/// ```
///
/// The pullback maps x̄[i+1] to (x̄[i], p̄ᵢ), the vector-Jacobian products of F_i with respect
/// to its state and its parameters; the driver sums the p̄ᵢ with `+`. A pullback must
/// accept the cotangent types' `zero` (which for ``Vector`` has no elements).
///
/// **Determinism**: the forward function and the value of `valueWithPullback` must give
/// bit-identical states for the same input, and so must every call: recomputation relies
/// on it (``CheckpointingOptions/checksDeterminism`` verifies it).
public struct CheckpointedStep<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    /// The pullback of one step: x̄[i+1] ↦ (x̄[i], p̄ᵢ).
    public typealias Pullback = (StateCotangent) -> (StateCotangent, ParameterCotangent)

    /// x[i+1] = F_i(x[i], p), untaped: what an advance runs.
    public var forward: (State, Parameters, Int) -> State
    /// x[i+1] with the pullback of F_i at (x[i], p): what the first reverse runs (its value
    /// is x[n]).
    public var valueWithPullback: (State, Parameters, Int) -> (value: State, pullback: Pullback)
    /// Optionally, the pullback alone, for every later reverse, whose value the driver would
    /// discard: a hand-written step can skip the work that only the value needs (for RK4, the
    /// last stage). Nil: the driver calls ``valueWithPullback`` and drops the value.
    public var pullback: ((State, Parameters, Int) -> Pullback)?

    /// A step from a forward function and a hand-written value-with-pullback function, and
    /// optionally a pullback-only function that must agree with it.
    public init(
        forward: @escaping (State, Parameters, Int) -> State,
        valueWithPullback: @escaping (State, Parameters, Int) -> (value: State, pullback: Pullback),
        pullback: ((State, Parameters, Int) -> Pullback)? = nil
    ) {
        self.forward = forward
        self.valueWithPullback = valueWithPullback
        self.pullback = pullback
    }
}

extension CheckpointedStep
where State: Differentiable, Parameters: Differentiable,
    StateCotangent == State.TangentVector, ParameterCotangent == Parameters.TangentVector
{
    /// A step whose pullback Swift's automatic differentiation derives from `step`.
    ///
    /// - Parameter step: x[i+1] = step(x[i], p, i); the step index is not differentiated.
    public init(_ step: @escaping @differentiable(reverse) (State, Parameters, @noDerivative Int) -> State) {
        self.forward = { x, p, i in step(x, p, i) }
        self.valueWithPullback = { x, p, i in
            let (value, pullback) = _Differentiation.valueWithPullback(at: x, p) { x, p in step(x, p, i) }
            return (value, pullback)
        }
        self.pullback = nil
    }
}
