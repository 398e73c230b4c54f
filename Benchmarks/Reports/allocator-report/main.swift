// The allocator report: what glibc's malloc settings do to a Lorenz-96 RK4 step written with
// `Vector` operations, run forward in a plain loop and differentiated by Swift AD
// (value with pullback, then the pullback), at N = 40, 4096, 65536 and 2^20.
//
//     swift run -c release --package-path Benchmarks allocator-report                 # the table
//     swift run -c release --package-path Benchmarks allocator-report default tuned   # some settings
//     swift run -c release --package-path Benchmarks allocator-report --child tuned 4096 vjp   # one cell
//
// Instructions per step (no hardware counters on a virtual machine): run one cell under
// valgrind with two step counts s and 2s; (Ir(2s) − Ir(s)) / (4s) is the count per step:
//     valgrind --tool=cachegrind --cache-sim=no --cache-out-file=/dev/null \
//         Benchmarks/.build/release/allocator-report --child vector 40 forward 20000
//
// mallopt is process-wide and cannot be undone, so every cell (setting, N, work) runs in its
// own child process: this executable re-executes itself with `--child`. Settings:
//
//   default   glibc as shipped (REWIND_MALLOC_TUNING=off: Vector does not tune)
//   vector    no call at all: whatever using `Vector` does by itself
//   tuned     AllocatorTuning.apply() by hand: trim threshold 512 MiB, mmap threshold 32 MiB
//   warmup    glibc's dynamic thresholds after one 4 MiB block is freed (mmap 4 MiB, trim 8 MiB)
//   trim      only the trim threshold at 512 MiB (mmap threshold fixed at 128 KiB)
//   small     trim threshold 512 MiB, mmap threshold 4 MiB (AllocatorTuning until 2026-12)
// (warmup, trim and small opt out of Vector's own tuning, as default does.)
//
// Work: `forward` (x ← step(x)), `vjp` (value with pullback at a fixed x, then the
// pullback), and `ring` (the forward loop keeping the last 12 states alive, as checkpoints
// that are replaced one by one: peak RSS beyond them is fragmentation).
//
// Per step: the least thread CPU time of three runs and minor page faults (getrusage
// ru_minflt), which do not depend on the load of a shared machine. Peak RSS is the child's
// VmHWM.
import _Differentiation
import CheckpointedAD
import CReportSupport
import Foundation
import ReportSupport

#if canImport(Glibc)
import Glibc
#endif

// MARK: The step

/// The right-hand side of Lorenz-96, dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F.
@differentiable(reverse)
func rhs(_ x: Vector, _ forcing: Double) -> Vector {
    (x.rolled(by: -1) - x.rolled(by: 2)) * x.rolled(by: 1) - x + forcing
}

/// One classical RK4 step written with `Vector` operations (as in the gradient report).
@differentiable(reverse)
func step(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
    let k1 = rhs(x, forcing)
    let k2 = rhs(Vector.axpy(dt / 2, k1, x), forcing)
    let k3 = rhs(Vector.axpy(dt / 2, k2, x), forcing)
    let k4 = rhs(Vector.axpy(dt, k3, x), forcing)
    return x + (dt / 6) * (k1 + 2 * (k2 + k3) + k4)
}

// MARK: Counters

/// Minor page faults of this process so far.
func minorFaults() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_minflt
}

// MARK: One cell, in a child process

enum Setting: String, CaseIterable {
    case `default`, vector, tuned, warmup, trim, small

    /// Applies the setting before anything is allocated.
    func apply() {
        if self != .vector && self != .tuned { setenv(AllocatorTuning.environmentVariable, "off", 1) }
        switch self {
        case .default: break
        case .vector: unsetenv(AllocatorTuning.environmentVariable)
        case .tuned: precondition(AllocatorTuning.apply(), "mallopt refused the tuning")
        case .warmup: rewind_allocate_and_free(4 << 20)
        case .trim: precondition(rewind_set_trim_threshold(512 << 20) == 1, "mallopt refused the trim threshold")
        case .small:
            precondition(rewind_set_trim_threshold(512 << 20) == 1 && rewind_set_mmap_threshold(4 << 20) == 1,
                         "mallopt refused the thresholds")
        }
    }
}

enum Work: String, CaseIterable {
    case forward, vjp, ring
}

/// Runs `steps` steps of `work` four times (the first one warms up); prints seconds and
/// faults per step (the least of the other three runs each), the peak RSS and whether the
/// tuning is in effect, tab-separated.
func runCell(_ setting: Setting, size: Int, work: Work, steps: Int?) {
    setting.apply()
    let forcing = 8.0, dt = 0.01
    let x0 = Vector((0..<size).map { forcing + 0.01 * sin(Double($0)) })
    let cotangent = Vector((0..<size).map { sin(0.37 * Double($0)) })
    var sink = 0.0
    let steps = steps ?? max(5, (work == .forward ? 10_000_000 : 3_000_000) / size)
    var best = (seconds: Double.infinity, faults: Double.infinity)
    for run in 0..<4 {
        let (t0, f0) = (threadCPUSeconds(), minorFaults())
        switch work {
        case .forward:
            var x = x0
            for _ in 0..<steps { x = step(x, forcing, dt) }
            sink += x.scalars[0]
        case .ring:
            var x = x0
            var kept = [Vector](repeating: x0, count: 12)
            for i in 0..<steps { x = step(x, forcing, dt); kept[i % kept.count] = x }
            sink += x.scalars[0] + kept[0].scalars[0]
        case .vjp:
            for _ in 0..<steps {
                let (value, pullback) = valueWithPullback(at: x0, forcing) { x, forcing in step(x, forcing, dt) }
                let (xBar, forcingBar) = pullback(cotangent)
                sink += value.scalars[0] + xBar.scalars[0] + forcingBar
            }
        }
        let (t1, f1) = (threadCPUSeconds(), minorFaults())
        if run == 0 { continue }
        best.seconds = min(best.seconds, (t1 - t0) / Double(steps))
        best.faults = min(best.faults, Double(f1 - f0) / Double(steps))
    }
    if sink.isNaN { print("(NaN)") }   // keeps the work alive
    print(best.seconds, best.faults, (processStatusBytes("VmHWM") ?? 0), AllocatorTuning.isApplied, separator: "\t")
}

// MARK: The table, in the parent

/// Runs one cell in a child process and returns its fields.
func child(_ setting: Setting, size: Int, work: Work) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--child", setting.rawValue, String(size), work.rawValue]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    precondition(process.terminationStatus == 0, "the child for \(setting) N = \(size) \(work) failed")
    return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
}

func microseconds(_ seconds: Double) -> String {
    seconds >= 1e-3 ? String(format: "%.0f", seconds * 1e6) : String(format: "%.2f", seconds * 1e6)
}

func runTable(settings: [Setting], sizes: [Int], works: [Work]) throws {
    print("Lorenz-96 RK4 step with Vector operations; per step: µs (thread CPU, least of 3 runs), minor page faults; peak RSS")
    print("load average before: \(loadAverage())")
    print("| work | N | setting | µs/step | faults/step | peak RSS MB | AllocatorTuning applied |")
    print("|---|---:|---|---:|---:|---:|---|")
    for work in works {
        for size in sizes {
            for setting in settings {
                let fields = try child(setting, size: size, work: work)
                let seconds = Double(fields[0]) ?? .nan, faults = Double(fields[1]) ?? .nan, peak = Double(fields[2]) ?? .nan
                print("| \(work) | \(size) | \(setting) | \(microseconds(seconds).leftPadded(8)) | \(String(format: faults < 10 ? "%.2f" : "%.0f", faults).leftPadded(6)) | "
                    + "\(String(format: "%.1f", peak / 1e6).leftPadded(7)) | \(fields[3]) |")
            }
        }
    }
    print("load average after: \(loadAverage())")
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--child" {
    guard arguments.count >= 4, let setting = Setting(rawValue: arguments[1]), let size = Int(arguments[2]),
          let work = Work(rawValue: arguments[3])
    else { fatalError("usage: allocator-report --child <setting> <N> <forward|vjp> [steps]") }
    runCell(setting, size: size, work: work, steps: arguments.dropFirst(4).first.flatMap { Int($0) })
} else {
    // Arguments: settings, work kinds and sizes, in any order; each defaults to all.
    var settings: [Setting] = [], works: [Work] = [], sizes: [Int] = []
    for argument in arguments {
        if let setting = Setting(rawValue: argument) { settings.append(setting) }
        else if let work = Work(rawValue: argument) { works.append(work) }
        else if let size = Int(argument) { sizes.append(size) }
        else { fatalError("unknown argument \(argument): give settings (\(Setting.allCases.map(\.rawValue).joined(separator: ", "))), work (forward, vjp, ring) or sizes") }
    }
    try runTable(settings: settings.isEmpty ? Setting.allCases : settings, sizes: sizes.isEmpty ? [40, 4096, 65536, 1 << 20] : sizes,
                 works: works.isEmpty ? Work.allCases : works)
}
