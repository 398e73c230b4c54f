// The stiff mode of the report (issue 14, item 6): the 1-D Brusselator of
// `rewind demo --problem brusselator`, its adaptive solve and exact discrete-adjoint gradient,
// timed in CPU seconds (best of the repetitions) with the counts that explain the time.
//
//     swift run -c release --package-path Benchmarks ode-report brusselator \
//         [N] [method] [rtol] [atol] [slots] [newton-rtol] [repetitions]
//
// Defaults: N = 10000, kvaerno5, rtol 1e-6, atol 1e-10, 8 Revolve slots (0: store-all),
// the Newton options' default tolerance, 3 repetitions. Peers: Benchmarks/Peers/README.md.
import AdjointODE
import CheckpointedAD
import Foundation
import ReportSupport
import RewindExamples

/// The stiff mode's settings, from the command line after `brusselator`.
struct BrusselatorRun {
    var points = 10_000
    var method = StiffMethod.kvaerno5
    var relative = 1e-6
    var absolute = 1e-10
    var slots = 8
    var newtonRelative: Double?
    var repetitions = 3

    init(arguments: [String]) {
        if arguments.count > 0, let value = Int(arguments[0]) { points = value }
        if arguments.count > 1, let value = StiffMethod(rawValue: arguments[1]) { method = value }
        if arguments.count > 2, let value = Double(arguments[2]) { relative = value }
        if arguments.count > 3, let value = Double(arguments[3]) { absolute = value }
        if arguments.count > 4, let value = Int(arguments[4]) { slots = value }
        if arguments.count > 5, let value = Double(arguments[5]), value > 0 { newtonRelative = value }
        if arguments.count > 6, let value = Int(arguments[6]) { repetitions = max(1, value) }
    }

    /// Newton's options: the default, or the given relative tolerance with atol = rtol·10⁻².
    var newton: NewtonOptions {
        newtonRelative.map { NewtonOptions(relative: $0, absolute: $0 * 1e-2) } ?? NewtonOptions()
    }

    func run() throws {
        let problem = StiffProblems.brusselator(points: points)
        let loss = StiffProblems.brusselatorLoss(points: points)
        let step = StepSize.adaptive(Tolerances(relative: relative, absolute: absolute))
        let budget: MemoryBudget = slots > 0 ? .slots(slots) : .bytes(1 << 40)
        var solution: ODESolution!
        var gradient: ODEGradient!
        let least = try leastOfInterleaved(rounds: repetitions, on: .processCPU, [
            { solution = try solve(method: method, problem: problem, step: step) },
            { gradient = try solution.gradient(of: loss, checkpointing: .revolve(memory: budget)) },
        ])
        let (forward, backward) = (least[0], least[1])
        let stats = solution.statistics
        let sweep = gradient.statistics
        let newtonLabel = newtonRelative.map { "Newton rtol \($0)" } ?? "Newton rtol \(NewtonOptions().relative) (default)"
        print("""
            Brusselator N = \(points) (state \(2 * points)), \(method.rawValue), rtol \(relative), atol \(absolute), \(slots > 0 ? "Revolve \(slots) slots" : "store-all"), \(newtonLabel)
              (CPU seconds, best of \(repetitions))
              forward  \(String(format: "%.3f", forward)) s   steps \(stats.acceptedSteps) (+\(stats.rejectedSteps) rejected), Newton iterations \(stats.newtonIterations), linear solves \(stats.linearSolves), factorisations \(stats.factorizations)
              gradient \(String(format: "%.3f", backward)) s   advances \(sweep.advances), reverses \(sweep.reverses)
              forward + gradient \(String(format: "%.3f", forward + backward)) s
              peak RSS \(format(peakResidentMebibytes(), digits: 1)) MiB
              L = \(gradient.value)   dL/dα = \(gradient.parameters.scalars[0])
            """)
    }

    /// The solve through the method's concrete tableau (so that release builds specialise it).
    func solve(method: StiffMethod, problem: ODEProblem, step: StepSize) throws(ODEError) -> ODESolution {
        switch method.method {
        case let tableau as DiagonallyImplicitTableau:
            try AdjointODE.solve(problem, method: tableau, span: 0...10, step: step, newton: newton)
        case let tableau as RosenbrockTableau:
            try AdjointODE.solve(problem, method: tableau, span: 0...10, step: step)
        default:
            preconditionFailure("every StiffMethod is diagonally implicit or Rosenbrock")
        }
    }
}
