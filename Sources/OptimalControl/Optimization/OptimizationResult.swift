/// Why an optimiser stopped.
public enum StopReason: String, Sendable, Equatable, CustomStringConvertible {
    /// ‖P(x − ∇f) − x‖∞ fell to the gradient tolerance (absolute, or relative to its start):
    /// a (numerical) KKT point.
    case projectedGradientTolerance
    /// (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) stayed at the relative objective tolerance
    /// for the required number of iterations in a row.
    case relativeObjectiveChange
    /// The iteration limit was reached.
    case maximumIterations
    /// The evaluation limit was reached.
    case maximumEvaluations
    /// The line search found no acceptable step even along steepest descent while the
    /// gradient rule did not hold: a gradient inconsistent with the objective, or a
    /// tolerance below rounding (compare the final projected-gradient norm with its start).
    case lineSearchFailed
    /// The progress callback asked to stop.
    case stoppedByCallback
    /// IPOPT reported `Solve_Succeeded`: its scaled KKT error fell below `tol`.
    case ipoptSolved
    /// IPOPT reported `Solved_To_Acceptable_Level`.
    case ipoptSolvedToAcceptableLevel

    public var description: String {
        switch self {
        case .projectedGradientTolerance: "projected gradient below tolerance"
        case .relativeObjectiveChange: "relative objective change below tolerance"
        case .maximumIterations: "iteration limit reached"
        case .maximumEvaluations: "evaluation limit reached"
        case .lineSearchFailed: "line search failed (check the gradient against finite differences)"
        case .stoppedByCallback: "stopped by the progress callback"
        case .ipoptSolved: "IPOPT: KKT error below tolerance"
        case .ipoptSolvedToAcceptableLevel: "IPOPT: KKT error at the acceptable level"
        }
    }

    /// Whether the reason is one of the two convergence tests.
    public var isConverged: Bool {
        self == .projectedGradientTolerance || self == .relativeObjectiveChange
            || self == .ipoptSolved || self == .ipoptSolvedToAcceptableLevel
    }
}

/// The outcome of a bound-constrained minimisation.
public struct OptimizationResult: Sendable {
    /// x*: the last accepted iterate (always inside the bounds).
    public var x: [Double]
    /// f(x*).
    public var objective: Double
    /// ∇f(x*).
    public var gradient: [Double]
    /// ‖P(x* − ∇f(x*)) − x*‖∞.
    public var projectedGradientNorm: Double
    /// ‖P(x₀ − ∇f(x₀)) − x₀‖∞ at the (projected) start, the scale of the relative gradient rule.
    public var initialProjectedGradientNorm: Double
    /// ``projectedGradientNorm`` over ``initialProjectedGradientNorm`` (0 if the start was optimal).
    public var relativeProjectedGradientNorm: Double {
        initialProjectedGradientNorm > 0 ? projectedGradientNorm / initialProjectedGradientNorm : 0
    }
    /// Accepted iterations.
    public var iterations: Int
    /// Objective-and-gradient evaluations, the starting point included.
    public var evaluations: Int
    /// Why the optimiser stopped.
    public var stopReason: StopReason
}

/// What an optimiser reports after each accepted iteration.
public struct IterationProgress: Sendable {
    /// The iteration just completed (1-based).
    public var iteration: Int
    /// Evaluations so far, the starting point included.
    public var evaluations: Int
    /// f at the new iterate.
    public var objective: Double
    /// ‖P(x − ∇f) − x‖∞ at the new iterate.
    public var projectedGradientNorm: Double
    /// The accepted step length along the search direction.
    public var stepLength: Double
    /// How many variables sit on a bound at the new iterate.
    public var activeBounds: Int
}

/// The progress callback's answer.
public enum IterationDecision: Sendable {
    /// Keep iterating.
    case proceed
    /// Stop now and return the current iterate with ``StopReason/stoppedByCallback``.
    case stop
}
