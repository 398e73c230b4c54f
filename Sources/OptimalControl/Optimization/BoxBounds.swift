/// Box constraints l ≤ x ≤ u, one interval per variable; ±∞ marks a missing bound.
///
/// ```swift
/// let bounds = try BoxBounds(lower: [-1, 0], upper: [1, .infinity])
/// bounds.project([2, -3])   // [1, 0]
/// ```
/// Construction validates every interval and throws ``OptimizationError/invalidBounds(index:lower:upper:)``
/// for an empty one, so an optimiser never sees lower > upper.
public struct BoxBounds: Sendable, Equatable {
    /// l: the lower bounds (`-.infinity` for none).
    public let lower: [Double]
    /// u: the upper bounds (`.infinity` for none).
    public let upper: [Double]

    /// Bounds from two vectors of equal length.
    /// - Throws: ``OptimizationError`` if the lengths differ or some lower > upper or a bound is NaN.
    /// - Complexity: O(n).
    public init(lower: [Double], upper: [Double]) throws(OptimizationError) {
        guard lower.count == upper.count else {
            throw .dimensionMismatch(expected: lower.count, got: upper.count, what: "the upper bounds")
        }
        for i in lower.indices where !(lower[i] <= upper[i]) {
            throw .invalidBounds(index: i, lower: lower[i], upper: upper[i])
        }
        self.lower = lower
        self.upper = upper
    }

    /// The same interval [lower, upper] for each of `count` variables.
    /// - Complexity: O(count).
    public init(count: Int, lower: Double, upper: Double) throws(OptimizationError) {
        precondition(count >= 0, "a variable count must be non-negative, got \(count)")
        try self.init(lower: Array(repeating: lower, count: count), upper: Array(repeating: upper, count: count))
    }

    /// No bounds at all on `count` variables.
    public static func unbounded(_ count: Int) -> BoxBounds {
        // Cannot fail: −∞ < ∞.
        try! BoxBounds(count: count, lower: -.infinity, upper: .infinity)
    }

    /// n: the number of variables.
    public var count: Int { lower.count }

    /// Whether any bound is finite (L-BFGS-B's `cnstnd`).
    public var isConstrained: Bool {
        lower.contains { $0.isFinite } || upper.contains { $0.isFinite }
    }

    /// Whether every variable has two finite bounds (L-BFGS-B's `boxed`).
    public var isBoxed: Bool {
        lower.allSatisfy { $0.isFinite } && upper.allSatisfy { $0.isFinite }
    }

    /// P(x): the nearest point of the box, componentwise clamp.
    /// - Complexity: O(n).
    public func project(_ x: [Double]) -> [Double] {
        precondition(x.count == count, "projecting a point of \(x.count) entries onto a box of \(count)")
        var p = x
        for i in p.indices { p[i] = Swift.min(Swift.max(p[i], lower[i]), upper[i]) }
        return p
    }

    /// Whether l ≤ x ≤ u holds componentwise.
    public func contains(_ x: [Double]) -> Bool {
        x.count == count && x.indices.allSatisfy { lower[$0] <= x[$0] && x[$0] <= upper[$0] }
    }

    /// ‖P(x − g) − x‖∞: the projected-gradient norm, zero exactly at a KKT point of the box.
    /// - Complexity: O(n).
    public func projectedGradientNorm(at x: [Double], gradient g: [Double]) -> Double {
        var norm = 0.0
        for i in x.indices {
            let step = Swift.min(Swift.max(x[i] - g[i], lower[i]), upper[i]) - x[i]
            norm = Swift.max(norm, abs(step))
        }
        return norm
    }
}
