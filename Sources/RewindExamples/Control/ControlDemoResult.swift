import OptimalControl
import ScheduleInspector

/// What a library problem's `run` returns: the solution, the transcription's size, the
/// wall time, and problem-specific measurements (for the CLI's `demo` and the report).
public struct ControlDemoResult: Sendable {
    /// The problem's name.
    public var name: String
    /// The solution.
    public var solution: ControlSolution
    /// N control intervals.
    public var intervals: Int
    /// S = N·k Runge–Kutta steps.
    public var steps: Int
    /// n, the state dimension.
    public var stateDimension: Int
    /// The checkpointing strategy of the gradient, described.
    public var checkpointing: String
    /// Wall-clock seconds of the solve.
    public var seconds: Double
    /// Named measurements, in order (for example the error against an analytic solution).
    public var measurements: [(name: String, value: Double)]

    /// One line per field, for a terminal.
    public var summary: String {
        var lines = [
            "\(name): N = \(intervals) intervals, S = \(steps) steps, n = \(stateDimension) states, gradient \(checkpointing)",
            "  objective \(solution.objective), iterations \(solution.iterations), evaluations \(solution.evaluations), \(solution.stopReason)",
            "  time \(Format.seconds(seconds))",
        ]
        for m in measurements { lines.append("  \(m.name): \(m.value)") }
        return lines.joined(separator: "\n")
    }
}

/// Runs `body` and returns its result with the elapsed wall-clock seconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = try clock.measure { result = try body() }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (result!, seconds)
}
