import CheckpointedAD
import OptimalControl

/// The problems `rewind demo` runs.
package enum DemoProblem: String, CaseIterable, Sendable {
    /// Lorenz-96, RK4, gradient with respect to x0 and F (``ODEExamples/lorenz96(sites:steps:horizon:memory:compareWithStoreAll:options:)``,
    /// or ``DiskDemo`` with a disk budget).
    case lorenz96
    /// Viscous Burgers by the method of lines, RK4, gradient with respect to u0 and ν.
    case burgers
    /// Walther & Narayanan's optimal-control problem, solved by single shooting and L-BFGS-B.
    case control = "walther-narayanan"
    /// CasADi's Van der Pol optimal-control example, single or multiple shooting, L-BFGS-B
    /// or IPOPT (``VanDerPolDemo``).
    case vanDerPol = "vanderpol"
    /// Robertson's stiff kinetics, implicit methods (``StiffDemo``).
    case robertson
    /// The 1-D Brusselator with a banded Jacobian, implicit methods (``StiffDemo``).
    case brusselator
    /// Van der Pol with μ = 1000, implicit methods (``StiffDemo``).
    case vanDerPolStiff = "vanderpol-stiff"

    /// The observed order of every implicit method's adjoint gradient
    /// (``ImplicitAdjointConvergence/report()``).
    case implicitOrder = "implicit-order"

    /// The ``StiffDemo`` problem, or nil for the explicit demos.
    package var stiffProblem: StiffDemo.Problem? { StiffDemo.Problem(rawValue: rawValue) }
}

/// One run of `rewind demo`: a real adjoint computation under a memory budget too small to
/// store every state, checked against store-all (bitwise) and finite differences. The CLI
/// parses and validates the options; this sets the problem up, runs it and writes the
/// printout.
///
/// ```swift
/// let demo = Demo(problem: .lorenz96, memory: nil, disk: nil, compression: false, trace: nil, measuresDisk: false,
///                 sites: 40, steps: 10_000, horizon: 2, cells: 2_000, intervals: 100)
/// let (text, passed) = try demo.run(progress: bar)
/// ```
package struct Demo {
    /// The problem.
    package var problem: DemoProblem
    /// The memory budget in bytes (nil: 1% of store-all, at least what the adjoint needs).
    package var memory: Int?
    /// lorenz96: also checkpoint to disk within this many bytes (``DiskDemo``).
    package var disk: Int?
    /// With `disk`: offer shuffle+zstd compression to the planner.
    package var compression: Bool
    /// With `disk`: write the run's trace JSON to this path.
    package var trace: String?
    /// With `disk`: measure the checkpoint files' latency and bandwidth first.
    package var measuresDisk: Bool
    /// With `disk`: where the run's checkpoint directory goes (`nil`: `$TMPDIR`, else `/tmp`).
    package var checkpointDirectory: String?
    /// lorenz96: N sites.
    package var sites: Int
    /// lorenz96: n RK4 steps.
    package var steps: Int
    /// lorenz96: the time horizon T.
    package var horizon: Double
    /// burgers: the number of cells.
    package var cells: Int
    /// walther-narayanan: N control intervals (10 RK4 substeps each).
    package var intervals: Int

    /// A demo; the CLI passes its validated options.
    package init(problem: DemoProblem, memory: Int?, disk: Int?, compression: Bool, trace: String?, measuresDisk: Bool,
                sites: Int, steps: Int, horizon: Double, cells: Int, intervals: Int, checkpointDirectory: String? = nil) {
        self.problem = problem
        self.memory = memory
        self.disk = disk
        self.compression = compression
        self.trace = trace
        self.measuresDisk = measuresDisk
        self.checkpointDirectory = checkpointDirectory
        self.sites = sites
        self.steps = steps
        self.horizon = horizon
        self.cells = cells
        self.intervals = intervals
    }

    /// Bytes one state of the problem takes, the augmented running-cost value included.
    package var stateBytes: Int {
        switch problem {
        case .lorenz96: (sites + 1) * 8
        case .burgers: (cells + 1) * 8
        case .control: 2 * 8
        case .vanDerPol: 3 * 8
        case .robertson: 4 * 8
        case .brusselator: 1001 * 8
        case .vanDerPolStiff: 3 * 8
        case .implicitOrder: 4 * 8
        }
    }

    /// Runs the demo; returns the printout and whether every check passed.
    package func run(progress: some DemoProgress) throws -> (text: String, passed: Bool) {
        if problem == .control { return try runControl(progress: progress) }
        if let disk {
            // The driver's own working copies and the disk store's buffers come off --memory:
            // by default leave room for them and 16 memory slots.
            let demo = DiskDemo(sites: sites, steps: steps, horizon: horizon, memory: memory ?? 32 * stateBytes,
                                disk: disk, compression: compression, trace: trace, measuresDisk: measuresDisk,
                                checkpointDirectory: checkpointDirectory)
            return try demo.run(progress: progress)
        }
        var options = CheckpointingOptions()
        options.progress = { progress.update($0) }
        let result: ODEExampleResult
        let budget: Int
        switch problem {
        case .robertson, .brusselator, .vanDerPolStiff, .implicitOrder, .vanDerPol:
            preconditionFailure("stiff problems run through StiffDemo, the order table through ImplicitAdjointConvergence, vanderpol through VanDerPolDemo")
        case .lorenz96:
            budget = memory ?? defaultBudget(steps: steps, dimension: sites)
            result = try ODEExamples.lorenz96(sites: sites, steps: steps, horizon: horizon, memory: .bytes(budget), compareWithStoreAll: true, options: options)
        case .burgers:
            // n as the example chooses it: the explicit stability limit dt = 0.2·Δx²/ν over T = 0.01.
            let dx = 2 * Double.pi / Double(cells)
            let n = Int((0.01 / (0.2 * dx * dx / 0.05)).rounded(.up))
            budget = memory ?? defaultBudget(steps: n, dimension: cells)
            result = try ODEExamples.viscousBurgers(cells: cells, memory: .bytes(budget), compareWithStoreAll: true, options: options)
        case .control:
            preconditionFailure("handled by runControl(progress:)")
        }
        progress.finish()
        return (DemoSummary(result: result, stateBytes: stateBytes, budget: budget).text, result.passed)
    }

    /// Solves the Walther–Narayanan optimal-control problem twice, with the checkpointed
    /// gradient inside the budget and with store-all, and compares the two solves bitwise.
    func runControl(progress: some DemoProgress) throws -> (text: String, passed: Bool) {
        let substeps = 10
        let steps = intervals * substeps
        // 1% of store-all's (S + 1) states, at least 4 slots; --memory also pays for single
        // shooting's working set, which the library takes out first.
        let memory: MemoryBudget = self.memory.map { .bytes($0) } ?? .slots(Swift.max(4, (steps + 1) / 100))
        let checkpointed = try WaltherNarayanan.run(intervals: intervals, substeps: substeps, checkpointing: .revolve(memory: memory)) { report in
            progress.update(status: "L-BFGS-B iteration \(report.optimizer.iteration), objective \(report.optimizer.objective)")
            return .proceed
        }
        progress.finish()
        let storeAll = try WaltherNarayanan.run(intervals: intervals, substeps: substeps, checkpointing: .storeAll)
        let summary = ControlDemoSummary(checkpointed: checkpointed, storeAll: storeAll, stateBytes: stateBytes)
        return (summary.text, summary.passed)
    }

    /// 1% of what storing all n + 1 states takes (at least 8 states), plus the RK4
    /// adjoint's own working set ((3·4 + 2)·N doubles of stages and 4 states for the driver),
    /// which the library takes out of the budget first.
    func defaultBudget(steps n: Int, dimension: Int) -> Int {
        let working = 14 * dimension * 8 + 4 * stateBytes
        return working + Swift.max(8 * stateBytes, (n + 1) * stateBytes / 100)
    }
}
