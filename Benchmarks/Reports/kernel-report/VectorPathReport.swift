// `kernel-report vector N`: where the Swift AD path over `Vector` (`Lorenz96.composedStep`)
// spends its time and its allocations: CPU µs and malloc calls per step of the forward step,
// of Swift AD's value-with-pullback (the taping half) and of the pullback it returns (timed
// as value-with-pullback-and-pullback less the taping half, one tape alive at a time).
import _Differentiation
import CheckpointedAD
import CMallocCounter
import RewindExamples
import ReportSupport

/// Times (least of `rounds`) and malloc calls of the three halves of the Vector AD step.
func runVectorPath(size: Int, repetitions: Int, rounds: Int = 5) {
    let forcing = 8.0, dt = 0.001
    let x = Lorenz96.initialState(count: size, forcing: forcing)
    var forward = Double.infinity, taping = Double.infinity, pullingBack = Double.infinity
    var sink = 0.0
    for _ in 0..<rounds {
        var start = threadCPUSeconds()
        for _ in 0..<repetitions { sink += Lorenz96.composedStep(x, forcing, dt).scalars[0] }
        forward = min(forward, threadCPUSeconds() - start)
        // One tape alive at a time, as in a checkpointed reversal.
        start = threadCPUSeconds()
        for _ in 0..<repetitions { sink += valueWithPullback(at: x, forcing) { x, F in Lorenz96.composedStep(x, F, dt) }.value.scalars[0] }
        taping = min(taping, threadCPUSeconds() - start)
        start = threadCPUSeconds()
        for _ in 0..<repetitions { sink += valueWithPullback(at: x, forcing) { x, F in Lorenz96.composedStep(x, F, dt) }.pullback(x).1 }
        pullingBack = min(pullingBack, threadCPUSeconds() - start - taping)
    }
    var before = rewind_malloc_calls()
    _ = Lorenz96.composedStep(x, forcing, dt)
    let forwardCalls = rewind_malloc_calls() - before
    before = rewind_malloc_calls()
    let (_, pullback) = valueWithPullback(at: x, forcing) { x, F in Lorenz96.composedStep(x, F, dt) }
    let tapingCalls = rewind_malloc_calls() - before
    before = rewind_malloc_calls()
    _ = pullback(x)
    let pullbackCalls = rewind_malloc_calls() - before
    let perStep = 1e6 / Double(repetitions)
    print("Vector AD step, N = \(size) (least CPU time of \(rounds) rounds of \(repetitions); sink \(sink.isFinite)):")
    print("  forward              \(format(forward * perStep, digits: 3)) µs, \(forwardCalls) mallocs")
    print("  value with pullback  \(format(taping * perStep, digits: 3)) µs, \(tapingCalls) mallocs")
    print("  pullback             \(format(pullingBack * perStep, digits: 3)) µs, \(pullbackCalls) mallocs")
}
