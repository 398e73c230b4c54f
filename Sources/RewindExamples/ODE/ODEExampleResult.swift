import AdjointODE
import CheckpointedAD
import ScheduleInspector

/// What an example run returns: the loss, its gradients, checks against independent truths
/// (finite differences, the store-all gradient), and the costs. The CLI's `demo` prints it.
public struct ODEExampleResult: Sendable, CustomStringConvertible {
    /// One comparison against an independent truth.
    public struct Check: Sendable, Hashable {
        /// What was compared, e.g. `"dL/dF vs central finite difference"`.
        public var name: String
        /// The relative error found (0 for a bitwise comparison that matched).
        public var error: Double
        /// The error accepted.
        public var tolerance: Double
        /// error ≤ tolerance.
        public var passed: Bool { error <= tolerance }
    }

    /// The example's name.
    public var name: String
    /// L.
    public var loss: Double
    /// ∂L/∂y₀.
    public var initialStateGradient: Vector
    /// ∂L/∂p.
    public var parameterGradient: Vector
    /// The comparisons made.
    public var checks: [Check]
    /// The forward solve's counts.
    public var solve: SolveStatistics
    /// The checkpointed reverse sweep's counts.
    public var checkpointing: CheckpointingStatistics
    /// Wall-clock seconds of the gradient computation.
    public var gradientSeconds: Double
    /// Wall-clock seconds of the forward solve.
    public var forwardSeconds: Double
    /// Example-specific lines (fitted parameters, iterations, …).
    public var details: [String] = []

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// A short report, one fact per line.
    public var description: String {
        var lines = ["\(name)", "  loss L = \(loss)"]
        let shown = initialStateGradient.scalars.prefix(3).map { "\($0)" }.joined(separator: ", ")
        lines.append("  dL/dy0[0..<3] = [\(shown)]\(initialStateGradient.count > 3 ? " … (\(initialStateGradient.count) entries)" : "")")
        lines.append("  dL/dp = \(parameterGradient.scalars)")
        lines.append("  steps n = \(checkpointing.steps), slots = \(checkpointing.capacities.values.reduce(0, +)), advances = \(checkpointing.advances), reverses = \(checkpointing.reverses)")
        lines.append("  forward \(Format.seconds(forwardSeconds)), gradient \(Format.seconds(gradientSeconds))")
        for check in checks {
            lines.append("  [\(check.passed ? "ok" : "FAIL")] \(check.name): error \(Format.significant(check.error)) (tolerance \(Format.significant(check.tolerance)))")
        }
        lines += details.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// Seconds taken by `body`.
func measure<T>(_ body: () throws(ODEError) -> T) throws(ODEError) -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try body()
    let elapsed = clock.now - start
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

/// max_m |a_m − b_m| / max(|b|_∞, tiny): a relative error of a whole vector.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "comparing vectors of \(a.count) and \(b.count) values")
    let scale = Swift.max(b.map(abs).max() ?? 0, 1e-300)
    return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}
