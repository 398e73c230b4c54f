// Checkpointed gradients of Lorenz-96 (RK4, F = 8, T = 10, loss ½‖x(T)‖²) through the driver.
//
//     swift package --package-path Benchmarks benchmark --target GradientBenchmarks
//
// The ratios the issue asks for (gradient / forward, driver overhead, peak memory) are
// printed by the `gradient-report` executable in one run; this suite tracks the absolute
// times and allocation counts of the same runs across commits. `Lorenz96` is RewindExamples'
// (the report's too).
import Benchmark
import CheckpointSchedules
import CheckpointedAD
import RewindExamples

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxIterations: 5)

    for (size, steps) in [(4096, 1000), (40, 10_000)] {
        let dt = 10.0 / Double(steps)
        let x0 = Lorenz96.initialState(count: size, forcing: 8)
        let fused = CheckpointedStep<Vector, Double, Vector, Double>(
            forward: { x, F, _ in Lorenz96.step(x, F, dt) },
            valueWithPullback: { x, F, _ in Lorenz96.stepWithPullback(x, F, dt) },
            pullback: { x, F, _ in Lorenz96.pullback(x, F, dt) })
        let composed = CheckpointedStep { (x: Vector, F: Double, _: Int) -> Vector in Lorenz96.composedStep(x, F, dt) }
        let loss = CheckpointedLoss<Vector, Double, Vector, Double>(
            at: .final, value: { x, _, _ in x.halfSquaredNorm() }, valueWithGradient: { x, _, _ in (x.halfSquaredNorm(), x, 0) })
        let label = "Lorenz-96 N=\(size) n=\(steps)"

        Benchmark("\(label): forward (fused)") { _ in
            var x = x0
            for _ in 0..<steps { x = Lorenz96.step(x, 8, dt) }
            blackHole(x)
        }
        for (name, step) in [("fused VJP", fused), ("Swift AD", composed)] {
            Benchmark("\(label): store-all gradient (\(name))") { _ in
                blackHole(try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: steps, checkpointing: .schedule(StoreAll(steps: steps)), step: step, losses: [loss]))
            }
            Benchmark("\(label): Revolve(64) gradient (\(name))") { _ in
                blackHole(try valueWithCheckpointedGradient(at: x0, parameters: 8.0, steps: steps, checkpointing: .revolve(memory: .slots(64)), step: step, losses: [loss]))
            }
        }
    }
}
