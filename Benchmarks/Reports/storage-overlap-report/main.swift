// Overlapped disk checkpointing versus memory: a gradient with a large state, n steps,
// 4 memory slots + 64 disk slots (the optimal two-level schedule) against the same 68 slots
// all in memory (Revolve).
//
//     swift run -c release --package-path Benchmarks storage-overlap-report [n] [megabytes] [codec] [rounds] [pool] [disk-costs]
//
// Defaults: n = 1000, a 64 MB state, identity files (codec: identity | zstd | shuffle), 2
// rounds, pool `on` (`off` caps AllocatorTuning's retention at its 512 MiB default, the
// allocator's behaviour before runs kept their plan's memory for reuse), disk costs
// `probe` (the least of three synchronous writes and reads of one state; `W,R` in
// milliseconds pins them, so that runs compare one schedule). Identity files of large
// states move with direct I/O (O_DIRECT); REWIND_DIRECT_IO=off keeps them in the page cache.
// Target (issue 4): time(4 + 64 disk) / time(68 memory) ≤ 1.25. Both gradients must agree
// bit for bit. The files go to $TMPDIR or /tmp. Each run also prints its CPU time split and
// minor page faults per advance or reverse (issue 13: a step should touch no fresh page),
// and the time its advance and reverse counts predict from the measured step times. The
// first run of round 1 is the first gradient of the process: its checkpoints are first
// touches of fresh memory. Later runs reuse the memory the first one freed (the allocator
// keeps what the plan holds: AllocatorTuning.retainFreedMemory), so they should fault nothing.
import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD
import Foundation
import ReportSupport

/// x[i+1][k] = x[k] + h·(a·x[k−1] − x[k] + 1e-3·x[k]·x[k−1]), h = 0.01: a fused,
/// memory-bound step with a hand-written pullback (one pass each).
func forward(_ x: Vector, _ a: Double, _ i: Int) -> Vector {
    let h = 0.01
    return x.scalars.withUnsafeBufferPointer { x in
        Vector(unsafeUninitializedCount: x.count) { y in
            for k in 0 ..< x.count {
                let left = x[k == 0 ? x.count - 1 : k - 1]
                y[k] = x[k] + h * (a * left - x[k] + 1e-3 * x[k] * left)
            }
        }
    }
}

func valueWithPullback(_ x: Vector, _ a: Double, _ i: Int) -> (value: Vector, pullback: (Vector) -> (Vector, Double)) {
    (forward(x, a, i), { ybar in
        let h = 0.01
        guard ybar.count > 0 else { return (.zero, 0) }
        var abar = 0.0
        let xbar = x.scalars.withUnsafeBufferPointer { x in
            ybar.scalars.withUnsafeBufferPointer { ybar in
                Vector(unsafeUninitializedCount: x.count) { out in
                    let m = x.count
                    for k in 0 ..< m {
                        let left = x[k == 0 ? m - 1 : k - 1]
                        let right = x[k == m - 1 ? 0 : k + 1]
                        let next = ybar[k == m - 1 ? 0 : k + 1]
                        // ∂y[k]/∂x[k] = 1 + h(−1 + 1e-3·x[k−1]); ∂y[k+1]/∂x[k] = h(a + 1e-3·x[k+1]).
                        out[k] = ybar[k] * (1 + h * (-1 + 1e-3 * left)) + next * h * (a + 1e-3 * right)
                        abar += ybar[k] * h * left
                    }
                }
            }
        }
        return (xbar, abar)
    })
}

/// Hides `value` from the optimiser, so that the computation producing it is measured.
@inline(never) func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

/// This process's minor page faults and user and system CPU seconds so far.
func usage() -> (faults: Int, user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return (usage.ru_minflt, seconds(usage.ru_utime), seconds(usage.ru_stime))
}

func main() throws {
let arguments = CommandLine.arguments.dropFirst()
let n = arguments.first.flatMap(Int.init) ?? 1000
let megabytes = arguments.dropFirst().first.flatMap(Double.init) ?? 64
let codecName = arguments.dropFirst(2).first ?? "identity"
let rounds = arguments.dropFirst(3).first.flatMap(Int.init) ?? 2
let pool = arguments.dropFirst(4).first ?? "on"
let pinnedDiskCosts = arguments.dropFirst(5).first.flatMap { text -> (Double, Double)? in
    let parts = text.split(separator: ",").compactMap { Double($0) }
    return parts.count == 2 ? (parts[0] / 1e3, parts[1] / 1e3) : nil
}
let codec: CheckpointCodec = switch codecName {
case "zstd": .zstd(level: 1)
case "shuffle": .shuffledZstd(level: 1)
default: .identity
}
let count = Int(megabytes * 1e6) / 8
let processStart = usage(), wallStart = wallSeconds()

let step = CheckpointedStep<Vector, Double, Vector, Double>(forward: forward, valueWithPullback: valueWithPullback)
let x0 = Vector((0 ..< count).map { sin(Double($0) * 1e-4) })
if pool == "off" { AllocatorTuning.maximumRetainedBytes = AllocatorTuning.trimThresholdBytes }
let a = 0.7

// Measured prices for the two-level schedule's cost model: the least of three warm calls,
// so that the first touch of fresh buffers is not priced into every step.
func leastOfThree(_ body: () -> Void) -> Double { leastOf(rounds: 3, on: .wall, body).seconds }
let x1 = forward(x0, a, 0)
// Each probe keeps what it computes (`keep`), so that the optimiser cannot drop a result it
// sees unused: a reverse is a taped forward plus its pullback, as in the run.
let advance = leastOfThree { keep(forward(x1, a, 1)) }
// The disk probes, the least of three too: the first store also touches its fresh pool buffer.
let probe = try FileCheckpointStore<Vector>(capacity: 1, codec: codec, writeBehind: 0, readAhead: 0)
var probedWrite = Double.infinity, probedRead = Double.infinity
for _ in 0 ..< 3 {
    var t = wallSeconds()
    try probe.store(x1, step: 1, slot: 0)
    probedWrite = min(probedWrite, wallSeconds() - t)
    t = wallSeconds()
    keep(try probe.restore(step: 1, slot: 0, release: true))
    probedRead = min(probedRead, wallSeconds() - t)
}
let (write, read) = pinnedDiskCosts ?? (probedWrite, probedRead)
let reverse = leastOfThree {
    let (value, pullback) = valueWithPullback(x1, a, 1)
    keep(value)
    keep(pullback(x1))
}
print(String(format: "n = %d, state %.0f MB, files %@: advance %.3f s, reverse %.3f s, synchronous disk write %.3f s, read %.3f s%@ (%@)",
             n, megabytes, codec.description, advance, reverse, probedWrite, probedRead,
             pinnedDiskCosts.map { String(format: "; planned with write %.3f s, read %.3f s", $0.0, $0.1) } ?? "",
             probe.statistics.directWrites > 0 ? "direct I/O" : "page cache"))

/// This process's resident size now (VmRSS), in MB.
func residentMegabytes() -> Double { Double(processStatusBytes("VmRSS") ?? 0) / 1_048_576 }
print(String(format: "pool %@: the allocator keeps up to %.0f MB of freed memory for reuse (at most %.0f MB); resident now %.0f MB",
             pool, Double(AllocatorTuning.retainedBytes) / 1e6, Double(AllocatorTuning.maximumRetainedBytes) / 1e6, residentMegabytes()))
var runsSoFar = 0

func run(_ name: String, schedule: any CheckpointSchedule, stores: [StorageLevel: any CheckpointStore<Vector>]) throws -> (Vector, Double, Double, CheckpointingStatistics) {
    let start = wallSeconds(), before = usage()
    let (xn, pullback) = try valueWithCheckpointedPullback(
        at: x0, parameters: a, steps: n, checkpointing: .schedule(schedule, stores: stores), step: step)
    let gradient = try pullback(xn)  // L = ½‖x[n]‖²
    let (x0bar, abar) = (gradient.initialState, gradient.parameters)
    let seconds = wallSeconds() - start, after = usage()
    let s = gradient.statistics
    runsSoFar += 1
    let which = runsSoFar == 1 ? "first gradient of the process" : "repeated gradient"
    let predicted = Double(s.advances) * advance + Double(s.reverses) * reverse
    print(String(format: "%@, %@: %.2f s (predicted from the step times %.2f s) — %d advances, %d reverses, stores %@, restores %@", name, which, seconds,
                 predicted, s.advances, s.reverses, "\(s.stores)", "\(s.restores)"))
    print(String(format: "  CPU user %.2f s, system %.2f s (%.0f%% of user); %d minor page faults, %.0f per advance or reverse "
                 + "(a state is %d pages)", after.user - before.user, after.system - before.system,
                 100 * (after.system - before.system) / max(after.user - before.user, 1e-9), after.faults - before.faults,
                 Double(after.faults - before.faults) / Double(s.advances + s.reverses), (count * 8 + 4095) / 4096))
    print(String(format: "  step times inside the run: advance %.1f ms, reverse %.1f ms (before the runs, least of three: %.1f ms, %.1f ms)",
                 1e3 * (s.recordingSeconds + s.recomputationSeconds) / Double(max(s.advances, 1)), 1e3 * s.reverseSeconds / Double(max(s.reverses, 1)),
                 1e3 * advance, 1e3 * reverse))
    print(String(format: "  after the run: resident %.0f MB, %.0f MB free in the heap, the allocator keeps up to %.0f MB",
                 residentMegabytes(), Double(AllocatorTuning.freeHeapBytes) / 1e6, Double(AllocatorTuning.retainedBytes) / 1e6))
    return (x0bar, abar, seconds, s)
}

let memorySchedule = try Revolve(steps: n, slots: 68)
let costs = CostModel(advance: advance, reverse: 2 * advance, write: [.disk: write], read: [.disk: read])
let twoLevel = try TwoLevelRevolve(steps: n, memorySlots: 4, diskSlots: 64, costModel: costs)
print("two-level schedule: \(twoLevel.capacity(of: .memory)) memory + \(twoLevel.capacity(of: .disk)) disk slots used")
// Rounds alternate the two runs so that neither always runs first on a shared machine;
// the best time of each counts.
var memoryBest = Double.infinity, mixedBest = Double.infinity
for round in 1 ... rounds {
    print("round \(round)")
    let memory = try run("68 memory slots (Revolve)", schedule: memorySchedule,
                         stores: [.memory: MemoryCheckpointStore<Vector>(capacity: 68, bytesPerState: count * 8)])
    let disk = try FileCheckpointStore<Vector>(capacity: twoLevel.capacity(of: .disk), codec: codec, writeBehind: 2, readAhead: 1)
    let mixed = try run("4 memory + 64 disk slots (two-level)", schedule: twoLevel,
                        stores: [.memory: MemoryCheckpointStore<Vector>(capacity: 4, bytesPerState: count * 8), .disk: disk])
    let io = disk.statistics
    print(String(format: "disk: %d stores, %d restores (%d from read-ahead, %d from write buffers), %.2f GB written, ratio %.2f; "
                 + "background %.1f s, caller waited %.1f s (restores %.1f s), blocking %.1f s, overlapped %.1f s; peak buffers %.0f MB; "
                 + "direct I/O: %d writes, %d reads",
                 io.stores, io.restores, io.restoresFromReadAhead, io.restoresFromWriteBuffer, Double(io.bytesWritten) / 1e9, io.compressionRatio,
                 io.backgroundSeconds, io.waitSeconds, io.restoreWaitSeconds, io.blockingSeconds, io.overlappedSeconds, Double(disk.peakBytes) / 1e6,
                 io.directWrites, io.directReads))
    precondition(mixed.0 == memory.0 && mixed.1 == memory.1, "the two gradients differ")
    print("gradients bitwise equal: yes")
    memoryBest = min(memoryBest, memory.2)
    mixedBest = min(mixedBest, mixed.2)
}
print(String(format: "time ratio (4 + 64 disk) / (68 memory), best of %d = %.3f (target ≤ 1.25)", rounds, mixedBest / memoryBest))
let processEnd = usage()
print(String(format: "whole process: user %.1f s, system %.1f s (%.0f%% of user), wall %.1f s, %d minor page faults",
             processEnd.user - processStart.user, processEnd.system - processStart.system,
             100 * (processEnd.system - processStart.system) / max(processEnd.user - processStart.user, 1e-9),
             wallSeconds() - wallStart, processEnd.faults - processStart.faults))
let before = residentMegabytes()
AllocatorTuning.releaseFreeMemory()
print(String(format: "AllocatorTuning.releaseFreeMemory(): resident %.0f MB → %.0f MB", before, residentMegabytes()))
}

try main()
