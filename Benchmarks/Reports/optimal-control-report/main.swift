// optimal-control-report: the optimal-control targets of the IPOPT / multiple-shooting work,
// each against its reference optimum, with wall times (best of three) and the load average.
//
//   swift run -c release --package-path Benchmarks optimal-control-report [quick] [casadi PYTHON]
//       [only TEXT] [ipopt NAME=VALUE]… [start simulated|zero]
//
// `casadi PYTHON` runs CasADi side by side (a Python with casadi 3.8.2, outside the package):
//   python3 -m venv /tmp/casadienv && /tmp/casadienv/bin/pip install casadi==3.8.2
//   swift run -c release --package-path Benchmarks optimal-control-report casadi /tmp/casadienv/bin/python
//
// Van der Pol as in CasADi's examples: RK4 with 4 steps per control interval, the running cost
// integrated by the same stages, |u| ≤ 1; "path" adds x1 ≥ −0.25 at the interval ends.
// References: the issue's optima (CasADi, IPOPT with exact Hessian); for T = 250 CasADi's
// optimum at tol 1e-12, 2.8769372961954556, which is 2.9e-7 below the issue's 2.8769381287379643
// (CasADi at its default tol 1e-8 gives 2.8769373081927, so the issue's value is not a tight
// optimum of this transcription; both are printed).
//
// IPOPT rows use `Ipopt()`: multiple shooting's Lagrangian Hessian by forward differences of the
// interval adjoints, single shooting's limited-memory approximation; the "limited-memory
// Hessian" rows force the approximation for contrast. A second table splits each IPOPT solve's
// wall time between IPOPT and the callbacks (`IpoptResult.timing`).
//
// `quick` skips single-shooting L-BFGS-B at T = 250 (the slow contrast); `only TEXT` runs the
// rows whose name contains TEXT; `ipopt NAME=VALUE` passes an IPOPT option to every IPOPT row
// (`ipopt print_level=5 ipopt print_timing_statistics=yes` prints IPOPT's own accounting);
// `start simulated|zero` starts multiple shooting from the simulated trajectory or zeros.
//
// Last run (2026-12-07, release, 2 shared cores, load average 8.0 → 10.2), side by side:
//   path, N = 20: Rewind 0.009 s wall (0.005 CPU), CasADi 0.004 s (0.004): 2.2× wall
//   path, N = 2000: Rewind −2.7e-12, 18 it., 0.778 s (0.316), CasADi 19 it., 0.558 s (0.310): 1.40×
//   T = 250, N = 2000: Rewind 1.4e-11, 13 it., 0.609 s (0.244), CasADi 13 it., 0.436 s (0.211): 1.40×
//   limited-memory Hessian: path 1.86 s, T = 250 1.57 s; L-BFGS-B single, T = 250: J = 908 after 500 iterations
import Foundation
import ReportSupport
import Rewind
import RewindExamples

struct Row {
    var name: String
    var reference: Double
    var solution: ControlSolution
    var seconds: Double
    var cpuSeconds: Double
}

/// Runs `body` three times (once when it takes over 5 s) and keeps the fastest.
func measure(_ name: String, reference: Double, _ body: () throws -> ControlSolution) -> Row? {
    if let only, !name.contains(only) { return nil }
    var best: Row?
    for attempt in 0..<3 {
        var solution: ControlSolution?
        var failure: (any Error)?
        let cpu = processCPUSeconds()
        let seconds = elapsed(on: .wall) { do { solution = try body() } catch { failure = error } }
        let cpuUsed = processCPUSeconds() - cpu
        if let failure { print("| \(name) | failed: \(failure) |"); return nil }
        if best == nil || seconds < best!.seconds {
            best = Row(name: name, reference: reference, solution: solution!, seconds: seconds, cpuSeconds: cpuUsed)
        }
        if seconds > 5 || attempt == 2 { break }
    }
    return best
}

/// Where the IPOPT solves' time went, one line per printed row.
nonisolated(unsafe) var timings: [String] = []

func print(_ row: Row) {
    let s = row.solution
    let relative = (s.objective - row.reference) / row.reference
    if let t = s.ipopt?.timing, !row.name.hasPrefix(" ") {
        timings.append(String(format: "| %@ | %d | %.3f | %.3f (%d) | %.3f (%d) | %.3f (%d) | %.1f |", row.name, s.iterations, t.ipoptSeconds,
                              t.valueSeconds, s.ipopt!.valueEvaluations, t.derivativeSeconds, s.ipopt!.derivativeEvaluations,
                              t.hessianSeconds, t.hessianEvaluations, 1000 * t.totalSeconds / Double(max(1, s.iterations))))
    }
    print("| \(row.name) | \(String(format: "%.16g", s.objective)) | \(String(format: "%.1e", relative)) | \(abs(relative) <= 1e-8 ? "yes" : "NO") | \(s.iterations) | \(s.evaluations) | \(s.stopSummary) | \(String(format: "%.3f", row.seconds)) | \(String(format: "%.3f", row.cpuSeconds)) |")
}

let quick = CommandLine.arguments.contains("quick")
/// `only <text>`: run only the rows whose name contains the text (for profiling one case).
let only: String? = CommandLine.arguments.firstIndex(of: "only").flatMap { i in
    i + 1 < CommandLine.arguments.count ? CommandLine.arguments[i + 1] : nil
}
print("# Optimal-control targets (release build)\n")
print("Load average before: \(loadAverage())\n")
print("| run | objective | relative to reference | within 1e-8 | iterations | gradient evaluations | stop | wall seconds (best of 3) | CPU seconds (that run) |")
print("|---|---|---|---|---|---|---|---|---|")

// 1. Converged defaults: L-BFGS-B single shooting without constraints.
for (n, reference) in [(20, 2.933007288660799), (2000, 2.8733100986225)] {
    if let row = measure("L-BFGS-B defaults, single, T = 10, N = \(n)", reference: reference, {
        try VanDerPol.problem().solve(intervals: n, substeps: 4)
    }) { print(row) }
}

// 2. The three targets with IPOPT and multiple shooting, and single shooting where it works.
let path20 = 3.7329693928836893, path2000 = 3.6151898598051586
let long = 2.8769381287379643, longTight = 2.8769372961954556
/// `ipopt name=value`: an extra IPOPT option for every IPOPT row (repeatable; integers,
/// then numbers, then strings).
let extraOptions: [String: IpoptOptionValue] = Dictionary(uniqueKeysWithValues: CommandLine.arguments.indices.compactMap { i in
    guard CommandLine.arguments[i] == "ipopt", i + 1 < CommandLine.arguments.count else { return nil }
    let pair = CommandLine.arguments[i + 1].split(separator: "=", maxSplits: 1).map(String.init)
    guard pair.count == 2 else { return nil }
    let value: IpoptOptionValue = Int(pair[1]).map { .integer($0) } ?? Double(pair[1]).map { .number($0) } ?? .string(pair[1])
    return (pair[0], value)
})
let targets: [(String, Double, ControlProblem, Int, ShootingMethod, IpoptHessian)] = [
    ("IPOPT, multiple, path, T = 10, N = 20", path20, VanDerPol.problem(pathConstraint: true), 20, .multiple, .automatic),
    ("IPOPT, single, path, T = 10, N = 20", path20, VanDerPol.problem(pathConstraint: true), 20, .single, .automatic),
    ("IPOPT, multiple, path, T = 10, N = 2000", path2000, VanDerPol.problem(pathConstraint: true), 2000, .multiple, .automatic),
    ("IPOPT, multiple, T = 250, N = 2000", longTight, VanDerPol.problem(horizon: 250), 2000, .multiple, .automatic),
    ("IPOPT limited-memory Hessian, multiple, path, T = 10, N = 2000", path2000, VanDerPol.problem(pathConstraint: true), 2000, .multiple, .limitedMemory),
    ("IPOPT limited-memory Hessian, multiple, T = 250, N = 2000", longTight, VanDerPol.problem(horizon: 250), 2000, .multiple, .limitedMemory),
]
/// `start simulated|zero`: multiple shooting's initial node states instead of the default x₀
/// at every node (the trajectory of the starting controls, or zeros as CasADi's example).
let startIndex = CommandLine.arguments.firstIndex(of: "start")
let startKind = startIndex.flatMap { $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil } ?? "initial"
for (name, reference, problem, n, shooting, hessian) in targets {
    if let row = measure(name, reference: reference, {
        let ipopt = Ipopt(hessian: hessian, options: extraOptions)
        guard shooting == .multiple, startKind != "initial" else {
            return try problem.solve(intervals: n, substeps: 4, shooting: shooting, solver: .ipopt(ipopt))
        }
        let transcription = MultipleShooting(problem: problem, intervals: n, substeps: 4)
        let nodes = startKind == "simulated"
            ? try transcription.simulatedStates(controls: transcription.singleShooting.defaultControls)
            : (0...n).map { k in k == 0 ? problem.initialState : Array(repeating: 0.0, count: problem.stateDimension) }
        return try transcription.solve(initialStates: nodes, ipopt: ipopt)
    }) {
        print(row)
        if n == 2000 && problem.horizon.upperBound == 250 {
            var issue = row
            issue.name = "  the same against the issue's reference 2.8769381287379643"
            issue.reference = long
            print(issue)
        }
    }
}

print("\nWhere the time of those IPOPT solves went (wall seconds of the best run; calls in parentheses):\n")
print("| run | iterations | inside IPOPT | values f, g | derivatives ∇f, Jacobian | Hessian | ms per iteration |")
print("|---|---|---|---|---|---|---|")
for line in timings { print(line) }

// 3. Checkpointed adjoints inside each interval give the same solve bit for bit.
if only == nil {
    let budgeted = try MultipleShooting(problem: VanDerPol.problem(pathConstraint: true), intervals: 20, substeps: 4,
                                        checkpointing: .revolve(memory: .bytes(800))).solve()
    let storeAll = try MultipleShooting(problem: VanDerPol.problem(pathConstraint: true), intervals: 20, substeps: 4).solve()
    print("\nMultiple shooting, N = 20, interval sweeps under an 800-byte revolve budget (two checkpoints of 24 bytes beside the 720-byte minimum) vs store-all: objective \(budgeted.objective) vs \(storeAll.objective), controls bitwise equal: \(budgeted.controls == storeAll.controls)")
}

// 4. Side by side with CasADi (`casadi <python with casadi 3.8.2>`): rounds of Rewind's
// default multiple-shooting solve (best of 3) then CasADi's (best of 3, expanded SX graph,
// exact Hessian, tol 1e-10), alternating so that both see the same load; the best of the
// rounds of each.
if let index = CommandLine.arguments.firstIndex(of: "casadi"), index + 1 < CommandLine.arguments.count {
    let python = CommandLine.arguments[index + 1]
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Peers/casadi_vanderpol.py").path
    /// CasADi's best-of-3 (wall, CPU) seconds and iterations, from the script's line.
    func casadi(_ n: Int, _ horizon: Double, _ path: Bool) -> (wall: Double, cpu: Double, iterations: Int, objective: Double)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "\(n)", "\(horizon)", path ? "path" : "free", "3"]
        process.environment = ProcessInfo.processInfo.environment.merging(["CASADI_EXPAND": "1", "IPOPT_TOL": "1e-10"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "... objective 3.61..., 19 iterations, Solve_Succeeded, best of 3: 0.383 s wall, 0.303 s CPU"
        guard let match = output.firstMatch(of: /objective ([0-9.e+-]+), ([0-9]+) iterations.*best of 3: ([0-9.]+) s wall, ([0-9.]+) s CPU/),
              let objective = Double(match.1), let iterations = Int(match.2), let wall = Double(match.3), let cpu = Double(match.4) else {
            print(output)
            return nil
        }
        return (wall, cpu, iterations, objective)
    }
    let rounds = 3
    print("\nSide by side with CasADi 3.8.2 (\(rounds) alternating rounds, best of each; load before: \(loadAverage()))\n")
    print("| problem | Rewind objective | Rewind it. | Rewind wall s | Rewind CPU s | CasADi objective | CasADi it. | CasADi wall s | CasADi CPU s | wall ratio | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (name, problem, n, reference) in [("path, T = 10, N = 20", VanDerPol.problem(pathConstraint: true), 20, path20),
                                          ("path, T = 10, N = 2000", VanDerPol.problem(pathConstraint: true), 2000, path2000),
                                          ("T = 250, N = 2000", VanDerPol.problem(horizon: 250), 2000, longTight)] {
        var ours: Row?, theirs: (wall: Double, cpu: Double, iterations: Int, objective: Double)?
        for _ in 0..<rounds {
            if let row = measure(name, reference: reference, { try problem.solve(intervals: n, substeps: 4, shooting: .multiple, solver: .ipopt(Ipopt())) }),
               ours == nil || row.seconds < ours!.seconds { ours = row }
            if let result = casadi(n, problem.horizon.upperBound, problem.stateLower[0].isFinite),
               theirs == nil || result.wall < theirs!.wall { theirs = result }
        }
        guard let ours, let theirs else { print("| \(name) | failed | | | | | | | | | |"); continue }
        print(String(format: "| %@ | %.16g | %d | %.3f | %.3f | %.16g | %d | %.3f | %.3f | %.2f | %.2f |", name, ours.solution.objective,
                     ours.solution.iterations, ours.seconds, ours.cpuSeconds, theirs.objective, theirs.iterations, theirs.wall, theirs.cpu,
                     ours.seconds / theirs.wall, ours.cpuSeconds / theirs.cpu))
    }
    print("\nLoad average after the side-by-side runs: \(loadAverage())")
}

// 5. The contrast: single shooting on the long horizon.
if !quick && only == nil {
    print("\n| single shooting on the long horizon (500 iterations at most) | objective | relative to 2.8769372961954556 | iterations | stop | seconds |")
    print("|---|---|---|---|---|---|")
    let clock = ContinuousClock()
    var solution: ControlSolution?
    var failure = ""
    let elapsed = clock.measure {
        do { solution = try VanDerPol.problem(horizon: 250).solve(intervals: 2000, substeps: 4, solver: .lbfgsb(LBFGSB(maximumIterations: 500))) } catch { failure = "\(error)" }
    }
    if let s = solution {
        print("| L-BFGS-B, single, T = 250, N = 2000 | \(s.objective) | \(String(format: "%.1e", (s.objective - longTight) / longTight)) | \(s.iterations) | \(s.stopSummary) | \(elapsed) |")
    } else {
        print("| L-BFGS-B, single, T = 250, N = 2000 | failed: \(failure) | | | | \(elapsed) |")
    }
}
print("\nLoad average after: \(loadAverage())")
