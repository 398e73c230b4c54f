import CheckpointedAD
import Foundation
import OptimalControl

/// `rewind demo --problem vanderpol`: CasADi's Van der Pol optimal-control example solved by
/// single or multiple shooting with L-BFGS-B or IPOPT, reported as text or JSON.
///
/// ```swift
/// let demo = VanDerPolDemo(intervals: 2000, horizon: 10, pathConstraint: true, shooting: .multiple, solver: .ipopt)
/// let (text, converged) = try demo.run(json: true)
/// ```
package struct VanDerPolDemo {
    /// The optimiser, by its command-line name.
    package enum Solver: String, CaseIterable, Sendable {
        /// L-BFGS-B (single shooting; path constraints by augmented Lagrangian).
        case lbfgsb
        /// IPOPT with a limited-memory Hessian.
        case ipopt
    }

    /// IPOPT's Hessian, by its command-line name.
    package enum Hessian: String, CaseIterable, Sendable {
        /// Multiple shooting's Hessian by differences of the adjoints, limited-memory for single shooting.
        case automatic
        /// IPOPT's limited-memory quasi-Newton approximation.
        case limitedMemory = "limited-memory"
        /// Multiple shooting's Lagrangian Hessian by forward differences of the adjoints.
        case adjointDifferences = "adjoint-differences"

        /// The library's value.
        var ipopt: IpoptHessian {
            switch self {
            case .automatic: .automatic
            case .limitedMemory: .limitedMemory
            case .adjointDifferences: .program
            }
        }
    }

    /// N control intervals.
    package var intervals: Int
    /// T.
    package var horizon: Double
    /// Whether x₁ ≥ −0.25 is imposed at the interval ends.
    package var pathConstraint: Bool
    /// Single or multiple shooting.
    package var shooting: ShootingMethod
    /// The optimiser.
    package var solver: Solver
    /// A memory budget in bytes for the gradient's checkpoints (nil: store-all).
    package var memory: Int?
    /// RK4 steps per interval (CasADi's example uses 4).
    package var substeps = 4
    /// IPOPT's Hessian: limited-memory, or (multiple shooting) forward differences of the adjoints.
    package var hessian: Hessian = .automatic

    /// A demo; the CLI passes its validated options.
    package init(intervals: Int, horizon: Double, pathConstraint: Bool, shooting: ShootingMethod, solver: Solver, memory: Int? = nil) {
        self.intervals = intervals
        self.horizon = horizon
        self.pathConstraint = pathConstraint
        self.shooting = shooting
        self.solver = solver
        self.memory = memory
    }

    /// The gradient's checkpointing strategy.
    var checkpointing: Checkpointing<Vector> { memory.map { .revolve(memory: .bytes($0)) } ?? .storeAll }

    /// Solves; returns the printout (JSON when `json`) and whether the solver converged.
    /// `progress` sees every iteration of the optimiser.
    /// - Throws: ``ControlError`` for multiple shooting with L-BFGS-B; ``IpoptError`` with
    ///   IPOPT's status when IPOPT fails; the driver's error for a budget that cannot work.
    package func run(json: Bool, progress: (any DemoProgress)? = nil) throws -> (text: String, passed: Bool) {
        let problem = VanDerPol.problem(horizon: horizon, pathConstraint: pathConstraint)
        let single = SingleShooting(problem: problem, intervals: intervals, substeps: substeps, checkpointing: checkpointing)
        let ipoptProgress: (IpoptIteration) -> IterationDecision = { report in
            progress?.update(status: "IPOPT iteration \(report.iteration), objective \(report.objective), infeasibility \(report.primalInfeasibility)")
            return .proceed
        }
        let (solution, seconds) = try timed { () throws -> ControlSolution in
            switch (shooting, solver) {
            case (.single, .lbfgsb):
                return try single.solve { report in
                    progress?.update(status: "L-BFGS-B iteration \(report.optimizer.iteration), objective \(report.optimizer.objective)")
                    return .proceed
                }
            case (.single, .ipopt):
                return try single.solve(ipopt: Ipopt(hessian: hessian.ipopt), progress: ipoptProgress)
            case (.multiple, .ipopt):
                return try MultipleShooting(problem: problem, intervals: intervals, substeps: substeps, checkpointing: checkpointing)
                    .solve(ipopt: Ipopt(hessian: hessian.ipopt), progress: ipoptProgress)
            case (.multiple, .lbfgsb):
                return try problem.solve(intervals: intervals, shooting: .multiple, solver: .lbfgsb(LBFGSB()))
            }
        }
        progress?.finish()
        let report = VanDerPolDemoReport(demo: self, solution: solution, seconds: seconds,
                                         peakResidentBytes: StiffDemo.peakResidentBytes())
        return (json ? report.json : report.text, solution.stopReason.isConverged)
    }
}

/// The printout of a ``VanDerPolDemo``.
struct VanDerPolDemoReport {
    var demo: VanDerPolDemo
    var solution: ControlSolution
    var seconds: Double
    var peakResidentBytes: Int

    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
    static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\"" }

    var setting: String {
        "Van der Pol, T = \(demo.horizon), N = \(demo.intervals) intervals × \(demo.substeps) RK4 steps, |u| ≤ 1"
            + (demo.pathConstraint ? ", x1 ≥ \(VanDerPol.pathFloor) at the interval ends" : "")
    }

    /// The Hessian IPOPT used (multiple shooting's programs carry one, single shooting's do not).
    var usedHessian: VanDerPolDemo.Hessian {
        Ipopt(hessian: demo.hessian.ipopt).usesProgramHessian(programHasHessian: demo.shooting == .multiple) ? .adjointDifferences : .limitedMemory
    }

    var minimumX1: Double { solution.states.map { $0[0] }.min() ?? .nan }

    var text: String {
        var lines = [setting]
        let hessian = usedHessian == .adjointDifferences ? " (Hessian by differences of the adjoints)" : " (limited-memory Hessian)"
        lines.append("  \(demo.shooting) shooting, \(solution.solver)\(solution.ipopt != nil ? hessian : ""), gradient \(demo.checkpointing)")
        lines.append("  objective \(solution.objective)")
        lines.append("  stop: \(solution.stopSummary)")
        lines.append("  iterations \(solution.iterations), gradient evaluations \(solution.evaluations)")
        lines.append("  min x1 at the nodes \(minimumX1), active control bounds \(solution.controls.count { abs($0) >= 1 - 1e-7 }) of \(solution.controls.count)")
        lines.append("  peak checkpoint bytes \(solution.peakCheckpointBytes), working bytes \(solution.bytesBesidesCheckpoints), peak resident \(peakResidentBytes) bytes")
        lines.append("  time \(seconds) s")
        return lines.joined(separator: "\n")
    }

    var json: String {
        var lines = ["{"]
        lines.append("  \"problem\": \"vanderpol\", \"horizon\": \(Self.number(demo.horizon)), \"intervals\": \(demo.intervals), \"substeps\": \(demo.substeps),")
        lines.append("  \"pathConstraint\": \(demo.pathConstraint), \"shooting\": \"\(demo.shooting)\", \"solver\": \"\(demo.solver.rawValue)\",")
        lines.append("  \"checkpointing\": \(Self.quoted("\(demo.checkpointing)")), \"hessian\": \"\(usedHessian.rawValue)\",")
        lines.append("  \"objective\": \(Self.number(solution.objective)),")
        lines.append("  \"iterations\": \(solution.iterations), \"gradientEvaluations\": \(solution.evaluations),")
        lines.append("  \"stopReason\": \"\(solution.stopReason.rawValue)\", \"converged\": \(solution.stopReason.isConverged),")
        lines.append("  \"stop\": \(Self.quoted(solution.stopSummary)),")
        lines.append("  \"optimality\": \(Self.number(solution.optimality)),")
        lines.append("  \"ipoptStatus\": \(solution.ipopt.map { "\"\($0.status.name)\"" } ?? "null"),")
        lines.append("  \"constraintViolation\": \(Self.number(solution.constraintViolation)), \"minimumX1\": \(Self.number(minimumX1)),")
        lines.append("  \"peakCheckpointBytes\": \(solution.peakCheckpointBytes), \"bytesBesidesCheckpoints\": \(solution.bytesBesidesCheckpoints),")
        lines.append("  \"peakResidentBytes\": \(peakResidentBytes), \"seconds\": \(Self.number(seconds)),")
        lines.append("  \"controls\": [" + solution.controls.map(Self.number).joined(separator: ", ") + "]")
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
