import CheckpointedAD

/// An initial-value problem y′ = f(t, y, p), y(t₀) = y₀: what
/// ``solve(_:method:span:step:saveAt:)-(_,ButcherTableau,_,_,_)`` integrates.
///
/// ```swift
/// let problem = ODEProblem(rightHandSide: lotkaVolterra, initialState: [1, 1], parameters: [1.5, 1, 3, 1])
/// ```
public struct ODEProblem: Sendable {
    /// f and its VJP.
    public var rightHandSide: RightHandSide
    /// y₀.
    public var initialState: Vector
    /// p.
    public var parameters: Vector

    /// A problem; the sizes of y₀ and p must match the right-hand side's.
    public init(rightHandSide: RightHandSide, initialState: Vector, parameters: Vector = []) {
        precondition(initialState.count == rightHandSide.dimension, "the initial state has \(initialState.count) values, the right-hand side expects \(rightHandSide.dimension)")
        precondition(parameters.count == rightHandSide.parameterCount, "\(parameters.count) parameters given, the right-hand side expects \(rightHandSide.parameterCount)")
        self.rightHandSide = rightHandSide
        self.initialState = initialState
        self.parameters = parameters
    }

    /// N.
    public var dimension: Int { rightHandSide.dimension }
}
