// The file store's cost per checkpoint: a fixed latency per file plus bytes over bandwidth.
//
//     swift run -c release --package-path Benchmarks disk-latency-report [directory]
//
// Fits t(b) = latency + b / bandwidth to the real FileCheckpointStore (write-behind 2,
// read-ahead 1, as the planned driver runs it; and synchronous, for comparison), then times
// sizes in between and prints how far the line is from each, and what a discard (freeing
// a slot without reading it) costs. Stores overwrite the slot files of the batch before,
// as in a run's steady state. The figures behind
// PlanningProblem's default disk latencies come from here.
import CheckpointStorage
import Foundation
import ReportSupport

let directory = CommandLine.arguments.dropFirst().first
print(String(format: "load average %.1f on %d cores; directory %@", loadAverages()?[0] ?? 0, ProcessInfo.processInfo.activeProcessorCount,
             directory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"))

func microseconds(_ seconds: Double) -> String { String(format: "%8.1f µs", seconds * 1e6) }

/// Seconds per `discard` of a state on disk (the best of 5 batches): the slot is freed
/// without reading its file.
func discardSeconds(stateBytes: Int, operations: Int, writeBehind: Int, readAhead: Int) throws -> Double {
    let state = [Double](repeating: 1.5, count: (stateBytes - 8) / 8)
    let store = try FileCheckpointStore<[Double]>(
        capacity: operations, directory: directory, writeBehind: writeBehind, readAhead: readAhead)
    var best = Double.infinity
    for _ in 0 ..< 5 {
        for slot in 0 ..< operations { try store.store(state, step: slot, slot: slot) }
        try store.flush()
        let seconds = try elapsed(on: .wall) { for slot in 0 ..< operations { try store.discard(step: slot, slot: slot) } }
        best = min(best, seconds / Double(operations))
    }
    return best
}

for (name, writeBehind, readAhead) in [("write-behind 2, read-ahead 1 (the planned driver)", 2, 1), ("synchronous", 0, 0)] {
    print("\n\(name)")
    let fit = try DiskSpeedMeasurement.measure(directory: directory, writeBehind: writeBehind, readAhead: readAhead, repetitions: 5)
    print("  fit: \(fit)")
    print("  state bytes     write   predicted        read   predicted     discard")
    for bytes in [64, 328, 4_096, 65_536, 1 << 20, 4 << 20, 8 << 20] {
        let operations = min(256, max(4, (32 << 20) / bytes))
        let timed = try DiskSpeedMeasurement.timeFileOperations(
            stateBytes: bytes, operations: operations, directory: directory,
            writeBehind: writeBehind, readAhead: readAhead, repetitions: 5)
        let b = Double(timed.bytes)
        print(String(format: "  %11d", timed.bytes), microseconds(timed.writeSeconds), microseconds(fit.writeLatency + b / fit.writeBandwidth),
              microseconds(timed.readSeconds), microseconds(fit.readLatency + b / fit.readBandwidth),
              microseconds(try discardSeconds(stateBytes: bytes, operations: operations, writeBehind: writeBehind, readAhead: readAhead)))
    }
}
