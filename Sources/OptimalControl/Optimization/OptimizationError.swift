/// A request to the optimiser that cannot be honoured, or an objective that cannot be used.
///
/// Every case carries the offending values and its description says what to change, so a
/// command-line user sees a sentence, not a code.
public enum OptimizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A lower bound exceeds its upper bound (or one of them is NaN).
    case invalidBounds(index: Int, lower: Double, upper: Double)
    /// The bounds, the starting point or a returned gradient have different lengths.
    case dimensionMismatch(expected: Int, got: Int, what: String)
    /// There is nothing to optimise.
    case emptyProblem
    /// The objective or its gradient is NaN or infinite at the starting point.
    case nonFiniteObjective(value: Double)

    public var description: String {
        switch self {
        case let .invalidBounds(i, l, u):
            "bound \(i) is empty: lower \(l) > upper \(u) (or NaN); pass lower ≤ upper for every variable"
        case let .dimensionMismatch(expected, got, what):
            "\(what) has \(got) entries but the problem has \(expected) variables; pass vectors of one length"
        case .emptyProblem:
            "the problem has no variables; pass at least one"
        case let .nonFiniteObjective(value):
            "the objective or its gradient is not finite (\(value)) at the starting point; start from a point where it is defined"
        }
    }
}
