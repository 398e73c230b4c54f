// AdjointODE throughput: Lorenz-96 RK4 solves and discrete-adjoint gradients, and an
// adaptive Dormand–Prince Lorenz-63 gradient.
//
//     swift package --package-path Benchmarks benchmark --target ODEBenchmarks
//
// The ratios of issue 6 (gradient / forward, peak memory) are printed by `ode-report`; this
// suite tracks absolute times and allocation counts across commits.
import AdjointODE
import Benchmark
import CheckpointedAD
import Foundation
import RewindExamples

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxIterations: 5)

    let halfSquaredNorm = ODEExamples.halfSquaredFinalState

    for (sites, steps, slots, group) in [(40, 10_000, 32, 1), (40, 10_000, 32, 16), (4096, 1000, 64, 1)] {
        let problem = ODEExamples.lorenz96Problem(sites: sites)
        let label = "Lorenz-96 N=\(sites) n=\(steps) RK4"
        if group == 1 {
            Benchmark("\(label): solve") { _ in
                blackHole(try solve(problem, method: .rk4, span: 0...10, step: .fixed(10 / Double(steps))))
            }
        }
        let solution = try! solve(problem, method: .rk4, span: 0...10, step: .fixed(10 / Double(steps)))
        Benchmark("\(label): gradient, Revolve(\(slots))\(group > 1 ? ", \(group) steps per checkpoint" : "")") { _ in
            blackHole(try solution.gradient(
                of: halfSquaredNorm, checkpointing: .revolve(memory: .slots(slots)), stepsPerCheckpoint: group))
        }
    }

    let lorenz63 = ODEProblem(rightHandSide: .lorenz63, initialState: [1, 1, 1], parameters: [10, 28, 8.0 / 3])
    Benchmark("Lorenz-63 T=2 Dopri5(4) rtol 1e-10: solve + gradient, Revolve(16)") { _ in
        let solution = try solve(
            lorenz63, method: .dormandPrince54, span: 0...2, tolerances: Tolerances(relative: 1e-10, absolute: 1e-12))
        blackHole(try solution.gradient(
            of: .finalState(value: { $0[2] }, gradient: { _, s, yBar in yBar[2] += s }), checkpointing: .revolve(memory: .slots(16))))
    }
}
