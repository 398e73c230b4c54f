// Two-level checkpointing report: the optimal memory + disk schedule (Aupy, Herrmann,
// Hovland & Robert 2016, doi:10.1137/15M1019222) against memory-only revolve, disk-only
// revolve and Stumm & Walther's multistage heuristic (doi:10.1137/080718036), and the
// planner's decisions. Every time is the simulator's predicted time of the real action
// stream (never a formula alone), in units of one advance unless stated.
//
//   swift run -c release --package-path Benchmarks twolevel-report
import Foundation
import ReportSupport
import Rewind

func simulate(_ schedule: some CheckpointSchedule, _ costs: CostModel) -> ScheduleStatistics {
    try! ScheduleSimulator.run(schedule, costModel: costs)
}

// MARK: 1. The comparison of Aupy et al., Section 5: disk-revolve versus Stumm & Walther.
print("1. Optimal two-level (disk-revolve) vs Stumm & Walther multistage vs one level")
print("   u_f = advance = 1, u_b = reverse = 1, memory free, w_d = r_d, unlimited disk;")
print("   S&W: revolve with c_m + c_d slots, busiest in memory, at its best c_d (column S&W c_d);")
print("   disk slots: the optimum's peak number of disk checkpoints.")
print("   times: simulator's predicted time; ratios: time / two-level optimum")
print(["n", "c_m", "w_d=r_d", "mem-only", "disk-only", "S&W", "optimum", "S&W/opt", "mem/opt", "disk/opt", "disk slots", "S&W c_d"]
    .enumerated().map { $0.element.leftPadded([6, 4, 8, 10, 10, 10, 10, 8, 8, 9, 11, 8][$0.offset]) }.joined())
for n in [100, 1000, 5000] {
    for cm in [2, 5, 10] {
        for cost in [1.0, 2.0, 5.0, 10.0] {
            let costs = CostModel(advance: 1, reverse: 1, write: [.disk: cost], read: [.disk: cost])
            let optimum = try! TwoLevelRevolve(steps: n, memorySlots: cm, diskSlots: nil, costModel: costs)
            let optimumStats = simulate(optimum, costs)
            precondition(optimumStats.predictedTime == optimum.predictedTime)
            let memoryOnly = simulate(try! Revolve(steps: n, slots: cm), costs).predictedTime
            let diskOnly = try! TwoLevelRevolve(steps: n, memorySlots: 0, diskSlots: nil, costModel: costs).predictedTime
            let usedDisk = optimumStats.peakSlots[.disk] ?? 0
            // Stumm & Walther leave the number of disk checkpoints to the user: give them
            // their best among 0, 1, 2, 4, … and the optimum's own count.
            var candidates = [usedDisk]
            var d = 1
            while d < n { candidates.append(d); d *= 2 }
            let (bestDisk, multistage) = ([0] + candidates).map { d in
                (d, simulate(try! MultistageRevolve(steps: n, memorySlots: cm, diskSlots: d), costs).predictedTime)
            }.min { $0.1 < $1.1 }!
            let best = optimum.predictedTime
            let row = ["\(n)", "\(cm)", roundedText(cost, digits: 0), roundedText(memoryOnly, digits: 0), roundedText(diskOnly, digits: 0), roundedText(multistage, digits: 0), roundedText(best, digits: 0),
                       roundedText(multistage / best, digits: 3), roundedText(memoryOnly / best, digits: 3), roundedText(diskOnly / best, digits: 3), "\(usedDisk)", "\(bestDisk)"]
            print(row.enumerated().map { $0.element.leftPadded([6, 4, 8, 10, 10, 10, 10, 8, 8, 9, 11, 8][$0.offset]) }.joined())
        }
    }
}

// MARK: 2. The issue's case: 64 MB states, n = 1000, 4 memory + 64 disk slots.
print("\n2. n = 1000, state 64 MB, advance 20 ms, reverse 60 ms, disk 1 GB/s write and read (64 ms per state)")
let issueCosts = CostModel(advance: 0.020, reverse: 0.060, write: [.disk: 0.064], read: [.disk: 0.064])
var built: TwoLevelRevolve!
let buildTime = elapsed(on: .processCPU) { built = try! TwoLevelRevolve(steps: 1000, memorySlots: 4, diskSlots: 64, costModel: issueCosts) }
let rows: [(String, ScheduleStatistics)] = [
    ("two-level optimum, 4 memory + 64 disk", simulate(built, issueCosts)),
    ("S&W multistage, 4 memory + 64 disk", simulate(try! MultistageRevolve(steps: 1000, memorySlots: 4, diskSlots: 64), issueCosts)),
    ("revolve, 68 slots all in memory", simulate(try! Revolve(steps: 1000, slots: 68), issueCosts)),
    ("revolve, 4 memory slots only", simulate(try! Revolve(steps: 1000, slots: 4), issueCosts)),
    ("revolve, 64 disk slots only", simulate(try! Revolve(steps: 1000, slots: 64, level: .disk), issueCosts)),
]
for (name, stats) in rows {
    print("   \(name.rightPadded(40)) \(roundedText(stats.predictedTime, digits: 2).leftPadded(8)) s  advances \(String(stats.advances).leftPadded(5))  disk writes \(String(stats.stores[.disk] ?? 0).leftPadded(4))  disk reads \(String(stats.restores[.disk] ?? 0).leftPadded(4))")
}
print("   two-level / all-in-memory predicted ratio: \(roundedText(rows[0].1.predictedTime / rows[2].1.predictedTime, digits: 3)) (no overlap of I/O assumed)")
print("   building the exact table (1001 × 5 × 65 × 4 cells): \(roundedText(buildTime, digits: 2)) CPU s")

// MARK: 3. Cost of building the table, and the periodic mode for long chains.
print("\n3. Table build CPU time (release) and the scalable forms, w_d = r_d = 5, advance 1, reverse 1")
let costs5 = CostModel(advance: 1, reverse: 1, write: [.disk: 5], read: [.disk: 5])
for (n, cm, cd) in [(1000, 10, nil), (10_000, 10, nil), (100_000, 10, nil), (1000, 4, 64), (3000, 4, 64)] as [(Int, Int, Int?)] {
    var schedule: TwoLevelRevolve!
    let time = elapsed(on: .processCPU) { schedule = try! TwoLevelRevolve(steps: n, memorySlots: cm, diskSlots: cd, costModel: costs5) }
    var stats: ScheduleStatistics!
    let play = elapsed(on: .processCPU) { stats = simulate(schedule, costs5) }
    let mode = schedule.method.description
    print("   n = \(String(n).leftPadded(6)), c_m = \(cm), c_d = \(cd.map(String.init) ?? "∞"): \(mode.rightPadded(58)) build \(roundedText(time, digits: 3).leftPadded(7)) s, play \(roundedText(play, digits: 3).leftPadded(6)) s, time/n = \(roundedText(stats.predictedTime / Double(n), digits: 3))")
}
let exact10k = try! TwoLevelRevolve(steps: 10_000, memorySlots: 10, diskSlots: nil, costModel: costs5, workLimit: Int.max)
let scalable10k = try! TwoLevelRevolve(steps: 10_000, memorySlots: 10, diskSlots: nil, costModel: costs5, workLimit: 20_000_000)
print("   n = 10000, c_m = 10: \(scalable10k.method) / exact = \(roundedText(scalable10k.predictedTime / exact10k.predictedTime, digits: 4))")

// MARK: 3b. Large n: the chosen form against memory-only revolve and the multistage placement.
print("\n3b. Large n, advance 1, reverse 2, w_d = r_d = 5: the schedule built against memory-only revolve and")
print("    Stumm & Walther's multistage placement (given disk slots; with ∞, its best of 1, 4, 16, … disk slots).")
print("    Predicted times are the simulator's; 'exact' rows are the proven optimum, the others are the best")
print("    scalable form (see TwoLevelRevolve.Method); build = CPU s to construct the schedule.")
print(["n", "c_m", "c_d", "two-level", "mem-only", "multistage", "mem/2L", "ms/2L", "build", "method"]
    .enumerated().map { $0.offset == 9 ? "   " + $0.element : $0.element.leftPadded([9, 5, 7, 12, 13, 12, 8, 7, 7, 0][$0.offset]) }.joined())
let costsLarge = CostModel(advance: 1, reverse: 2, write: [.disk: 5], read: [.disk: 5])
for n in [10_000, 100_000, 1_000_000] {
    for cm in [3, 5, 10] {
        for cd in [nil, cm, 10 * cm] as [Int?] {
            var schedule: TwoLevelRevolve!
            let build = elapsed(on: .processCPU) { schedule = try! TwoLevelRevolve(steps: n, memorySlots: cm, diskSlots: cd, costModel: costsLarge) }
            let stats = simulate(schedule, costsLarge)
            precondition(abs(stats.predictedTime - schedule.predictedTime) <= 1e-9 * stats.predictedTime)
            precondition((stats.peakSlots[.disk] ?? 0) <= (cd ?? n) && (stats.peakSlots[.memory] ?? 0) <= cm)
            let memoryOnly = simulate(try! Revolve(steps: n, slots: cm), costsLarge).predictedTime
            let diskCounts = cd.map { [$0] } ?? Array(sequence(first: 1) { $0 < n / 4 ? 4 * $0 : nil })
            let multistage = diskCounts.map { simulate(try! MultistageRevolve(steps: n, memorySlots: cm, diskSlots: $0), costsLarge).predictedTime }.min()!
            let best = schedule.predictedTime
            precondition(best <= memoryOnly && best <= multistage, "n = \(n), c_m = \(cm): \(best) > \(min(memoryOnly, multistage))")
            let row = ["\(n)", "\(cm)", cd.map(String.init) ?? "∞", roundedText(best, digits: 0), roundedText(memoryOnly, digits: 0), roundedText(multistage, digits: 0),
                       roundedText(memoryOnly / best, digits: 3), roundedText(multistage / best, digits: 3), roundedText(build, digits: 2)]
            print(row.enumerated().map { $0.element.leftPadded([9, 5, 7, 12, 13, 12, 8, 7, 7][$0.offset]) }.joined() + "   " + schedule.method.description)
        }
    }
}

// MARK: 3c. The scalable forms against the exact optimum, where both can be computed.
print("\n3c. The scalable forms (TwoLevelRevolve.scalable, what is built past the work limit) / the exact optimum,")
print("    advance 1, reverse 1, w_d = r_d; worst ratio over c_m ∈ {1, 3, 5} and w_d ∈ {0, 5, 40}, and where")
for cd in [nil, 2, 5, 20] as [Int?] {
    for n in [200, 1000] {
        var worst = (ratio: 0.0, label: "")
        for cm in [1, 3, 5] {
            for cost in [0.0, 5.0, 40.0] {
                let costs = CostModel(advance: 1, reverse: 1, write: [.disk: cost], read: [.disk: cost])
                let exact = try! TwoLevelRevolve(steps: n, memorySlots: cm, diskSlots: cd, costModel: costs, workLimit: .max)
                let scalable = try! TwoLevelRevolve.scalable(steps: n, memorySlots: cm, diskSlots: cd, costModel: costs)
                precondition(exact.method == .exact && scalable.method != .exact)
                let ratio = scalable.predictedTime / exact.predictedTime
                if ratio > worst.ratio { worst = (ratio, "c_m = \(cm), w_d = \(roundedText(cost, digits: 0)): \(scalable.method)") }
            }
        }
        print("   c_d = \((cd.map(String.init) ?? "∞").leftPadded(2)), n = \(String(n).leftPadded(4)): worst \(roundedText(worst.ratio, digits: 4))  (\(worst.label))")
    }
}

// MARK: 4. The planner.
print("\n4. Planner decisions (state 64 MB, advance 20 ms, reverse 60 ms, disk 1 GB/s, shuffle+zstd ratio 1.55 at 1.0/1.6 GB/s)")
let zstd = CodecProfile(name: "shuffle+zstd-1", ratio: 1.55, compressionSpeed: 1.0e9, decompressionSpeed: 1.6e9)
for (memory, disk) in [(ByteCount.gigabytes(80), ByteCount?.none), (.megabytes(4352), nil), (.megabytes(256), .gigabytes(8)), (.megabytes(640), .gigabytes(8))] {
    let problem = PlanningProblem(
        steps: 1000, stateSize: .megabytes(64), memory: memory, disk: disk, advanceTime: 0.020, reverseTime: 0.060,
        diskWriteBandwidth: 1e9, diskReadBandwidth: 1e9, codecs: [zstd])
    let plan = try! CheckpointPlanner.plan(problem)
    print("   memory \(memory), disk \(disk.map(\.description) ?? "none"):")
    print("     chosen   \(plan.decision.summary)")
    for option in plan.alternatives { print("     rejected \(option.summary)") }
}
print("   an expensive step (advance 0.5 s, reverse 1.5 s), memory 512 MB, no disk: the compressed memory level wins")
let expensive = try! CheckpointPlanner.plan(PlanningProblem(
    steps: 1000, stateSize: .megabytes(64), memory: .megabytes(512), advanceTime: 0.5, reverseTime: 1.5, codecs: [zstd]))
print("     chosen   \(expensive.decision.summary)")
for option in expensive.alternatives { print("     rejected \(option.summary)") }

// MARK: 5. Planning cost for a long chain.
var longPlan: CheckpointPlan!
let planTime = elapsed(on: .processCPU) {
    longPlan = try! CheckpointPlanner.plan(PlanningProblem(
        steps: 1_000_000, stateSize: .megabytes(64), memory: .megabytes(640), disk: .gigabytes(500),
        advanceTime: 0.020, reverseTime: 0.060, diskWriteBandwidth: 1e9, diskReadBandwidth: 1e9, codecs: [zstd]))
}
print("\n5. Planning n = 10⁶ (640 MB memory, 500 GB disk, one codec: 6 options) took \(roundedText(planTime, digits: 2)) CPU s")
print("     chosen   \(longPlan.decision.summary) (\(longPlan.decision.note))")
