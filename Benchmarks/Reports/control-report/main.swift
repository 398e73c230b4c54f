// control-report: iterations, evaluations and time to solve each problem of the
// optimal-control library, the Walther–Narayanan convergence table, and the heat problem's
// peak memory against its budget.
//
//   swift run -c release --package-path Benchmarks control-report [quick]
//
// `quick` skips the two long runs (Van der Pol N = 2000 and the heat problem); `profile`
// only times one gradient per step of Van der Pol N = 2000 for each gradient strategy.
//
// Last full run (2026-11-21, release, 2 shared cores; times are noisy):
//   Van der Pol N = 20 × 4 RK4: 52 iterations, 77 evaluations, 0.035 s (store-all)
//   Van der Pol N = 2000 × 4 RK4, 64 kB budget: 117 iterations, 131 evaluations, 6.5 s
//   Walther–Narayanan N = 16…128: 16–17 iterations, ≤ 31 evaluations, ≤ 0.013 s
//   Cart-pole N = 50 × 4: 699 iterations, 871 evaluations, 3.2 s
//   Heat, 1000 cells × 10⁴ steps, 1 MB budget (trajectory 80 MB): 60 iterations (cap),
//     65 evaluations, 30 s; peak adjoint memory 994 512 B ≤ 1 000 000 B (105 slots,
//     24 222 advances per gradient); RSS growth 1.6 MB (one store-all gradient: RSS 103 MB);
//     misfit 1.11 → 0.0035; one gradient 0.46 s checkpointed vs 0.52 s store-all, same bits
import Foundation
import ReportSupport
import Rewind
import RewindExamples

func row(_ r: ControlDemoResult) -> String {
    let s = r.solution
    return "| \(r.name) | \(r.intervals) | \(r.steps) | \(r.stateDimension) | \(r.checkpointing) | \(s.iterations) | \(s.evaluations) | \(s.outerIterations) | \(String(format: "%.6g", s.objective)) | \(s.stopReason) | \(String(format: "%.3f", r.seconds)) |"
}

let quick = CommandLine.arguments.contains("quick")
if CommandLine.arguments.contains("profile") {
    let clock = ContinuousClock()
    for checkpointing: Checkpointing<Vector> in [.storeAll, .revolve(memory: .unlimited), .revolve(memory: .bytes(64_000))] {
        let shooting = VanDerPol.shooting(intervals: 2000, substeps: 4, checkpointing: checkpointing)
        let u = Array(repeating: 0.1, count: 2000)
        _ = try shooting.objectiveAndGradient(controls: u)
        let t = clock.measure { for _ in 0..<5 { _ = try? shooting.objectiveAndGradient(controls: u) } }
        let v = clock.measure { for _ in 0..<5 { _ = shooting.objective(controls: u) } }
        print(checkpointing, "gradient per step:", t / 40000, "objective per step:", v / 40000)
    }
    exit(0)
}
print("# Optimal-control report (release build)\n")
print("| problem | N | S | n | gradient | iterations | evaluations | outer | objective | stop | seconds |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
var details: [ControlDemoResult] = []
@MainActor func report(_ r: ControlDemoResult) { print(row(r)); details.append(r) }

report(try VanDerPol.run(intervals: 20, substeps: 4))
report(try VanDerPol.run(intervals: 20, substeps: 4, checkpointing: .revolve(memory: .bytes(4096))))
report(try VanDerPol.run(intervals: 20, substeps: 4,
                         optimizer: LBFGSB(gradientTolerance: 1e-7, relativeObjectiveTolerance: 0, maximumIterations: 5000)))
if !quick {
    report(try VanDerPol.run(intervals: 2000, substeps: 4, checkpointing: .revolve(memory: .bytes(64_000))))
}
for n in [16, 32, 64, 128] { report(try WaltherNarayanan.run(intervals: n)) }
report(try CartPoleSwingUp.run(intervals: 50, substeps: 4))
let heatStart = peakResidentBytes()
var heatResult: ControlDemoResult?
if !quick {
    let heat = HeatEquationControl()
    let r = try heat.run(memory: .megabytes(1))
    report(r)
    heatResult = r
}
let heatPeak = peakResidentBytes()

print("\n## Measurements\n")
for r in details {
    print("- \(r.name) (N = \(r.intervals), \(r.checkpointing)): " + r.measurements.map { "\($0.name) = \(String(format: "%.4g", $0.value))" }.joined(separator: ", "))
}

print("\n## Walther–Narayanan: errors against the analytic optimum (piecewise-linear u, 1 RK4 step per interval)\n")
print("| N | max abs(u − u*) at nodes | order | max abs(y1 − y1*) at nodes | order | abs(J − J*) | order |")
print("|---|---|---|---|---|---|---|")
let walther = details.filter { $0.name == "Walther–Narayanan" }
for (i, r) in walther.enumerated() {
    let m = r.measurements.map(\.value)
    let previous = i > 0 ? walther[i - 1].measurements.map(\.value) : nil
    func order(_ j: Int) -> String { previous.map { String(format: "%.2f", log2($0[j] / m[j])) } ?? "" }
    print("| \(r.intervals) | \(String(format: "%.3e", m[0])) | \(order(0)) | \(String(format: "%.3e", m[1])) | \(order(1)) | \(String(format: "%.3e", m[2])) | \(order(2)) |")
}

if let r = heatResult {
    let m = Dictionary(uniqueKeysWithValues: r.measurements.map { ($0.name, $0.value) })
    print("\n## Heat problem: memory\n")
    print("- trajectory (all \(r.steps + 1) augmented states): \(Int(m["trajectory bytes"]!)) bytes")
    print("- budget: \(Int(m["budget bytes"]!)) bytes (\(String(format: "%.1f", m["trajectory bytes"]! / m["budget bytes"]!))× smaller than the trajectory)")
    print("- peak adjoint memory (checkpoints + the driver's 4 working states + the pullback's adjoint copy + stepper stages, controls, gradient): \(Int(m["peak adjoint bytes"]!)) bytes")
    print("- checkpoint slots: \(Int(m["checkpoint slots"]!)), advances per gradient: \(Int(m["advances per gradient"]!)), reverses: \(Int(m["reverses per gradient"]!))")
    print("- process peak RSS (VmHWM) before the heat run: \(heatStart) bytes, after: \(heatPeak) bytes (growth \(heatPeak - heatStart))")
    // For contrast: one store-all gradient of the same problem.
    let heat = HeatEquationControl()
    let u = heat.shooting().defaultControls
    let clock = ContinuousClock()
    var storeAllTime = Duration.zero
    var checkpointedTime = Duration.zero
    var equal = false
    let checkpointedGradient = try heat.shooting(checkpointing: .revolve(memory: .megabytes(1))).objectiveAndGradient(controls: u)
    checkpointedTime = clock.measure { _ = try? heat.shooting(checkpointing: .revolve(memory: .megabytes(1))).objectiveAndGradient(controls: u) }
    storeAllTime = clock.measure {
        let g = try? heat.shooting(checkpointing: .storeAll).objectiveAndGradient(controls: u)
        equal = g?.gradient == checkpointedGradient.gradient && g?.value == checkpointedGradient.value
    }
    print("- one gradient: checkpointed (1 MB) \(checkpointedTime), store-all \(storeAllTime); bitwise equal: \(equal)")
    print("- process peak RSS after one store-all gradient: \(peakResidentBytes()) bytes")
}
