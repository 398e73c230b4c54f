import ArgumentParser
import Rewind

/// `rewind demo`: a real adjoint computation under a memory budget too small to store all.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Differentiate a real ODE solve or control problem within a memory budget too small to store every state.",
        discussion: """
        Runs one of the AdjointODE library's problems, computes the exact discrete-adjoint gradient with \
        binomial checkpointing inside --memory (by default 1% of what storing every state needs, plus the adjoint's working set), shows a \
        progress bar on stderr when it is a terminal, then prints the gradient checks (bitwise against \
        store-all, and central finite differences), the checkpointing statistics and the times.

        Problems: lorenz96 (Lorenz-96, RK4, gradient with respect to x0 and F), burgers (viscous \
        Burgers, method of lines, RK4, gradient with respect to u0 and ν), and walther-narayanan (an \
        optimal-control problem with an analytic optimum, solved by single shooting and L-BFGS-B with the \
        checkpointed gradient, compared bitwise with the store-all solve).

        With --disk (lorenz96), the driver's planned gradient checkpoints over memory and files: the \
        planner picks store-all, revolve or the two-level schedule, the slots and the codec by least \
        predicted time; the result is compared bitwise with store-all and with a finite difference in F.

        Example:
          rewind demo --problem lorenz96 --sites 40 --steps 10000 --memory 64KB
          rewind demo --problem burgers
          rewind demo --problem lorenz96 --steps 20000 --memory 64KB --disk 2MB --compress --trace run.json
        """
    )

    enum Problem: String, CaseIterable, ExpressibleByArgument { case lorenz96, burgers, control = "walther-narayanan" }

    @Option(help: "The problem: \(Problem.allCases.map(\.rawValue).joined(separator: ", ")).")
    var problem: Problem = .lorenz96

    @Option(parsing: .unconditional, help: "Memory budget for the checkpoints, e.g. 64KB (default: 1% of store-all, at least what the adjoint needs).",
            transform: PlanCommand.parseBytes)
    var memory: ByteCount?

    @Option(parsing: .unconditional, help: "lorenz96: also checkpoint to disk within this budget, e.g. 10MB (the planner chooses levels, slots and codec).",
            transform: PlanCommand.parseBytes)
    var disk: ByteCount?

    @Flag(help: "With --disk: offer shuffle+zstd compression to the planner.")
    var compress = false

    @Option(help: "With --disk: write the run's trace JSON here (read it with rewind trace FILE).")
    var trace: String?

    @Flag(help: "With --disk: measure the checkpoint files' latency and bandwidth first (about a second) instead of assuming 50 µs + b / 500 MB/s per write and 30 µs + b / 1 GB/s per read.")
    var measureDisk = false

    @Option(parsing: .unconditional, help: "lorenz96: the number of sites N (state size).")
    var sites: Int = 40

    @Option(parsing: .unconditional, help: "lorenz96: the number of RK4 steps n.")
    var steps: Int = 10_000

    @Option(parsing: .unconditional, help: "lorenz96: the time horizon T (chaos makes finite differences unreliable beyond T ≈ 3).")
    var horizon: Double = 2

    @Option(parsing: .unconditional, help: "burgers: the number of cells.")
    var cells: Int = 2_000

    @Option(parsing: .unconditional, help: "walther-narayanan: control intervals N (10 RK4 substeps each).")
    var intervals: Int = 100

    func validate() throws {
        try positive(sites, "--sites", "number of Lorenz-96 sites")
        guard sites >= 4 else { throw ValidationError("--sites must be at least 4 for Lorenz-96, got \(sites); pass 4 or more") }
        try positive(steps, "--steps", "number of steps")
        try positive(cells, "--cells", "number of cells")
        try positive(intervals, "--intervals", "number of control intervals")
        guard horizon > 0, horizon.isFinite else { throw ValidationError("--horizon must be positive, got \(horizon); pass a time such as 2") }
        if disk != nil, problem != .lorenz96 {
            throw ValidationError("--disk applies to --problem lorenz96 only; drop --disk or use --problem lorenz96")
        }
        if disk == nil, compress || trace != nil || measureDisk {
            throw ValidationError("--compress, --trace and --measure-disk need a disk run; add --disk such as 10MB")
        }
        if let memory, memory.bytes < 1 { throw ValidationError("--memory must be positive, got \(memory); pass a budget such as 64KB") }
    }

    /// Bytes one state of the problem takes, the augmented running-cost value included.
    var stateBytes: Int {
        switch problem {
        case .lorenz96: (sites + 1) * 8
        case .burgers: (cells + 1) * 8
        case .control: 2 * 8
        }
    }

    func run() throws {
        if problem == .control { return try runControl() }
        let progress = ProgressBar()
        if let disk {
            // The driver's own working copies and the disk store's buffers come off --memory:
            // by default leave room for them and 16 memory slots.
            let demo = DiskDemo(sites: sites, steps: steps, horizon: horizon, memory: memory?.bytes ?? 32 * stateBytes,
                                disk: disk.bytes, compression: compress, trace: trace, measuresDisk: measureDisk)
            let (text, passed) = try demo.run(progress: progress)
            FileOutput.standardOutput().write(text + "\n")
            if !passed { throw ExitCode.failure }
            return
        }
        var options = CheckpointingOptions()
        options.progress = { progress.update($0) }
        let result: ODEExampleResult
        let budget: Int
        switch problem {
        case .lorenz96:
            budget = memory?.bytes ?? defaultBudget(steps: steps, dimension: sites)
            result = try ODEExamples.lorenz96(sites: sites, steps: steps, horizon: horizon, memory: .bytes(budget), compareWithStoreAll: true, options: options)
        case .burgers:
            // n as the example chooses it: the explicit stability limit dt = 0.2·Δx²/ν over T = 0.01.
            let dx = 2 * Double.pi / Double(cells)
            let n = Int((0.01 / (0.2 * dx * dx / 0.05)).rounded(.up))
            budget = memory?.bytes ?? defaultBudget(steps: n, dimension: cells)
            result = try ODEExamples.viscousBurgers(cells: cells, memory: .bytes(budget), compareWithStoreAll: true, options: options)
        case .control:
            preconditionFailure("handled by runControl()")
        }
        progress.finish()
        FileOutput.standardOutput().write(DemoSummary(result: result, stateBytes: stateBytes, budget: budget).text + "\n")
        if !result.passed { throw ExitCode.failure }
    }

    /// Solves the Walther–Narayanan optimal-control problem twice, with the checkpointed
    /// gradient inside the budget and with store-all, and compares the two solves bitwise.
    func runControl() throws {
        let substeps = 10
        let steps = intervals * substeps
        // 1% of store-all's (S + 1) states, at least 4 slots; --memory also pays for single
        // shooting's working set, which the library takes out first.
        let memory: MemoryBudget = self.memory.map { .bytes($0.bytes) } ?? .slots(Swift.max(4, (steps + 1) / 100))
        let progress = ProgressBar()
        let checkpointed = try WaltherNarayanan.run(intervals: intervals, substeps: substeps, checkpointing: .revolve(memory: memory)) { report in
            progress.update(status: "L-BFGS-B iteration \(report.optimizer.iteration), objective \(report.optimizer.objective)")
            return .proceed
        }
        progress.finish()
        let storeAll = try WaltherNarayanan.run(intervals: intervals, substeps: substeps, checkpointing: .storeAll)
        let summary = ControlDemoSummary(checkpointed: checkpointed, storeAll: storeAll, stateBytes: stateBytes)
        FileOutput.standardOutput().write(summary.text + "\n")
        if !summary.passed { throw ExitCode.failure }
    }

    /// 1% of what storing all n + 1 states takes (at least 8 states), plus the RK4
    /// adjoint's own working set ((3·4 + 2)·N doubles of stages and 4 states for the driver),
    /// which the library takes out of the budget first.
    func defaultBudget(steps n: Int, dimension: Int) -> Int {
        let working = 14 * dimension * 8 + 4 * stateBytes
        return working + Swift.max(8 * stateBytes, (n + 1) * stateBytes / 100)
    }
}

/// The demo's printout: the library's own report, then what the budget bought.
struct DemoSummary {
    var result: ODEExampleResult
    var stateBytes: Int
    /// The memory budget in bytes, the adjoint's working set included.
    var budget: Int

    var text: String {
        let s = result.checkpointing
        let n = s.steps
        let slots = s.capacities.values.reduce(0, +)
        let storeAll = (n + 1) * stateBytes
        var lines = [result.description, ""]
        lines.append("memory budget \(Format.bytes(budget)), working set included: \(slots) checkpoint slots of \(Format.bytes(s.stateBytes)); "
            + "storing all \(n + 1) states would need \(Format.bytes(storeAll)) (\(Format.decimal(Double(storeAll) / Double(max(1, budget)), digits: 1))× the budget)")
        let optimal = (try? BinomialCheckpointing.minimalAdvances(steps: n, slots: max(1, slots))).map(String.init) ?? "?"
        lines.append("advances \(s.advances) = t(\(n), \(slots)) = \(optimal) (recording \(s.recordingAdvances), recomputation \(s.recomputationAdvances)), "
            + "reverses \(s.reverses), stores \(s.totalStores), restores \(s.totalRestores), peak checkpoint memory \(Format.bytes(s.peakCheckpointBytes))")
        lines.append("time: forward solve \(Format.seconds(result.forwardSeconds)), gradient \(Format.seconds(result.gradientSeconds)) "
            + "(\(Format.decimal(result.gradientSeconds / max(result.forwardSeconds, 1e-300), digits: 1))× the solve): recording \(Format.seconds(s.recordingSeconds)), "
            + "recomputation \(Format.seconds(s.recomputationSeconds)), reverse \(Format.seconds(s.reverseSeconds)) (stores and restores are charged to the phase they happen in)")
        lines.append(result.passed ? "all checks passed" : "SOME CHECKS FAILED")
        return lines.joined(separator: "\n")
    }
}

/// The optimal-control demo's printout: the library's summary, the bitwise comparison with
/// the store-all solve, and the checkpointing counts of the last gradient.
struct ControlDemoSummary {
    var checkpointed: ControlDemoResult
    var storeAll: ControlDemoResult
    var stateBytes: Int

    /// The checkpointed solve took the same path as store-all: same objective, controls and
    /// iterations, bit for bit (its gradients were bitwise equal at every iterate).
    var identical: Bool {
        let (a, b) = (checkpointed.solution, storeAll.solution)
        return a.objective == b.objective && a.controls == b.controls && a.iterations == b.iterations
    }

    var passed: Bool { identical }

    var text: String {
        let s = checkpointed.solution
        var lines = [checkpointed.summary, ""]
        lines.append("[\(identical ? "ok" : "FAIL")] checkpointed solve == store-all solve (bitwise objective, controls and iterations)")
        if let g = s.gradientStatistics {
            let slots = g.capacities.values.reduce(0, +)
            let optimal = (try? BinomialCheckpointing.minimalAdvances(steps: g.steps, slots: Swift.max(1, slots))).map(String.init) ?? "?"
            lines.append("each gradient: \(slots) checkpoint slots for \(g.steps) steps; advances \(g.advances) = t(\(g.steps), \(slots)) = \(optimal), reverses \(g.reverses)")
            lines.append("peak checkpoint memory \(Format.bytes(s.peakCheckpointBytes)); storing all \(g.steps + 1) states would need "
                + Format.bytes((g.steps + 1) * Swift.max(g.stateBytes, stateBytes)))
        }
        lines.append("time: checkpointed solve \(Format.seconds(checkpointed.seconds)), store-all solve \(Format.seconds(storeAll.seconds))")
        lines.append(passed ? "all checks passed" : "SOME CHECKS FAILED")
        return lines.joined(separator: "\n")
    }
}
