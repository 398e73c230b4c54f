import AdjointODE
import CheckpointedAD
import Foundation

/// `rewind demo --problem robertson|brusselator|vanderpol-stiff`: a stiff solve, its exact
/// discrete-adjoint gradient under a Revolve budget, checks against store-all (bitwise) and
/// finite differences, and the counts other solvers report, as text or JSON.
///
/// ```swift
/// let demo = StiffDemo(problem: .robertson, method: .kvaerno5, relative: 1e-6, absolute: 1e-10,
///                      horizon: nil, points: 500, steps: 1000, memory: nil)
/// let (text, passed) = try demo.run(json: true)
/// ```
package struct StiffDemo {
    /// The stiff problems.
    package enum Problem: String, Sendable {
        /// ``StiffProblems/robertson(rates:initialState:)``, T = 40 by default.
        case robertson
        /// ``StiffProblems/brusselator(points:alpha:)``, T = 10 by default.
        case brusselator
        /// ``StiffProblems/vanDerPol(stiffness:initialState:)``, T = 3 by default.
        case vanDerPol = "vanderpol-stiff"

        /// The relative step of the finite-difference checks: large enough that the Newton
        /// iterations' own convergence error (relative 10⁻¹⁰) does not swamp the difference.
        var finiteDifferenceStep: Double {
            switch self {
            case .robertson, .vanDerPol: 1e-7
            case .brusselator: 1e-4
            }
        }

        /// T when `--horizon` is not given.
        var defaultHorizon: Double {
            switch self {
            case .robertson: 40
            case .brusselator: 10
            case .vanDerPol: 3
            }
        }
    }

    package var problem: Problem
    package var method: StiffMethod
    package var relative: Double
    package var absolute: Double
    /// T, or nil for the problem's own.
    package var horizon: Double?
    /// brusselator: N grid points.
    package var points: Int
    /// Fixed steps for a method without an error estimate.
    package var steps: Int
    /// The checkpoint budget in bytes (nil: 8 slots).
    package var memory: Int?

    package init(problem: Problem, method: StiffMethod, relative: Double, absolute: Double, horizon: Double?, points: Int, steps: Int, memory: Int?) {
        self.problem = problem
        self.method = method
        self.relative = relative
        self.absolute = absolute
        self.horizon = horizon
        self.points = points
        self.steps = steps
        self.memory = memory
    }

    /// The problem and its loss.
    func setUp() -> (ODEProblem, ODELoss) {
        switch problem {
        case .robertson: (StiffProblems.robertson(), StiffProblems.robertsonLoss)
        case .brusselator: (StiffProblems.brusselator(points: points), StiffProblems.brusselatorLoss(points: points))
        case .vanDerPol: (StiffProblems.vanDerPol(), StiffProblems.halfSquaredNorm)
        }
    }

    /// The y₀ direction of the finite-difference check: for the Brusselator a smooth one,
    /// u_i ← sin(πx_i) (diffusion damps a grid-scale direction below the differences' noise).
    func direction(dimension: Int) -> [Double]? {
        guard problem == .brusselator else { return nil }
        var d = [Double](repeating: 0, count: dimension)
        for i in 0..<points { d[2 * i] = sin(Double.pi * Double(i + 1) / Double(points + 1)) }
        return d
    }

    /// Runs the demo; returns the printout (JSON when `json`) and whether every check passed.
    package func run(json: Bool) throws(ODEError) -> (text: String, passed: Bool) {
        let (odeProblem, loss) = setUp()
        let end = horizon ?? problem.defaultHorizon
        let step: StepSize = method.method.embeddedOrder == nil
            ? .fixed(end / Double(steps)) : .adaptive(Tolerances(relative: relative, absolute: absolute))
        let (solution, forwardSeconds) = try measure { () throws(ODEError) in try method.solve(odeProblem, span: 0...end, step: step) }
        let budget: MemoryBudget = memory.map { .bytes($0) } ?? .slots(8)
        let (gradient, gradientSeconds) = try measure { () throws(ODEError) in
            try solution.gradient(of: loss, checkpointing: .revolve(memory: budget))
        }
        // Before the checks, whose store-all comparison keeps every state.
        let peakResidentBytes = Self.peakResidentBytes()
        let checks = try ODEExamples.checks(
            solution: solution, loss: loss, gradient: gradient, compareWithStoreAll: true,
            finiteDifferenceStep: problem.finiteDifferenceStep, tolerance: 1e-4, direction: direction(dimension: odeProblem.dimension))
        let result = ODEExampleResult(
            name: "\(problem.rawValue), \(method.method.name), T = \(end)", loss: gradient.value,
            initialStateGradient: gradient.initialState, parameterGradient: gradient.parameters, checks: checks,
            solve: solution.statistics, checkpointing: gradient.statistics,
            gradientSeconds: gradientSeconds, forwardSeconds: forwardSeconds)
        let report = StiffDemoReport(result: result, horizon: end, relative: relative, absolute: absolute, peakResidentBytes: peakResidentBytes)
        return (json ? report.json : report.text, result.passed)
    }

    /// The process's peak resident set size in bytes so far (getrusage; Linux reports KiB):
    /// the solve and the checkpointed gradient, taken before the store-all check runs.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return usage.ru_maxrss * 1024
    }
}

/// The printout of a ``StiffDemo``: the loss, the full gradients at full precision (Swift's
/// shortest round-trip decimal form), and the counts.
struct StiffDemoReport {
    var result: ODEExampleResult
    var horizon: Double
    var relative: Double
    var absolute: Double
    var peakResidentBytes: Int

    /// The counts, in the order printed.
    var counts: [(String, Int)] {
        let solve = result.solve
        let sweep = result.checkpointing
        return [
            ("steps", solve.acceptedSteps), ("rejectedSteps", solve.rejectedSteps), ("newtonIterations", solve.newtonIterations),
            ("newtonFailures", solve.newtonFailures), ("linearSolves", solve.linearSolves), ("jacobianEvaluations", solve.jacobianEvaluations),
            ("factorizations", solve.factorizations), ("evaluations", solve.evaluations),
            ("advances", sweep.advances), ("reverses", sweep.reverses), ("checkpointSlots", sweep.capacities.values.reduce(0, +)),
            ("peakCheckpointBytes", sweep.peakCheckpointBytes), ("reservedBytes", sweep.reservedBytes),
            ("peakResidentBytes", peakResidentBytes),
        ]
    }

    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
    static func array(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ", ") + "]" }

    var json: String {
        var lines = ["{"]
        lines.append("  \"problem\": \"\(result.name)\",")
        lines.append("  \"horizon\": \(Self.number(horizon)), \"rtol\": \(Self.number(relative)), \"atol\": \(Self.number(absolute)),")
        lines.append("  \"loss\": \(Self.number(result.loss)),")
        lines.append("  \"gradient\": {")
        lines.append("    \"initialState\": \(Self.array(result.initialStateGradient.scalars)),")
        lines.append("    \"parameters\": \(Self.array(result.parameterGradient.scalars))")
        lines.append("  },")
        for (name, value) in counts { lines.append("  \"\(name)\": \(value),") }
        lines.append("  \"forwardSeconds\": \(Self.number(result.forwardSeconds)), \"gradientSeconds\": \(Self.number(result.gradientSeconds)),")
        let checks = result.checks.map {
            "    {\"name\": \"\($0.name)\", \"error\": \(Self.number($0.error)), \"tolerance\": \(Self.number($0.tolerance)), \"passed\": \($0.passed)}"
        }
        lines.append("  \"checks\": [\n" + checks.joined(separator: ",\n") + "\n  ],")
        lines.append("  \"passed\": \(result.passed)")
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    var text: String {
        var lines = [result.description]
        lines.append("  dL/dy0 (full) = \(result.initialStateGradient.scalars)")
        lines.append("  " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
