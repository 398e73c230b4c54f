// How fast revolve is generated and checked at scale.
//
//     swift run -c release --package-path Benchmarks schedule-speed-report [steps] [slots]
//
// Generates revolve's action stream for n = 10^7 steps and s = 100 slots (or the given
// n, s) and plays it through the simulator, which checks every rule and counts the work;
// five runs, each timed on the wall clock. The stream is generated lazily: no array of
// actions, no allocation per action. Prints the fastest and the median run with the load
// average, because the machine is shared. The target is under 0.5 s for n = 10^7, s = 100.
import CheckpointSchedules
import Foundation
import ReportSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let steps = arguments.first ?? 10_000_000
let slots = arguments.dropFirst().first ?? 100

let optimum = try BinomialCheckpointing.minimalAdvances(steps: steps, slots: slots)
var generateTimes: [Double] = []
var simulateTimes: [Double] = []
var actions = 0
for _ in 0..<5 {
    var reverses = 0
    generateTimes.append(try elapsed(on: .wall) {
        for action in try Revolve(steps: steps, slots: slots) {
            if case .reverse = action { reverses += 1 }
        }
    })
    precondition(reverses == steps, "revolve reversed \(reverses) steps, not \(steps)")
    simulateTimes.append(try elapsed(on: .wall) {
        let statistics = try ScheduleSimulator.run(Revolve(steps: steps, slots: slots))
        precondition(statistics.advances == optimum, "revolve advanced \(statistics.advances) times, not t(n, s) = \(optimum)")
        actions = statistics.actions
    })
}

func summary(_ times: [Double]) -> String {
    let sorted = times.sorted()
    return String(format: "fastest %.3f s, median %.3f s", sorted[0], sorted[sorted.count / 2])
}
print("Revolve, n = \(steps), s = \(slots): \(actions) actions, t(n, s) = \(optimum) advances")
print("  generate:             \(summary(generateTimes))")
print("  generate + simulate:  \(summary(simulateTimes))")
print("  load average (1, 5, 15 min): \(loadAverage())")
