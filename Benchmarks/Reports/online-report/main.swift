// Online checkpointing against the offline optimum.
//
//     swift run -c release --package-path Benchmarks online-report [--verify]
//
// With --verify it first plays every stop point n ≤ 2000 for every s ≤ 20 through the
// simulator, for all three schedules.
//
// For s = 10, 50, 100 slots and n = 1 … 10^6 (log-spaced), prints the online schedules'
// advances divided by revolve's t(n, s). Online advances count the recording sweep to
// x[n] (n untaped steps, the last one discovering the end) plus the reverse sweep's
// recomputation: simulated advances + 1. The closed form of the simulated part
// (OnlineCheckpointLayout.simulatedAdvances) is checked against the simulator at every
// sampled n up to 10^4 and at the largest n.
import CheckpointSchedules
import Foundation
import ReportSupport

func sampledSteps(upTo limit: Int, perDecade: Int) -> [Int] {
    var result: Set<Int> = [1, 2, 3, 5]
    var exponent = 0.0
    while true {
        let n = Int(pow(10, exponent).rounded())
        if n > limit { break }
        result.insert(n)
        exponent += 1.0 / Double(perDecade)
    }
    result.insert(limit)
    return result.sorted()
}

/// Online advances (discovery step included) for every n in `steps`, playing the schedule once.
func onlineAdvances(_ make: () -> some OnlineCheckpointSchedule, steps: [Int]) -> [Int] {
    var schedule = make()
    var results: [Int] = []
    var i = 0
    for n in steps {
        while i < n { _ = schedule.actionsBeforeAdvancing(from: i); i += 1 }
        results.append(schedule.layout.simulatedAdvances(steps: n) + 1)
    }
    return results
}

func check(_ make: () -> some OnlineCheckpointSchedule, n: Int, expected: Int) throws {
    let replay = try OnlineScheduleReplay(make(), steps: n)
    let stats = try ScheduleSimulator.run(replay)
    precondition(stats.advances + 1 == expected, "closed form \(expected) ≠ simulated \(stats.advances) + 1 at n = \(n)")
}

/// Plays every stop point n ≤ 2000 for every s ≤ 20 through the simulator (the sweep the
/// debug tests sample) and checks legality, n reverses, s slots and the closed form.
func verifyEveryStopPoint(_ make: (Int) -> some OnlineCheckpointSchedule, name: String) throws {
    var replays = 0
    for s in 1...20 {
        var schedule = make(s)
        for n in 1...2000 {
            _ = schedule.actionsBeforeAdvancing(from: n - 1)
            let stats = try ScheduleSimulator.run(OnlineScheduleReplay(make(s), steps: n))
            precondition(stats.reverses == n && (stats.peakSlots[.memory] ?? 0) <= s)
            precondition(stats.advances == schedule.layout.simulatedAdvances(steps: n), "\(name): n = \(n), s = \(s)")
            replays += 1
        }
    }
    print("\(name): every stop point n ≤ 2000, s ≤ 20 (\(replays) runs) legal in the simulator, advances = closed form")
}

if CommandLine.arguments.contains("--verify") {
    try verifyEveryStopPoint({ OnlineStummWalther(slots: $0, maximalRepetitions: 3) }, name: "Stumm–Walther, then Wang")
    try verifyEveryStopPoint({ OnlineWang(slots: $0) }, name: "Wang et al.")
    try verifyEveryStopPoint({ OnlineStummWalther(slots: $0) }, name: "fixed revolve, all r (default)")
}

let limit = 1_000_000
let steps = sampledSteps(upTo: limit, perDecade: 4)
print("Online checkpointing: advances / t(n, s)   (online = n recording advances, the last one")
print("discovering the end, + recomputation; offline t(n, s) records n − 1 and tapes step n − 1)")
for s in [10, 50, 100] {
    let sw = onlineAdvances({ OnlineStummWalther(slots: s, maximalRepetitions: 3) }, steps: steps)
    let wang = onlineAdvances({ OnlineWang(slots: s) }, steps: steps)
    let extended = onlineAdvances({ OnlineStummWalther(slots: s) }, steps: steps)
    for (index, n) in steps.enumerated() where n <= 10_000 || n == limit {
        try check({ OnlineStummWalther(slots: s, maximalRepetitions: 3) }, n: n, expected: sw[index])
        try check({ OnlineWang(slots: s) }, n: n, expected: wang[index])
        try check({ OnlineStummWalther(slots: s) }, n: n, expected: extended[index])
    }
    let b2 = try BinomialCheckpointing.beta(slots: s, repetitions: 2)
    let b3 = try BinomialCheckpointing.beta(slots: s, repetitions: 3)
    print("")
    print("s = \(s)   (β(s,2) = \(b2), β(s,3) = \(b3))")
    print("        n   r        t(n,s)   S–W then Wang  ratio  −t   Wang et al.    ratio  −t   default (all r)  ratio −t")
    for (index, n) in steps.enumerated() {
        let t = try BinomialCheckpointing.minimalAdvances(steps: n, slots: s)
        let r = try BinomialCheckpointing.repetitionNumber(steps: n, slots: s)
        func cell(_ a: Int) -> String {
            let ratio = Double(a) / Double(t)
            let ratioText = t == 0 ? "    –" : String(format: "%5.3f", ratio)
            return "\(String(a).leftPadded(13))  \(ratioText) \(String(a - t).leftPadded(4))"
        }
        print("\(String(n).leftPadded(9)) \(String(r).leftPadded(3)) \(String(t).leftPadded(13)) \(cell(sw[index]))  \(cell(wang[index]))  \(cell(extended[index]))")
    }
}
