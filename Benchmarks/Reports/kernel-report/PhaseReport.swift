// `kernel-report phases N`: where each path's gradient goes, one step at a time: CPU µs per
// step of the forward step, of the step's value-with-pullback (the taping half) and of the
// pullback it returns (timed as value-with-pullback-and-pullback less the taping half, one
// tape alive at a time, as in a checkpointed reversal), least of `rounds` interleaved rounds.
import CheckpointedAD
import RewindExamples
import ReportSupport

/// Forward, taping and pullback CPU µs per step of every path at N = `size`.
func runPhases(size: Int, repetitions: Int, rounds: Int = 5) {
    let forcing = 8.0, dt = 0.001
    let x = Lorenz96.initialState(count: size, forcing: forcing)
    let paths = makePaths()
    var times = [[Double]](repeating: [.infinity, .infinity, .infinity], count: paths.count)
    var sink = 0.0
    for _ in 0..<rounds {
        for (k, path) in paths.enumerated() {
            let step = path.step(dt)
            var start = threadCPUSeconds()
            for _ in 0..<repetitions { sink += step.forward(x, forcing, 0).scalars[0] }
            times[k][0] = min(times[k][0], threadCPUSeconds() - start)
            start = threadCPUSeconds()
            for _ in 0..<repetitions { sink += step.valueWithPullback(x, forcing, 0).value.scalars[0] }
            let taping = threadCPUSeconds() - start
            times[k][1] = min(times[k][1], taping)
            start = threadCPUSeconds()
            for _ in 0..<repetitions { sink += step.valueWithPullback(x, forcing, 0).pullback(x).1 }
            times[k][2] = min(times[k][2], threadCPUSeconds() - start - taping)
        }
    }
    let perStep = 1e6 / Double(repetitions)
    print("Lorenz-96 RK4 step phases, N = \(size) (CPU µs per step, least of \(rounds) rounds of \(repetitions); sink \(sink.isFinite)):")
    print("  path        forward    value with pullback    pullback")
    for (k, path) in paths.enumerated() {
        let (f, t, p) = (times[k][0] * perStep, times[k][1] * perStep, times[k][2] * perStep)
        print("  \(path.name.rightPadded(10))  \(format(f, digits: 2).leftPadded(7))    \(format(t, digits: 2).leftPadded(19))    \(format(p, digits: 2).leftPadded(8))")
    }
}
