// The parallel reversal report: the checkpointed gradient of Lorenz-96 (RK4, F = 8,
// x0_i = F + 0.01·sin i, T = 10, dt = T/n, loss ½‖x(T)‖²) on one and on two threads, against
// the store-all gradient, in wall time (the point of a second thread), with each run's
// thread CPU times (the machine is shared: a thread waiting for a core shows as wall time
// that no CPU time explains).
//
//     swift run -c release --package-path Benchmarks parallel-reversal-report            # N = 4096, n = 10^4, 64 slots
//     swift run -c release --package-path Benchmarks parallel-reversal-report 4096 10000 64 3  # N n slots repetitions
//
// The budget is the one-thread run's working bytes plus `slots` states, in bytes; the
// two-thread run resolves the same bytes (its extra working states come off first). The
// trade-off table then gives the two-thread run fewer and more states. The runs are
// interleaved (store-all, one thread, two threads, store-all, …) and each keeps its best
// wall, so that a change of load on the shared machine hits all of them alike.
//
// Issue 16 target: two-thread checkpointed wall ≤ 1.15 × store-all wall. The caller's CPU
// time over store-all's is the load-independent floor of that ratio on two free cores: the
// caller's thread runs the recording sweep and every reverse, and nothing else.
import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import ReportSupport
import RewindExamples

/// The 1-, 5- and 15-minute load averages, comma-separated, each rounded to 2 decimals.
func uptimeLoadAverages() -> String {
    loadAverages().map { $0.map { String(format1($0)) }.joined(separator: ", ") } ?? "unknown"
}

func format1(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
func ms(_ x: Double) -> String { String(Double(Int((x * 10_000).rounded())) / 10) }

/// One measured gradient: the least wall time over the repetitions, and that run's facts.
struct Measurement {
    var wall: Double
    var callerCPU: Double
    var statistics: CheckpointingStatistics
    var gradient: Vector
    var parameter: Double
}

/// Runs every closure `repetitions` times, interleaved, and keeps each one's best wall.
func measureInterleaved(repetitions: Int, _ runs: [() throws -> CheckpointedGradient<Vector, Vector, Double>]) throws -> [Measurement] {
    var best: [Measurement?] = Array(repeating: nil, count: runs.count)
    for _ in 0..<repetitions {
        for (index, run) in runs.enumerated() {
            let cpu = threadCPUSeconds()
            let start = wallSeconds()
            let g = try run()
            let wall = wallSeconds() - start
            let m = Measurement(wall: wall, callerCPU: threadCPUSeconds() - cpu, statistics: g.statistics, gradient: g.initialState, parameter: g.parameters)
            if best[index] == nil || wall < best[index]!.wall { best[index] = m }
        }
    }
    return best.map { $0! }
}

/// The whole report (locals only: top-level globals of main.swift belong to the main actor).
func report(_ arguments: [Int]) throws {
    let dimension = arguments.count > 0 ? arguments[0] : 4096
    let steps = arguments.count > 1 ? arguments[1] : 10_000
    let slots = arguments.count > 2 ? arguments[2] : 64
    let repetitions = arguments.count > 3 ? arguments[3] : 3
    let forcing = 8.0, dt = 10.0 / Double(steps)
    let x0 = Lorenz96.initialState(count: dimension, forcing: forcing)
    let stateBytes = dimension * 8
    let final = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }

    let handWritten = CheckpointedStep<Vector, Double, Vector, Double>(
        forward: { x, p, _ in Lorenz96.step(x, p, dt) },
        valueWithPullback: { x, p, _ in Lorenz96.stepWithPullback(x, p, dt) },
        pullback: { x, p, _ in Lorenz96.pullback(x, p, dt) })
    let swiftAD = CheckpointedStep<Vector, Double, Vector, Double> { x, p, _ in Lorenz96.composedStep(x, p, dt) }
    let cases: [(name: String, step: CheckpointedStep<Vector, Double, Vector, Double>, workspace: Int)] = [
        ("hand-written fused RK4 VJP", handWritten, 6),
        ("Swift AD over Vector ops", swiftAD, 20),
    ]

    print("parallel-reversal-report: Lorenz-96 RK4, N = \(dimension), n = \(steps), state \(stateBytes) bytes, best wall of \(repetitions)")
    print("load average before: \(uptimeLoadAverages())")
    for (name, step, workspace) in cases {
        var options = CheckpointingOptions()
        options.workspaceStates = workspace
        let budget = options.workingBytes(steps: steps, stateBytes: stateBytes) + slots * stateBytes
        func gradient(_ strategy: Checkpointing<Vector>) -> () throws -> CheckpointedGradient<Vector, Vector, Double> {
            {
                try valueWithCheckpointedGradient(
                    at: x0, parameters: forcing, steps: steps, checkpointing: strategy, options: options, step: step, losses: [final])
            }
        }
        let main = try measureInterleaved(
            repetitions: repetitions,
            [gradient(.storeAll), gradient(.revolve(memory: .bytes(budget))), gradient(.revolve(memory: .bytes(budget), threads: 2))])
        let (storeAll, one, two) = (main[0], main[1], main[2])
        let same = one.gradient == storeAll.gradient && two.gradient == storeAll.gradient && one.parameter == storeAll.parameter
            && two.parameter == storeAll.parameter
        print("")
        print("## \(name) (workspace \(workspace) states), budget \(budget) bytes = working set + \(slots) states")
        print("| run | wall ms | / store-all | caller CPU ms | caller CPU / store-all CPU | slots | advances | peak checkpoints MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for (label, m) in [("store-all", storeAll), ("revolve, 1 thread", one), ("revolve, 2 threads", two)] {
            let cells = [
                label, ms(m.wall), format1(m.wall / storeAll.wall), ms(m.callerCPU), format1(m.callerCPU / storeAll.callerCPU),
                "\(m.statistics.capacities[.memory] ?? 0)",
                "\(m.statistics.advances)", format1(Double(m.statistics.peakCheckpointBytes) / 1e6),
            ]
            print("| " + cells.joined(separator: " | ") + " |")
        }
        print("gradients bitwise equal (store-all, 1 thread, 2 threads): \(same)")
        if let threads = two.statistics.parallel {
            print("2 threads: \(threads.layout); reverse sweep \(ms(threads.reverseSweepSeconds)) ms wall; reversing thread CPU "
                + "\(ms(threads.reversingThreadCPUSeconds)) ms, waited \(ms(threads.reversingThreadWaitSeconds)) ms; recomputing thread CPU "
                + "\(ms(threads.recomputingThreadCPUSeconds)) ms (\(threads.recomputingThreadAdvances) advances), waited "
                + "\(ms(threads.recomputingThreadWaitSeconds)) ms; recording sweep \(ms(two.statistics.recordingSeconds)) ms")
        }
        print("")
        print("Trade-off on two threads (each row interleaved with its own store-all runs; load \(uptimeLoadAverages())):")
        print("| states in budget | wall ms | store-all ms | / store-all | 1 thread / store-all | caller CPU / store-all CPU | layout | live checkpoints | reversing thread waited ms |")
        print("|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        for extra in [slots / 2, 3 * slots / 4, slots, 2 * slots, 4 * slots] where extra >= 2 {
            let bytes = options.workingBytes(steps: steps, stateBytes: stateBytes) + extra * stateBytes
            let row = try measureInterleaved(
                repetitions: repetitions,
                [gradient(.storeAll), gradient(.revolve(memory: .bytes(bytes))), gradient(.revolve(memory: .bytes(bytes), threads: 2))])
            let m = row[2], p = m.statistics.parallel!
            print("| \(extra) | \(ms(m.wall)) | \(ms(row[0].wall)) | \(format1(m.wall / row[0].wall)) | \(format1(row[1].wall / row[0].wall)) | "
                + "\(format1(m.callerCPU / row[0].callerCPU)) | \(p.layout) | \(p.peakCheckpoints) | \(ms(p.reversingThreadWaitSeconds)) |")
        }
    }
    print("")
    print("load average after: \(uptimeLoadAverages())")
}

try report(CommandLine.arguments.dropFirst().compactMap { Int($0) })
