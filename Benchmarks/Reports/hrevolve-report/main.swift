// H-Revolve report: the optimal schedule over plain memory, compressed memory and disk
// (Herrmann & Pallez 2020, doi:10.1145/3378672) against the best two-level schedule for the
// same budget, by predicted time. Every time is the simulator's predicted time of the real
// action stream, in units of one advance.
//
//   swift run -c release --package-path Benchmarks hrevolve-report
import Foundation
import ReportSupport
import Rewind

/// The schedule's predicted time, checked against the simulator's.
func simulated(_ schedule: some CheckpointSchedule, _ predicted: Double, _ costs: CostModel) -> Double {
    let stats = try! ScheduleSimulator.run(schedule, costModel: costs)
    precondition(abs(stats.predictedTime - predicted) <= 1e-9 * predicted, "simulated \(stats.predictedTime), predicted \(predicted)")
    return stats.predictedTime
}

print("H-Revolve over memory + compressed memory + disk vs the best two-level schedule")
print("  advance u_f = 1, reverse u_b = 2; a memory budget of M plain states; compression ratio ρ gives")
print("  ⌊(M − k)·ρ⌋ compressed slots beside k plain ones, each compressed store w_c and restore r_c;")
print("  disk w_d = r_d = 5 with d slots (∞: unlimited, –: no disk).")
print("  plain: two-level with M plain slots + disk; compressed: two-level with ⌊M·ρ⌋ compressed slots + disk;")
print("  H-Revolve: the best split k (all k = 0 … M priced); gain: best two-level / H-Revolve.")
let header = ["n", "M", "ρ", "w_c=r_c", "d", "plain", "compressed", "H-Revolve", "split k+c", "gain", "DP s"]
let widths = [5, 4, 4, 8, 4, 10, 11, 10, 10, 7, 7]
print(header.enumerated().map { $0.element.leftPadded(widths[$0.offset]) }.joined())
var totalSeconds = 0.0
for n in [100, 300] {
    for memory in [4, 8] {
        for ratio in [2.0, 3.0] {
            for codecCost in [0.25, 1.0] {
                for disk in [0, 4, nil] as [Int?] {
                    let costs = CostModel(advance: 1, reverse: 2, write: [.compressedMemory: codecCost, .disk: 5],
                                          read: [.compressedMemory: codecCost, .disk: 5])
                    let allCompressed = Int(Double(memory) * ratio)
                    // The two-level forms: plain memory, or every slot compressed (the `.memory`
                    // level priced with the codec), each with the same disk.
                    let plain = try! TwoLevelRevolve(steps: n, memorySlots: memory, diskSlots: disk, costModel: costs)
                    let codecMemory = CostModel(advance: 1, reverse: 2, write: [.memory: codecCost, .disk: 5], read: [.memory: codecCost, .disk: 5])
                    let compressed = try! TwoLevelRevolve(steps: n, memorySlots: allCompressed, diskSlots: disk, costModel: codecMemory)
                    let plainTime = simulated(plain, plain.predictedTime, costs)
                    let compressedTime = simulated(compressed, compressed.predictedTime, codecMemory)
                    var best: (time: Double, k: Int, c: Int)?
                    let spent = elapsed(on: .processCPU) {
                        for k in 0...memory {
                            let c = Int(Double(memory - k) * ratio)
                            var levels = [HRevolve.Level(.memory, slots: k), HRevolve.Level(.compressedMemory, slots: c)]
                            if disk != 0 { levels.append(HRevolve.Level(.disk, slots: disk)) }
                            let schedule = try! HRevolve(steps: n, levels: levels.filter { $0.slots != 0 }, costModel: costs)
                            let time = simulated(schedule, schedule.predictedTime, costs)
                            if time < (best?.time ?? .infinity) { best = (time, k, c) }
                        }
                    }
                    totalSeconds += spent
                    let h = best!
                    precondition(h.time <= Swift.min(plainTime, compressedTime) * (1 + 1e-12), "H-Revolve is never slower")
                    let row = ["\(n)", "\(memory)", roundedText(ratio, digits: 0), roundedText(codecCost, digits: 2), disk.map { $0 == 0 ? "–" : "\($0)" } ?? "∞",
                               roundedText(plainTime, digits: 1), roundedText(compressedTime, digits: 1), roundedText(h.time, digits: 1), "\(h.k)+\(h.c)",
                               roundedText(Swift.min(plainTime, compressedTime) / h.time, digits: 3), roundedText(spent, digits: 2)]
                    print(row.enumerated().map { $0.element.leftPadded(widths[$0.offset]) }.joined())
                }
            }
        }
    }
}
print("DP CPU seconds in all (every split's table, simulations included): \(roundedText(totalSeconds, digits: 2))")

// MARK: 2. What the work limit means in seconds.
print("")
print("2. Building the H-Revolve table: elementary steps (HRevolve.work) against CPU seconds")
let partTwoWidths = [6, 50, 12, 11, 8, 8]
print(["n", "levels", "work", "cells", "CPU s", "ns/step"].enumerated().map { $0.element.leftPadded(partTwoWidths[$0.offset]) }.joined())
let costs = CostModel(advance: 1, reverse: 2, write: [.compressedMemory: 1, .disk: 5], read: [.compressedMemory: 1, .disk: 5])
for (n, levels) in [
    (300, [HRevolve.Level(.memory, slots: 8), .init(.compressedMemory, slots: 24), .init(.disk, slots: nil)]),
    (1000, [HRevolve.Level(.memory, slots: 8), .init(.compressedMemory, slots: 16)]),
    (300, [HRevolve.Level(.memory, slots: 4), .init(.compressedMemory, slots: 8), .init(.disk, slots: 20)]),
    (2000, [HRevolve.Level(.memory, slots: 4), .init(.compressedMemory, slots: 8), .init(.disk, slots: nil)]),
] {
    let work = HRevolve.work(steps: n, levels: levels)
    let (spent, schedule) = timed(on: .processCPU) { try? HRevolve(steps: n, levels: levels, costModel: costs) }
    let cells = (n + 1) * (1 << levels.count) * levels.reduce(1) { $0 * (($1.slots.map { $0 >= n - 1 ? nil : $0 } ?? nil).map { $0 + 1 } ?? 1) }
    let described = levels.map(\.description).joined(separator: " + ")
    let row = ["\(n)", described, "\(work)", "\(cells)", schedule == nil ? "refused" : roundedText(spent, digits: 2),
               schedule == nil ? "" : roundedText(spent / Double(work) * 1e9, digits: 2)]
    print(row.enumerated().map { $0.element.leftPadded(partTwoWidths[$0.offset]) }.joined())
}

// MARK: 3. Past the work limit: segments over the unlimited disk.
print("")
print("3. Segmented H-Revolve (disk checkpoints at most L steps apart) vs the exact optimum, and long chains")
print(["n", "levels", "exact", "segmented", "L", "ratio", "CPU s"].enumerated().map { $0.element.leftPadded([9, 48, 11, 11, 6, 7, 7][$0.offset]) }.joined())
for (n, levels, limit) in [
    (1000, [HRevolve.Level(.memory, slots: 4), .init(.compressedMemory, slots: 8), .init(.disk, slots: nil)], 20_000_000),
    (2000, [HRevolve.Level(.memory, slots: 4), .init(.compressedMemory, slots: 8), .init(.disk, slots: nil)], 50_000_000),
    (100_000, [HRevolve.Level(.memory, slots: 4), .init(.compressedMemory, slots: 8), .init(.disk, slots: nil)], HRevolve.defaultWorkLimit),
    (1_000_000, [HRevolve.Level(.memory, slots: 8), .init(.compressedMemory, slots: 16), .init(.disk, slots: nil)], HRevolve.defaultWorkLimit),
] {
    let exact = HRevolve.work(steps: n, levels: levels) <= HRevolve.defaultWorkLimit
        ? try! HRevolve(steps: n, levels: levels, costModel: costs) : nil
    let (spent, segmented) = timed(on: .processCPU) { try! HRevolve(steps: n, levels: levels, costModel: costs, workLimit: limit) }
    guard case let .segmented(longest) = segmented.method else { preconditionFailure("expected segments at n = \(n)") }
    let time = simulated(segmented, segmented.predictedTime, costs)
    let row = ["\(n)", levels.map(\.description).joined(separator: " + "), exact.map { roundedText($0.predictedTime, digits: 1) } ?? "–",
               roundedText(time, digits: 1), "\(longest)", exact.map { roundedText(time / $0.predictedTime, digits: 4) } ?? "", roundedText(spent, digits: 2)]
    print(row.enumerated().map { $0.element.leftPadded([9, 48, 11, 11, 6, 7, 7][$0.offset]) }.joined())
}
