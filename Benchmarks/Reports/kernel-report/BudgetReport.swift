// `kernel-report budget N n MEMORY [threads] [tape]`: the paths under a memory budget given as the
// library's users give it (`.revolve(memory:)`, or `.revolve(memory:threads:)` with two
// threads), in wall-clock time, against the forward loop's wall-clock time.
//
//     swift run -c release --package-path Benchmarks kernel-report budget 4096 10000 64        # 64 slots
//     swift run -c release --package-path Benchmarks kernel-report budget 4096 10000 36MB      # bytes
//     swift run -c release --package-path Benchmarks kernel-report budget 4096 10000 64 2     # two threads
//     swift run -c release --package-path Benchmarks kernel-report budget 4096 10000 30MB 2 tape   # second thread tapes
//
// MEMORY is a slot count or a size with a unit (KB, MB, GB; decimal). With two threads the
// caller's thread tapes and pulls back while a second thread recomputes, so the gradient's
// wall time is compared with the one-thread forward loop's: the ratio a user with two free
// cores sees. With `tape`, `CheckpointingOptions.tapesOnRecomputingThread` is set: the
// second thread also tapes each state, and the caller's thread only runs pullbacks (every
// path's step shares no mutable state between its closures, so this is safe here). Rounds
// alternate the paths; each figure is the least of the rounds.
import CheckpointedAD
import RewindExamples
import ReportSupport

/// A memory budget read from `text`: a slot count (`64`) or bytes with a decimal unit
/// (`36MB`, `512KB`, `1.5GB`); nil when it is neither.
func memoryBudget(_ text: String) -> MemoryBudget? {
    if let slots = Int(text), slots > 0 { return .slots(slots) }
    let units: [(suffix: String, scale: Double)] = [("KB", 1e3), ("MB", 1e6), ("GB", 1e9)]
    for unit in units where text.uppercased().hasSuffix(unit.suffix) {
        guard let value = Double(text.dropLast(unit.suffix.count)), value > 0 else { return nil }
        return .bytes(Int(value * unit.scale))
    }
    return nil
}

/// Wall seconds of the forward loop and of each path's gradient under `memory` on `threads`
/// threads, interleaved over `rounds`; with `tapesOnRecomputingThread`, the second thread tapes.
func runBudget(size: Int, steps: Int, memory: MemoryBudget, threads: Int, tapesOnRecomputingThread: Bool = false, rounds: Int = 3) throws {
    let forcing = 8.0
    let x0 = Lorenz96.initialState(count: size, forcing: forcing)
    let paths = makePaths().filter { $0.name != "remote" }
    var options = CheckpointingOptions()
    options.tapesOnRecomputingThread = tapesOnRecomputingThread
    let (forward, gradient, results) = try timePaths(
        paths, at: x0, forcing: forcing, steps: steps, rounds: rounds, on: .wall, options: options
    ) {
        .revolve(memory: memory, threads: threads)
    }
    print("Lorenz-96 RK4, N = \(size), n = \(steps), memory \(memory), \(threads) thread\(threads == 1 ? "" : "s"), "
        + "\(tapesOnRecomputingThread ? "taping on the recomputing thread, " : "")\(rounds) rounds (least wall time of each):")
    print("  path        forward s   gradient s   gradient / forward")
    for (k, path) in paths.enumerated() {
        let name = path.name.rightPadded(10)
        print("  \(name)  \(format(forward[k], digits: 3).leftPadded(9))   \(format(gradient[k], digits: 3).leftPadded(10))   "
            + "\(format(gradient[k] / forward[k], digits: 2).leftPadded(18))")
    }
    for (path, result) in zip(paths, results) { print("  \(path.name) (last round): \(describe(result.statistics))") }
    print("  kernel gradient / fused gradient = \(format(gradient[0] / gradient[1], digits: 2)); "
        + "Vector AD gradient / fused gradient = \(format(gradient[2] / gradient[1], digits: 2))")
}

/// The checkpoints a run used and the advances it made per step (and why a two-thread
/// strategy ran on one thread, when it did).
func describe(_ statistics: CheckpointingStatistics) -> String {
    let slots = statistics.capacities.values.reduce(0, +)
    let perStep = Double(statistics.advances) / Double(statistics.steps)
    let layout = statistics.parallel.map {
        ", two threads: \($0.layout), peak \($0.peakCheckpoints) checkpoints + \($0.peakHandedOff) of \($0.handOffDepth) handed off; "
            + "recording \(format(statistics.recordingSeconds, digits: 3)) s, reverse sweep \(format($0.reverseSweepSeconds, digits: 3)) s "
            + "(caller CPU \(format($0.reversingThreadCPUSeconds, digits: 3)) s, waited \(format($0.reversingThreadWaitSeconds, digits: 3)) s; "
            + "recomputing CPU \(format($0.recomputingThreadCPUSeconds, digits: 3)) s, waited \(format($0.recomputingThreadWaitSeconds, digits: 3)) s)"
    } ?? statistics.schedule.firstRange(of: "one thread:").map { ", " + statistics.schedule[$0.lowerBound...] } ?? ""
    return "\(slots) slots of \(format(Double(statistics.stateBytes) / 1e3, digits: 1)) KB, \(format(perStep, digits: 2)) advances per step\(layout)"
}
