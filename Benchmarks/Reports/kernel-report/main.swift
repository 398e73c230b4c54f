// The kernel report: Lorenz-96 RK4 (F = 8, x0_i = F + 0.01·sin i, T = 10, dt = T/n, loss
// ½‖x(T)‖²) through four paths, measured in one run in interleaved rounds:
//
//   kernel   `Lorenz96.kernelRungeKutta4(dt:)`: the per-site function in plain Swift, the
//            fused sweeps of the Kernels module specialised beside it, per-site pullbacks
//            from Swift AD;
//   remote   the same kernel swept from this module while its site type lives in
//            RewindExamples (`Lorenz96.kernel.rungeKutta4(dt:)`): a call per site;
//   fused    `Lorenz96.step` / `stepWithPullback` / `pullback`: the hand-written VJP;
//   Vector   `Lorenz96.composedStep` with Swift AD over `Vector` operations.
//
//     swift run -c release --package-path Benchmarks kernel-report            # N = 40, 4096, 65536
//     swift run -c release --package-path Benchmarks kernel-report 4096 1000   # N n
//     swift run -c release --package-path Benchmarks kernel-report peer 4096 10000 64
//     swift run -c release --package-path Benchmarks kernel-report peer 4096 10000 64 vector   # or fused
//     swift run -c release --package-path Benchmarks kernel-report peer 4096 10000 36MB kernel 2   # bytes, threads
//     swift run -c release --package-path Benchmarks kernel-report budget 4096 10000 36MB 2   # wall-clock ratios
//     swift run -c release --package-path Benchmarks kernel-report budget 4096 10000 30MB 2 tape   # the second thread tapes
//     swift run -c release --package-path Benchmarks kernel-report revolve        # the issue's three sizes, Revolve
//     swift run -c release --package-path Benchmarks kernel-report revolve 4096 10000 64   # N n slots
//     swift run -c release --package-path Benchmarks kernel-report vector 40       # Vector AD step: time, mallocs
//     swift run -c release --package-path Benchmarks kernel-report phases 4096     # every path: forward, taping, pullback
//     swift run -c release --package-path Benchmarks kernel-report fields     # 2-D and coupled kernels
//     swift run -c release --package-path Benchmarks kernel-report grayscott 512 2000 64   # side steps MB
//
// `peer N n memory [path] [threads]` runs one path (the kernel path by default) once as the peers are measured:
// Revolve within the memory (slots, or bytes as 36MB), wall time of the whole gradient and the process's peak resident memory
// (one path per process, so the peak is its own).
//
// For each path: the forward time per step (a plain loop) and the gradient (store-all, or Revolve in `revolve` mode) /
// forward ratio; then kernel gradient / fused gradient (issue 13 target ≤ 1.15) and the
// malloc calls per site of the kernel path's sweeps (counted by CMallocCounter; the
// closure-site kernel's too, for contrast). Times are
// thread CPU times, each the least of the rounds.
import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import CMallocCounter
import Kernels
import RewindExamples
import ReportSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Path {
    var name: String
    var forward: (Vector, Double, Double) -> Vector
    var step: (Double) -> CheckpointedStep<Vector, Double, Vector, Double>
}

func makePaths() -> [Path] { [
    Path(name: "kernel", forward: Lorenz96.kernelStep, step: Lorenz96.kernelRungeKutta4(dt:)),
    Path(name: "remote", forward: { x, F, dt in Lorenz96.kernel.rungeKutta4Step(x, parameters: F, dt: dt) },
         step: { dt in Lorenz96.kernel.rungeKutta4(dt: dt) }),
    Path(name: "fused VJP", forward: Lorenz96.step,
         step: { dt in CheckpointedStep(forward: { x, F, _ in Lorenz96.step(x, F, dt) },
                                        valueWithPullback: { x, F, _ in Lorenz96.stepWithPullback(x, F, dt) },
                                        pullback: { x, F, _ in Lorenz96.pullback(x, F, dt) }) }),
    Path(name: "Vector AD", forward: Lorenz96.composedStep,
         step: { dt in CheckpointedStep { (x: Vector, F: Double, _: Int) -> Vector in Lorenz96.composedStep(x, F, dt) } }),
] }

func makeLoss() -> CheckpointedLoss<Vector, Double, Vector, Double> { CheckpointedLoss<Vector, Double, Vector, Double>(
    at: .final, value: { x, _, _ in x.halfSquaredNorm() }, valueWithGradient: { x, _, _ in (x.halfSquaredNorm(), x, 0) }) }

/// The forward loop's and the gradient's times of each path on `clock`, least of `rounds`
/// interleaved rounds, and each path's last gradient. The driver's x[n] must be the loop's.
func timePaths(
    _ paths: [Path], at x0: Vector, forcing: Double, steps: Int, rounds: Int, on clock: ReportClock,
    options: CheckpointingOptions = CheckpointingOptions(), checkpointing: () throws -> Checkpointing<Vector>
) throws -> (forward: [Double], gradient: [Double], results: [CheckpointedGradient<Vector, Vector, Double>]) {
    let dt = 10.0 / Double(steps), loss = makeLoss()
    var forward = [Double](repeating: .infinity, count: paths.count), gradient = forward
    var results: [CheckpointedGradient<Vector, Vector, Double>?] = Array(repeating: nil, count: paths.count)
    for _ in 0..<rounds {
        for (k, path) in paths.enumerated() {
            var x = x0
            forward[k] = min(forward[k], elapsed(on: clock) { for _ in 0..<steps { x = path.forward(x, forcing, dt) } })
            let (seconds, g) = try timed(on: clock) {
                try valueWithCheckpointedGradient(at: x0, parameters: forcing, steps: steps, checkpointing: try checkpointing(),
                                                  options: options, step: path.step(dt), losses: [loss])
            }
            gradient[k] = min(gradient[k], seconds)
            // Bits, not `==`: a horizon too long for its step count ends in NaN, which is its own bits.
            precondition(g.finalState.scalars.map(\.bitPattern) == x.scalars.map(\.bitPattern),
                         "\(path.name): the driver's x[n] differs from the forward loop's")
            results[k] = g
        }
    }
    return (forward, gradient, results.map { $0! })
}

/// Forward and store-all (or Revolve) gradient thread CPU times of every path at (N, n), interleaved.
func run(size: Int, steps: Int, rounds: Int, slots: Int? = nil) throws {
    let forcing = 8.0, dt = 10.0 / Double(steps)
    let x0 = Lorenz96.initialState(count: size, forcing: forcing)
    let paths = makePaths()
    let (forward, gradient, gradients) = try timePaths(paths, at: x0, forcing: forcing, steps: steps, rounds: rounds, on: .threadCPU) {
        try slots.map { .schedule(try Revolve(steps: steps, slots: $0)) } ?? .schedule(StoreAll(steps: steps))
    }
    let schedule = slots.map { "Revolve \($0) slots" } ?? "store-all"
    print("Lorenz-96 RK4, N = \(size), n = \(steps), \(rounds) rounds (least CPU time of each):")
    print("  path        forward µs/step   \(schedule.leftPadded(16)) gradient µs/step   gradient / forward")
    for (k, path) in paths.enumerated() {
        let name = path.name.rightPadded(10)
        print("  \(name)  \(format(forward[k] / Double(steps) * 1e6, digits: 2).leftPadded(15))   "
            + "\(format(gradient[k] / Double(steps) * 1e6, digits: 2).leftPadded(26))   \(format(gradient[k] / forward[k], digits: 2).leftPadded(18))")
    }
    for k in [0, 1] {
        let ratio = gradient[k] / gradient[2]
        print("  \(paths[k].name) gradient / fused gradient = \(format(ratio, digits: 2)) \(ratio <= 1.15 ? "≤ 1.15 ✓" : "> 1.15 ✗")")
    }
    print("  Vector AD gradient / fused gradient = \(format(gradient[3] / gradient[2], digits: 2))")
    let g = gradients
    func relative(_ a: Vector, _ b: Vector) -> Double { ((a - b).dot(a - b) / b.dot(b)).squareRoot() }
    print("  ∂L/∂x0 relative difference, kernel vs fused \(relative(g[0].initialState, g[2].initialState)), "
        + "vs Vector AD \(relative(g[0].initialState, g[3].initialState)) (forward maps round differently; chaos amplifies)")
    precondition(g[0].initialState == g[1].initialState, "the two kernel paths differ")
    countAllocations(x0, forcing: forcing, dt: dt)
}

/// malloc calls of one kernel-path forward step and one pullback, per site evaluation: the
/// site type's kernel, then the same site function as a closure.
func countAllocations(_ x: Vector, forcing: Double, dt: Double) {
    let closure = StencilKernel(radius: 2, boundary: .periodic) { (u: Neighbourhood, forcing: Double) in
        (u.plus1 - u.minus2) * u.minus1 - u.centre + forcing
    }
    let site = countAllocations(Lorenz96.kernel, x, forcing: forcing, dt: dt)
    let closed = countAllocations(closure, x, forcing: forcing, dt: dt)
    print("  malloc calls per site: site type forward \(site.forward), pullback \(site.pullback); "
        + "closure forward \(closed.forward), pullback \(closed.pullback)")
}

/// malloc calls of `step`'s forward per site evaluation (an RK4 step: 4 per site) and of its
/// pullback per site pullback, after one warm-up pullback.
func countAllocations(_ step: CheckpointedStep<Vector, Double, Vector, Double>, _ x: Vector, parameter: Double, sites n: Int)
    -> (forward: String, pullback: String)
{
    _ = step.valueWithPullback(x, parameter, 0).pullback(x)
    var before = rewind_malloc_calls()
    _ = step.forward(x, parameter, 0)
    let forwardCalls = rewind_malloc_calls() - before
    let pullback = step.valueWithPullback(x, parameter, 0).pullback
    before = rewind_malloc_calls()
    _ = pullback(x)
    let pullbackCalls = rewind_malloc_calls() - before
    return (format(Double(forwardCalls) / Double(4 * n), digits: 3), format(Double(pullbackCalls) / Double(4 * n), digits: 3))
}

/// malloc calls of `kernel`'s forward RK4 step per site evaluation, and of its pullback per
/// site pullback (`sites` sites, 4 evaluations each), after one warm-up pullback.
func countAllocations<Kernel: FieldKernel>(_ kernel: Kernel, _ x: Vector, forcing: Kernel.Parameters, dt: Double, sites: Int? = nil)
    -> (forward: String, pullback: String)
{
    let n = sites ?? x.count
    _ = kernel.rungeKutta4StepWithPullback(x, parameters: forcing, dt: dt).pullback(x)
    var before = rewind_malloc_calls()
    _ = kernel.rungeKutta4Step(x, parameters: forcing, dt: dt)
    let forwardCalls = rewind_malloc_calls() - before
    let pullback = kernel.rungeKutta4Pullback(x, parameters: forcing, dt: dt)
    before = rewind_malloc_calls()
    _ = pullback(x)
    let pullbackCalls = rewind_malloc_calls() - before
    return (format(Double(forwardCalls) / Double(4 * n), digits: 3), format(Double(pullbackCalls) / Double(4 * n), digits: 3))
}

/// The gradient of the path named `pathName` (the kernel path by default) under Revolve
/// within `memory` on `threads` threads: wall seconds and peak resident MiB.
func runPeer(size: Int, steps: Int, memory: MemoryBudget, pathName: String = "kernel", threads: Int = 1) throws {
    let forcing = 8.0, dt = 10.0 / Double(steps)
    let x0 = Lorenz96.initialState(count: size, forcing: forcing)
    guard let path = makePaths().first(where: { $0.name.lowercased().hasPrefix(pathName.lowercased()) }) else {
        print("no path named \(pathName): use kernel, remote, fused or vector")
        return
    }
    let start = wallSeconds()
    let g = try valueWithCheckpointedGradient(at: x0, parameters: forcing, steps: steps,
        checkpointing: .revolve(memory: memory, threads: threads), step: path.step(dt), losses: [makeLoss()])
    let seconds = wallSeconds() - start
    print("\(path.name) path, N = \(size), n = \(steps), Revolve within \(memory) on \(threads) thread(s): gradient \(format(seconds, digits: 3)) s, "
        + "peak resident \(format(peakResidentMebibytes(), digits: 1)) MiB, \(describe(g.statistics)), dL/dF = \(g.parameters)")
}

let values = CommandLine.arguments.dropFirst().compactMap { Int($0) }
if CommandLine.arguments.dropFirst().first == "fields" {
    try runFieldKernels()
} else if CommandLine.arguments.dropFirst().first == "grayscott", values.count == 3 {
    try runGrayScott(side: values[0], steps: values[1], budgetMB: values[2])
} else if CommandLine.arguments.dropFirst().first == "vector", let size = values.first {
    runVectorPath(size: size, repetitions: values.dropFirst().first ?? max(100, 400_000 / size))
} else if CommandLine.arguments.dropFirst().first == "phases", let size = values.first {
    runPhases(size: size, repetitions: values.dropFirst().first ?? max(100, 400_000 / size))
} else if CommandLine.arguments.dropFirst().first == "revolve", values.count == 3 {
    try run(size: values[0], steps: values[1], rounds: 2, slots: values[2])
} else if CommandLine.arguments.dropFirst().first == "revolve" {
    for (size, steps, slots) in [(40, 100_000, 32), (4096, 10_000, 64), (65536, 2000, 32)] {
        try run(size: size, steps: steps, rounds: 2, slots: slots)
    }
} else if let mode = CommandLine.arguments.dropFirst().first, mode == "peer" || mode == "budget",
          CommandLine.arguments.count >= 5, let size = Int(CommandLine.arguments[2]), let steps = Int(CommandLine.arguments[3]) {
    guard let memory = memoryBudget(CommandLine.arguments[4]) else {
        print("kernel-report: memory '\(CommandLine.arguments[4])' is neither a slot count (64) nor a size with a unit (36MB)")
        exit(2)
    }
    let rest = Array(CommandLine.arguments.dropFirst(5))
    let threads = rest.compactMap { Int($0) }.first ?? 1
    if mode == "peer" {
        try runPeer(size: size, steps: steps, memory: memory, pathName: rest.first { Int($0) == nil } ?? "kernel", threads: threads)
    } else {
        try runBudget(size: size, steps: steps, memory: memory, threads: threads, tapesOnRecomputingThread: rest.contains("tape"))
    }
} else if let size = values.first {
    try run(size: size, steps: values.dropFirst().first ?? 1000, rounds: 3)
} else {
    for (size, steps) in [(40, 20_000), (4096, 1000), (65536, 100)] { try run(size: size, steps: steps, rounds: 3) }
}
