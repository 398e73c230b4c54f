// The default online schedule against the offline optimum, at every stop point.
//
//     swift run -c release --package-path Benchmarks online-bound-report [maxSteps] [maxSlots]
//
// For every s = 1 … 64 and every n = 1 … 10^6 (or the given limits) plays the default
// online schedule (`OnlineStummWalther(slots: s)`) step by step and evaluates, at every n,
// the closed-form cost of reversing a run that ends there, against revolve's t(n, s).
// Prints, per s, the worst ratio of
//   - simulated advances / t(n, s): like for like, both record up to x[n−1] and reverse
//     step n − 1 from it (the quantity the 1.3 target is stated for), and
//   - online advances / t(n, s), where online = simulated + 1 counts the untaped step that
//     discovered the end; its worst for n > 20 (at n = 2 it is 2/1 for any online schedule),
//     and the largest n at which it still exceeds 1.3.
// The closed form is checked against the simulator at sampled stop points of every s.
// Two worker threads share the slot counts; about a minute on two idle cores.
import CheckpointSchedules
import Dispatch
import Foundation
import ReportSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let maxSteps = arguments.first ?? 1_000_000
let maxSlots = arguments.dropFirst().first ?? 64

struct Worst: Sendable {
    var simulated = (ratio: 0.0, steps: 0)
    var online = (ratio: 0.0, steps: 0)
    /// The largest n whose online advances exceed 1.3·t(n, s) (0: none).
    var lastOnlineAboveTarget = 0
}

/// Sweeps every stop point for `s` slots; checks the closed form at a few of them.
func sweep(slots s: Int) throws -> Worst {
    var schedule = OnlineStummWalther(slots: s)
    var worst = Worst()
    let checked: Set<Int> = [1, 2, 3, 7, 50, 999, 10_007, maxSteps]
    for n in 1...maxSteps {
        _ = schedule.actionsBeforeAdvancing(from: n - 1)
        let simulated = schedule.layout.simulatedAdvances(steps: n)
        let t = try BinomialCheckpointing.minimalAdvances(steps: n, slots: s)
        precondition(simulated >= t, "s = \(s), n = \(n): \(simulated) advances beat the optimum \(t)")
        if checked.contains(n) {
            let played = try ScheduleSimulator.run(OnlineScheduleReplay(OnlineStummWalther(slots: s), steps: n))
            precondition(played.advances == simulated && played.reverses == n, "s = \(s), n = \(n): simulator \(played.advances), closed form \(simulated)")
        }
        guard t > 0 else { continue }
        let ratio = Double(simulated) / Double(t)
        if ratio > worst.simulated.ratio { worst.simulated = (ratio, n) }
        let online = Double(simulated + 1) / Double(t)
        if n > 20, online > worst.online.ratio { worst.online = (online, n) }
        if Double(simulated + 1) > 1.3 * Double(t) { worst.lastOnlineAboveTarget = n }
    }
    return worst
}

/// Prints unbuffered, so that the header and the workers' lines keep their order.
func say(_ text: String) { FileHandle.standardOutput.write((text + "\n").data(using: .utf8)!) }

say("Default online schedule (Stumm–Walther regimes, fixed revolve targets for every r)")
say("every n ≤ \(maxSteps), every s ≤ \(maxSlots); ratios to revolve's t(n, s)")
say("   s   worst simulated/t     at n   worst online/t (n > 20)     at n")
/// The per-s results, filled by the two workers under a lock.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var worst: [Worst?]
    init(count: Int) { worst = Array(repeating: nil, count: count) }
    func record(_ value: Worst, slots s: Int) {
        lock.lock()
        defer { lock.unlock() }
        worst[s] = value
        let line = String(format: "%4d   %17.4f  %7d   %22.4f  %7d\n", s, value.simulated.ratio, value.simulated.steps,
                          value.online.ratio, value.online.steps)
        FileHandle.standardOutput.write(line.data(using: .utf8)!)
    }
}
let shared = Results(count: maxSlots + 1)
let start = Date()
DispatchQueue.concurrentPerform(iterations: 2) { worker in
    for s in stride(from: maxSlots - worker, through: 1, by: -2) {
        shared.record(try! sweep(slots: s), slots: s)
    }
}
let results = shared.worst
let all = results.compactMap { $0 }
let overall = all.enumerated().max { $0.element.simulated.ratio < $1.element.simulated.ratio }!
let overallOnline = all.enumerated().max { $0.element.online.ratio < $1.element.online.ratio }!
say(String(format: "worst simulated/t over the grid: %.4f (s = %d, n = %d)", overall.element.simulated.ratio,
             overall.offset + 1, overall.element.simulated.steps))
say(String(format: "worst online/t for n > 20:       %.4f (s = %d, n = %d)", overallOnline.element.online.ratio,
             overallOnline.offset + 1, overallOnline.element.online.steps))
let lastAbove = all.map(\.lastOnlineAboveTarget).max() ?? 0
say("online/t ≤ 1.3 for every n > \(lastAbove) and every s (above it only at tiny n, where the discovery step weighs)")
say(String(format: "%.0f s wall", Date().timeIntervalSince(start)) + ", load average (1, 5, 15 min) \(loadAverage())")
