// Lorenz-96 discrete-adjoint report (issue 6): RK4, F = 8, x0_i = F + 0.01 sin(i),
// T = 10, dt = T/n, loss ½‖x(T)‖², gradients with respect to x0 and F, for
// (N = 40, n = 10^5, 32 slots), (N = 4096, n = 10^4, 64 slots), (N = 65536, n = 2000, 32 slots).
//
//     swift run -c release --package-path Benchmarks ode-report            # every configuration
//     swift run -c release --package-path Benchmarks ode-report 4096 10000 64 [T] [stepsPerCheckpoint]
//     swift run -c release --package-path Benchmarks ode-report order      # order-of-accuracy table
//     swift run -c release --package-path Benchmarks ode-report examples   # the RewindExamples ODE examples, full size
//     swift run -c release --package-path Benchmarks ode-report brusselator [N] [method] [rtol] [atol] [slots] [newton-rtol] [repetitions]
//                                                                          # the stiff Brusselator's solve and gradient (BrusselatorRun.swift)
//
// Without arguments each configuration runs in its own child process, so that the peak
// resident memory (VmHWM) printed is that configuration's alone. Target: gradient time /
// forward time ≤ advances/n + 3 with the fused hand-written Lorenz-96 VJP.
import AdjointODE
import CheckpointedAD
import Foundation
import ReportSupport
import RewindExamples

func run(sites: Int, steps: Int, slots: Int, horizon: Double = 10, stepsPerCheckpoint k: Int = 1, repetitions: Int) throws {
    let problem = ODEExamples.lorenz96Problem(sites: sites)
    let loss = ODEExamples.halfSquaredFinalState
    var solution: ODESolution!
    var gradient: ODEGradient!
    // Interleaved, best of `repetitions`: the machine is shared, so take each one's quietest run.
    let least = try leastOfInterleaved(rounds: repetitions, on: .processCPU, [
        { solution = try solve(problem, method: .rk4, span: 0...horizon, step: .fixed(horizon / Double(steps))) },
        { gradient = try solution.gradient(of: loss, checkpointing: .revolve(memory: .slots(slots)), stepsPerCheckpoint: k) },
    ])
    let (forward, backward) = (least[0], least[1])
    precondition(gradient.finalState == solution.finalState, "the recording sweep did not reproduce the forward solve bit for bit")
    let stats = gradient.statistics
    let ratio = backward / forward
    // Runge–Kutta steps run untaped: k per driver advance, plus the k − 1 inner steps each
    // reversed group records before its taped last step.
    let advances = k * stats.advances + (k - 1) * stats.reverses
    let target = Double(advances) / Double(steps) + 3
    let checkpointBytes = Double(stats.peakCheckpointBytes) / 1e6
    print("""
        N = \(sites), n = \(steps), slots = \(slots), T = \(horizon)\(k > 1 ? ", stepsPerCheckpoint = \(k)" : "")  (state \(sites * 8) B, store-all would hold \(Double(steps * sites * 8) / 1e6) MB)
          (times are CPU seconds, best of \(repetitions))
          forward  \(String(format: "%.4f", forward)) s   (\(String(format: "%.3f", forward / Double(steps) * 1e6)) µs/step)
          gradient \(String(format: "%.4f", backward)) s   advances \(advances) (\(String(format: "%.3f", Double(advances) / Double(steps)))/step), reverses \(steps)\(k > 1 ? " (\(k) RK steps per checkpoint interval: driver advances \(stats.advances), driver steps \(stats.reverses))" : "")
          gradient / forward = \(String(format: "%.2f", ratio))   target ≤ advances/n + 3 = \(String(format: "%.2f", target))   \(ratio <= target ? "MET" : "MISSED")
          driver wall-clock split: recording \(String(format: "%.3f", stats.recordingSeconds)) s, recomputation \(String(format: "%.3f", stats.recomputationSeconds)) s, reverse \(String(format: "%.3f", stats.reverseSeconds)) s
          peak checkpoint bytes \(String(format: "%.2f", checkpointBytes)) MB, adjoint working set \(String(format: "%.2f", Double(gradient.statistics.reservedBytes) / 1e6)) MB (\(gradient.statistics.reservedBytes) B), peak RSS \(String(format: "%.1f", Double(peakResidentBytes()) / 1e6)) MB
          L = \(gradient.value)
          dL/dx0[0..<3] = \(gradient.initialState.scalars[0]), \(gradient.initialState.scalars[1]), \(gradient.initialState.scalars[2])
          dL/dF = \(gradient.parameters.scalars[0])
        """)
}

/// The order-of-accuracy table of discrete-adjoint gradients (Papers/Hager2000.md, Sandu2006.md).
func printOrderTable() throws {
    print("Discrete-adjoint gradient error vs the exact sensitivities, y′ = Ay, A = [[−0.1, 2], [−2, −0.1]], T = 2, L = ½‖y(T)‖²")
    print("method      p      n    relative error   observed order")
    for row in try AdjointConvergence.table(steps: 8, doublings: 6) {
        let observed = row.observedOrder.map { String(format: "%6.2f", $0) } ?? "     —"
        print(row.method.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " %2d %6d    %.3e      ", row.order, row.steps, row.error) + observed)
    }
}

let configurations = [(40, 100_000, 32, 1), (40, 100_000, 32, 16), (4096, 10_000, 64, 1), (65536, 2000, 32, 1)]
let arguments = CommandLine.arguments.dropFirst().prefix(3).compactMap { Int($0) }
let horizon = CommandLine.arguments.count > 4 ? Double(CommandLine.arguments[4]) ?? 10 : 10
let group = CommandLine.arguments.count > 5 ? Int(CommandLine.arguments[5]) ?? 1 : 1
if CommandLine.arguments.dropFirst().first == "order" {
    try printOrderTable()
} else if CommandLine.arguments.dropFirst().first == "brusselator" {
    try BrusselatorRun(arguments: Array(CommandLine.arguments.dropFirst(2))).run()
} else if CommandLine.arguments.dropFirst().first == "examples" {
    print(try ODEExamples.lorenz63Sensitivity())
    print(try ODEExamples.lorenz96(sites: 40, steps: 10_000, compareWithStoreAll: true))
    print(try ODEExamples.lorenz96(sites: 4096, steps: 10_000, memory: .slots(64)))
    print(try ODEExamples.lotkaVolterraFit())
    print(try ODEExamples.viscousBurgers(cells: 10_000, compareWithStoreAll: true))
} else if arguments.count == 3 {
    try run(sites: arguments[0], steps: arguments[1], slots: arguments[2], horizon: horizon, stepsPerCheckpoint: group, repetitions: arguments[0] >= 65536 ? 2 : 5)
} else {
    print("Lorenz-96, RK4, F = 8, T = 10, loss ½‖x(T)‖²; discrete RK adjoint (fused hand-written VJP), Revolve; release build")
    for (sites, steps, slots, group) in configurations {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["\(sites)", "\(steps)", "\(slots)", "10", "\(group)"]
        try child.run()
        child.waitUntilExit()
    }
}
