// The gradient report: how much a checkpointed gradient of Lorenz-96 (RK4, F = 8,
// x0_i = F + 0.01·sin i, T = 10, dt = T/n, loss ½‖x(T)‖²) costs compared with running
// the model forward, measured in one run.
//
//     swift run -c release --package-path Benchmarks gradient-report            # everything
//     swift run -c release --package-path Benchmarks gradient-report ratios 4096 10000    # N n
//     swift run -c release --package-path Benchmarks gradient-report memory 1000000 1000 100  # N n MB
//       (prefix GLIBC_TUNABLES=glibc.malloc.hugetlb=1 to map 8 MB states with huge pages:
//        half the step time, the same peak; n = 10000 takes about 45 min of CPU then)
//     swift run -c release --package-path Benchmarks gradient-report step 4096       # one step: VJP check, costs
//     swift run -c release --package-path Benchmarks gradient-report manual 4096 3000  # store-all without the driver
//     swift run -c release --package-path Benchmarks gradient-report overhead 300000  # driver cost per step, trivial step
//
// Times are thread CPU times (the machine is shared); the driver's own split is wall time.
//
// Ratios (issue 3 targets):
//   store-all gradient / forward        ≤ 3.0 hand-written fused step VJP, ≤ 4.0 Swift AD over Vector ops
//   checkpointed (64 slots) / (store-all + recomputed advances × forward step)  ≤ 1.05
//   peak RSS − baseline ≤ the byte budget (8 MB state, 100 MB budget)
import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import ReportSupport
import RewindExamples

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Verdicts

func verdict(_ value: Double, _ target: Double) -> String { value <= target ? "≤ \(target) ✓" : "> \(target) ✗" }

// MARK: The problem


enum Problem {
    static let forcing = 8.0
    static let horizon = 10.0
}

/// ½‖x‖² with its gradient x, hand-written.
func halfSquaredNorm() -> CheckpointedLoss<Vector, Double, Vector, Double> { CheckpointedLoss<Vector, Double, Vector, Double>(
    at: .final, value: { x, _, _ in x.halfSquaredNorm() }, valueWithGradient: { x, _, _ in (x.halfSquaredNorm(), x, 0) }) }

struct Variant {
    var name: String
    var forward: (Vector, Double, Double) -> Vector
    var step: (Double) -> CheckpointedStep<Vector, Double, Vector, Double>
    var loss: CheckpointedLoss<Vector, Double, Vector, Double>
}

func fused() -> Variant { Variant(
    name: "hand-written fused VJP",
    forward: Lorenz96.step,
    step: { dt in CheckpointedStep(forward: { x, F, _ in Lorenz96.step(x, F, dt) },
                                   valueWithPullback: { x, F, _ in Lorenz96.stepWithPullback(x, F, dt) },
                                   pullback: { x, F, _ in Lorenz96.pullback(x, F, dt) }) },
    loss: halfSquaredNorm()) }

func swiftAD() -> Variant { Variant(
    name: "Swift AD over Vector ops",
    forward: Lorenz96.composedStep,
    step: { dt in CheckpointedStep { (x: Vector, F: Double, _: Int) -> Vector in Lorenz96.composedStep(x, F, dt) } },
    loss: .final { $0.halfSquaredNorm() }) }

/// Times one variant at (N, n): bare forward loop, store-all gradient, Revolve with 64 slots.
func ratios(_ variant: Variant, size: Int, steps: Int, slots: Int = 64, repetitions: Int) throws
    -> (storeAll: CheckpointedGradient<Vector, Vector, Double>, forwardSeconds: Double, storeAllSeconds: Double)
{
    let dt = Problem.horizon / Double(steps)
    let x0 = Lorenz96.initialState(count: size, forcing: Problem.forcing)
    let step = variant.step(dt)
    // Rounds of (forward, store-all, checkpointed), keeping each one's least time: the three
    // are measured under the same load, so their ratios drift less than back-to-back blocks.
    var forward = (seconds: Double.infinity, result: Vector.zero)
    var storeAll: (seconds: Double, result: CheckpointedGradient<Vector, Vector, Double>)?
    var checkpointed: (seconds: Double, result: CheckpointedGradient<Vector, Vector, Double>)?
    for _ in 0..<repetitions {
        let f = timed(on: .threadCPU) { () -> Vector in
            var x = x0
            for _ in 0..<steps { x = variant.forward(x, Problem.forcing, dt) }
            return x
        }
        if f.seconds < forward.seconds { forward = f }
        let a = try timed(on: .threadCPU) {
            try valueWithCheckpointedGradient(at: x0, parameters: Problem.forcing, steps: steps, checkpointing: .schedule(StoreAll(steps: steps)), step: step, losses: [variant.loss])
        }
        if a.seconds < storeAll?.seconds ?? .infinity { storeAll = a }
        let c = try timed(on: .threadCPU) {
            try valueWithCheckpointedGradient(at: x0, parameters: Problem.forcing, steps: steps, checkpointing: .revolve(memory: .slots(slots)), step: step, losses: [variant.loss])
        }
        if c.seconds < checkpointed?.seconds ?? .infinity { checkpointed = c }
    }
    guard let storeAll, let checkpointed else { preconditionFailure("at least one repetition is needed") }
    precondition(checkpointed.result.initialState == storeAll.result.initialState && checkpointed.result.parameters == storeAll.result.parameters,
                 "the checkpointed gradient differs from store-all's")
    precondition(storeAll.result.finalState == forward.result, "the driver's x[n] differs from the plain forward loop's")
    let stepSeconds = forward.seconds / Double(steps)
    let recomputed = checkpointed.result.statistics.advances - storeAll.result.statistics.advances
    let predicted = storeAll.seconds + Double(recomputed) * stepSeconds
    let gradientRatio = storeAll.seconds / forward.seconds
    let overhead = checkpointed.seconds / predicted
    let target = variant.name.hasPrefix("Swift") ? 4.0 : 3.0
    print("  \(variant.name):")
    print("    forward \(format(forward.seconds * 1e3, digits: 1)) ms (\(format(stepSeconds * 1e6, digits: 2)) µs/step); "
        + "store-all gradient \(format(storeAll.seconds * 1e3, digits: 1)) ms; Revolve(\(slots)) \(format(checkpointed.seconds * 1e3, digits: 1)) ms, "
        + "\(checkpointed.result.statistics.advances) advances (\(recomputed) recomputed)")
    print("    store-all gradient / forward = \(format(gradientRatio, digits: 3)) \(verdict(gradientRatio, target))")
    print("    checkpointed / (store-all + recomputed × step) = \(format(overhead, digits: 3)) \(verdict(overhead, 1.05))")
    let s = checkpointed.result.statistics
    print("    driver's split: recording \(format(s.recordingSeconds * 1e3, digits: 1)) ms, recomputation \(format(s.recomputationSeconds * 1e3, digits: 1)) ms, "
        + "reverse \(format(s.reverseSeconds * 1e3, digits: 1)) ms")
    return (storeAll.result, forward.seconds, storeAll.seconds)
}

func runRatios(size: Int, steps: Int, repetitions: Int) throws {
    print("Lorenz-96 RK4, N = \(size), n = \(steps), dt = \(Problem.horizon / Double(steps)):")
    let (fusedGradient, fusedForward, _) = try ratios(fused(), size: size, steps: steps, repetitions: repetitions)
    let (adGradient, _, adGradientSeconds) = try ratios(swiftAD(), size: size, steps: steps, repetitions: repetitions)
    // The two derivatives agree (the forward maps differ only by rounding).
    let difference = (fusedGradient.initialState - adGradient.initialState).dot(fusedGradient.initialState - adGradient.initialState).squareRoot()
        / fusedGradient.initialState.dot(fusedGradient.initialState).squareRoot()
    let stateDifference = (fusedGradient.finalState - adGradient.finalState).dot(fusedGradient.finalState - adGradient.finalState).squareRoot()
        / fusedGradient.finalState.dot(fusedGradient.finalState).squareRoot()
    print("  fused vs Swift AD: x(T) relative difference \(stateDifference) (rounding of two forward maps, amplified by chaos); "
        + "gradient relative difference \(difference), ∂L/∂F \(fusedGradient.parameters) vs \(adGradient.parameters)")
    print("  loss \(fusedGradient.value); Swift AD store-all gradient / fused forward = \(format(adGradientSeconds / fusedForward, digits: 3))")
}

/// Peak resident memory of a checkpointed gradient with a byte budget.
func runMemory(size: Int, steps: Int, megabytes: Double) throws {
    let dt = Problem.horizon / Double(steps)
    let x0 = Lorenz96.initialState(count: size, forcing: Problem.forcing)
    var options = CheckpointingOptions()
    options.workspaceStates = 5   // the fused pullback holds z2, z3, z4 and two k̄ buffers (x̄ is the produced state)
    _ = Lorenz96.stepWithPullback(x0, Problem.forcing, dt).pullback(x0)   // warm up code paths
    let baseline = processStatusBytes("VmRSS") ?? 0
    let reset = resetPeakResidentBytes()
    let start = threadCPUSeconds()
    let g = try valueWithCheckpointedGradient(at: x0, parameters: Problem.forcing, steps: steps,
        checkpointing: .revolve(memory: .megabytes(megabytes)), options: options, step: fused().step(dt),
        losses: [fused().loss])
    let seconds = threadCPUSeconds() - start
    let peak = processStatusBytes("VmHWM") ?? 0
    let s = g.statistics
    print("Peak memory, N = \(size) (\(x0.checkpointByteCount / 1_000_000) MB state), n = \(steps), budget \(megabytes) MB:")
    print("  \(s.schedule): \(s.capacities[.memory] ?? 0) slots, \(s.advances) advances, \(format(seconds, digits: 1)) s; "
        + "peak checkpoint bytes \(s.peakCheckpointBytes / 1_000_000) MB")
    print("  baseline RSS \(baseline / 1_000_000) MB, peak RSS \(peak / 1_000_000) MB\(reset ? "" : " (peak not reset: includes earlier work)"), "
        + "peak − baseline = \(format(Double(peak - baseline) / 1e6, digits: 1)) MB \(verdict(Double(peak - baseline) / 1e6, megabytes))")
}

/// The fused pullback of one step against Swift AD's, and the cost of each part.
func runStepCheck(size: Int) {
    let dt = 0.01
    let x = Lorenz96.initialState(count: size, forcing: Problem.forcing)
    let ybar = Vector((0..<size).map { sin(Double($0) * 0.37) })
    let (fusedValue, fusedPullback) = Lorenz96.stepWithPullback(x, Problem.forcing, dt)
    let (adValue, adPullback) = valueWithPullback(at: x, Problem.forcing) { x, F in Lorenz96.composedStep(x, F, dt) }
    let (fx, fF) = fusedPullback(ybar), (ax, aF) = adPullback(ybar)
    let dx = (fx - ax).dot(fx - ax).squareRoot() / ax.dot(ax).squareRoot()
    let dv = (fusedValue - adValue).dot(fusedValue - adValue).squareRoot() / adValue.dot(adValue).squareRoot()
    print("One step, N = \(size): value difference \(dv), x̄ difference \(dx), F̄ \(fF) vs \(aF)")
    let repetitions = max(10, 2_000_000 / size)
    let forward = leastOf(rounds: repetitions, on: .threadCPU) { Lorenz96.step(x, Problem.forcing, dt) }.seconds
    let taped = leastOf(rounds: repetitions, on: .threadCPU) { Lorenz96.stepWithPullback(x, Problem.forcing, dt).value }.seconds
    let pullback = leastOf(rounds: repetitions, on: .threadCPU) { fusedPullback(ybar) }.seconds
    let pullbackOnly = leastOf(rounds: repetitions, on: .threadCPU) { Lorenz96.pullback(x, Problem.forcing, dt) }.seconds
    let (pbx, pbF) = Lorenz96.pullback(x, Problem.forcing, dt)(ybar)
    precondition(pbx == fx && pbF == fF, "the pullback-only path differs from the taped one")
    let composed = leastOf(rounds: repetitions, on: .threadCPU) { Lorenz96.composedStep(x, Problem.forcing, dt) }.seconds
    let adTaped = leastOf(rounds: repetitions, on: .threadCPU) { valueWithPullback(at: x, Problem.forcing) { x, F in Lorenz96.composedStep(x, F, dt) }.value }.seconds
    let adPull = leastOf(rounds: repetitions, on: .threadCPU) { adPullback(ybar) }.seconds
    print("  fused: forward \(format(forward * 1e6, digits: 2)) µs, taped \(format(taped * 1e6, digits: 2)) µs (pullback-only tape \(format(pullbackOnly * 1e6, digits: 2)) µs), pullback \(format(pullback * 1e6, digits: 2)) µs; "
        + "Swift AD: forward \(format(composed * 1e6, digits: 2)) µs, taped \(format(adTaped * 1e6, digits: 2)) µs, pullback \(format(adPull * 1e6, digits: 2)) µs")
}

/// Store-all by hand (no driver) against the driver's store-all, same step.
func runManualStoreAll(size: Int, steps: Int) throws {
    let dt = Problem.horizon / Double(steps)
    let x0 = Lorenz96.initialState(count: size, forcing: Problem.forcing)
    let manual = leastOf(rounds: 3, on: .threadCPU) { () -> (Vector, Double) in
        var states: [Vector] = []
        states.reserveCapacity(steps)
        var x = x0
        for _ in 0..<(steps - 1) { states.append(x); x = Lorenz96.step(x, Problem.forcing, dt) }
        states.append(x)
        var adjoint = Vector.zero, forcingBar = 0.0
        var first = true
        for i in stride(from: steps - 1, through: 0, by: -1) {
            let (y, pullback) = Lorenz96.stepWithPullback(states.removeLast(), Problem.forcing, dt)
            if first { adjoint = y; first = false }
            let (xbar, fbar) = pullback(adjoint)
            adjoint = xbar
            forcingBar += fbar
            _ = i
        }
        return (adjoint, forcingBar)
    }
    let driver = try leastOf(rounds: 3, on: .threadCPU) {
        try valueWithCheckpointedGradient(at: x0, parameters: Problem.forcing, steps: steps,
            checkpointing: .schedule(StoreAll(steps: steps)), step: fused().step(dt), losses: [fused().loss])
    }
    let forward = leastOf(rounds: 3, on: .threadCPU) { () -> Vector in
        var x = x0
        for _ in 0..<steps { x = Lorenz96.step(x, Problem.forcing, dt) }
        return x
    }
    precondition(manual.result.0 == driver.result.initialState && manual.result.1 == driver.result.parameters)
    print("Store-all by hand, N = \(size), n = \(steps): forward \(format(forward.seconds * 1e3, digits: 1)) ms, by hand \(format(manual.seconds * 1e3, digits: 1)) ms "
        + "(ratio \(format(manual.seconds / forward.seconds, digits: 3))), driver \(format(driver.seconds * 1e3, digits: 1)) ms (ratio \(format(driver.seconds / forward.seconds, digits: 3)))")
}

/// The driver's own cost per step, with a trivial scalar step.
func runOverhead(steps: Int) throws {
    let step = CheckpointedStep<Double, Double, Double, Double>(
        forward: { x, a, _ in a * x }, valueWithPullback: { x, a, _ in (a * x, { ($0 * a, $0 * x) }) })
    let loss = CheckpointedLoss<Double, Double, Double, Double>(at: .final, value: { x, _, _ in x }, valueWithGradient: { x, _, _ in (x, 1, 0) })
    for (name, memory) in [("store-all", MemoryBudget.unlimited), ("Revolve(64)", .slots(64))] {
        let run = try leastOf(rounds: 3, on: .threadCPU) { try valueWithCheckpointedGradient(at: 1.0, parameters: 1.0, steps: steps, checkpointing: .revolve(memory: memory), step: step, losses: [loss]) }
        let s = run.result.statistics
        print("Driver overhead, \(name), n = \(steps): \(format(run.seconds / Double(s.advances + s.reverses) * 1e9, digits: 0)) ns per step execution")
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "overhead":
    try runOverhead(steps: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000)
case "manual":
    let values = arguments.dropFirst().compactMap { Int($0) }
    try runManualStoreAll(size: values.first ?? 4096, steps: values.dropFirst().first ?? 10_000)
case "step":
    runStepCheck(size: arguments.dropFirst().first.flatMap { Int($0) } ?? 4096)
case "ratios":
    let values = arguments.dropFirst().compactMap { Int($0) }
    try runRatios(size: values.first ?? 4096, steps: values.dropFirst().first ?? 10_000, repetitions: 5)
case "memory":
    let values = arguments.dropFirst().compactMap { Double($0) }
    try runMemory(size: Int(values.first ?? 1_000_000), steps: Int(values.dropFirst().first ?? 1000),
                  megabytes: values.dropFirst(2).first ?? 100)
default:
    try runMemory(size: 1_000_000, steps: 100, megabytes: 100)
    try runRatios(size: 4096, steps: 10_000, repetitions: 3)
    try runRatios(size: 40, steps: 100_000, repetitions: 3)
}
