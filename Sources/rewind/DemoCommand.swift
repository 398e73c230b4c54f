import ArgumentParser
import CheckpointSchedules
import OptimalControl
import RewindExamples
import ScheduleInspector

/// `rewind demo`: a real adjoint computation under a memory budget too small to store all.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Differentiate a real ODE solve or control problem within a memory budget too small to store every state.",
        discussion: """
        Runs one of the RewindExamples problems, computes the exact discrete-adjoint gradient with \
        binomial checkpointing inside --memory (by default 1% of what storing every state needs, plus the adjoint's working set), shows a \
        progress bar on stderr when it is a terminal, then prints the gradient checks (bitwise against \
        store-all, and central finite differences), the checkpointing statistics and the times.

        Problems: lorenz96 (Lorenz-96, RK4, gradient with respect to x0 and F), burgers (viscous \
        Burgers, method of lines, RK4, gradient with respect to u0 and ν), and walther-narayanan (an \
        optimal-control problem with an analytic optimum, solved by single shooting and L-BFGS-B with the \
        checkpointed gradient, compared bitwise with the store-all solve).

        vanderpol solves CasADi's Van der Pol optimal-control example (RK4, 4 steps per control \
        interval, |u| ≤ 1; --path-constraint adds x1 ≥ -0.25 at the interval ends) by single or multiple \
        shooting with L-BFGS-B or IPOPT (limited-memory Hessian, gradients and constraint Jacobians \
        from checkpointed adjoints) and prints the objective, why the solver stopped and how optimal the \
        result is; --format json adds the controls. Single shooting with IPOPT and the path constraint \
        has a dense constraint Jacobian (about N²/2 entries) and is refused beyond 500 intervals: use --shooting multiple.

        With --disk (lorenz96), the driver's planned gradient checkpoints over memory and files: the \
        planner picks store-all, revolve or the two-level schedule, the slots and the codec by least \
        predicted time; the result is compared bitwise with store-all and with a finite difference in F. \
        The checkpoint files go to a private directory rewind-XXXXXX under --checkpoint-dir (default \
        $TMPDIR, else /tmp), which records its owner; Ctrl-C (SIGINT), SIGTERM or SIGHUP lets the current \
        write finish, removes the directory and exits with 130, 143 or 129. Directories left by runs that \
        were killed (SIGKILL, power loss) are removed by the next disk run under the same root, or by \
        rewind clean.

        Example:
          rewind demo --problem lorenz96 --sites 40 --steps 10000 --memory 64KB
          rewind demo --problem burgers
          rewind demo --problem vanderpol --intervals 2000 --path-constraint --shooting multiple --solver ipopt
          rewind demo --problem vanderpol --horizon 250 --intervals 2000 --shooting multiple --format json
          rewind demo --problem robertson --method kvaerno5 --rtol 1e-6 --atol 1e-10 --horizon 40 --format json
          rewind demo --problem lorenz96 --steps 20000 --memory 64KB --disk 2MB --compress --trace run.json
          rewind demo --steps 20000 --memory 64KB --disk 2MB --checkpoint-dir /scratch
        """
    )

    typealias Problem = DemoProblem

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

    @Option(help: ArgumentHelp(
        "With --disk: the directory under which the run's checkpoint directory rewind-XXXXXX is made (default: $TMPDIR, else /tmp).",
        valueName: "dir"))
    var checkpointDir: String?

    @Option(help: "With --disk: write the run's trace JSON here (read it with rewind trace FILE).")
    var trace: String?

    @Flag(help: "With --disk: measure the checkpoint files' latency and bandwidth first (about a second) instead of assuming 50 µs + b / 500 MB/s per write and 30 µs + b / 1 GB/s per read.")
    var measureDisk = false

    @Option(parsing: .unconditional, help: "lorenz96: the number of sites N (state size).")
    var sites: Int = 40

    @Option(parsing: .unconditional, help: "lorenz96: the number of RK4 steps n.")
    var steps: Int = 10_000

    @Option(parsing: .unconditional, help: "The time horizon T (vanderpol: 10; lorenz96: 2, chaos makes finite differences unreliable beyond T ≈ 3; robertson: 40; brusselator: 10; vanderpol-stiff: 3).")
    var horizon: Double?

    @Option(help: "robertson, brusselator, vanderpol-stiff: the implicit method: \(StiffMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: StiffMethod = .kvaerno5

    @Option(parsing: .unconditional, help: "Stiff problems: the relative tolerance of the adaptive solve.")
    var rtol: Double = 1e-6

    @Option(parsing: .unconditional, help: "Stiff problems: the absolute tolerance of the adaptive solve.")
    var atol: Double = 1e-10

    @Option(parsing: .unconditional, help: "brusselator: the number of grid points N (state size 2N).")
    var points: Int = 500

    @Option(help: "Stiff problems and vanderpol: text or json (the loss, the full gradients at full precision, and the counts; for vanderpol the objective, controls, iterations, stop reason, gradient evaluations and peak memory).")
    var format: OutputFormat = .text

    @Option(parsing: .unconditional, help: "burgers: the number of cells.")
    var cells: Int = 2_000

    @Option(parsing: .unconditional, help: "walther-narayanan: control intervals N (10 RK4 substeps each, default 100); vanderpol: N (4 RK4 substeps each, default 20).")
    var intervals: Int?

    @Flag(help: "vanderpol: impose x1 ≥ -0.25 at the ends of the control intervals.")
    var pathConstraint = false

    @Option(help: "vanderpol: single or multiple shooting.")
    var shooting: ShootingMethod = .single

    @Option(help: "vanderpol: lbfgsb or ipopt (default: lbfgsb for single shooting, ipopt for multiple).")
    var solver: VanDerPolDemo.Solver?

    @Option(help: "vanderpol with IPOPT: automatic (adjoint-differences for multiple shooting, else limited-memory), limited-memory (quasi-Newton) or adjoint-differences (multiple shooting: the Lagrangian's Hessian by forward differences of the adjoints).")
    var hessian: VanDerPolDemo.Hessian = .automatic

    func validate() throws {
        try positive(sites, "--sites", "number of Lorenz-96 sites")
        guard sites >= 4 else { throw ValidationError("--sites must be at least 4 for Lorenz-96, got \(sites); pass 4 or more") }
        try positive(steps, "--steps", "number of steps")
        try positive(cells, "--cells", "number of cells")
        if let intervals { try positive(intervals, "--intervals", "number of control intervals") }
        if problem != .vanDerPol, pathConstraint || shooting != .single || solver != nil {
            throw ValidationError("--path-constraint, --shooting and --solver apply to --problem vanderpol only; drop them or use --problem vanderpol")
        }
        if problem == .vanDerPol, shooting == .single, solver == .ipopt, pathConstraint, (intervals ?? 20) > 500 {
            throw ValidationError("--shooting single --solver ipopt --path-constraint with --intervals \((intervals ?? 20)) builds a dense constraint Jacobian of about N²/2 entries and runs for minutes; use --shooting multiple, or at most 500 intervals")
        }
        if hessian == .adjointDifferences, shooting != .multiple || problem != .vanDerPol {
            throw ValidationError("--hessian adjoint-differences needs --problem vanderpol --shooting multiple; drop it or add --shooting multiple")
        }
        if shooting == .multiple, solver == .lbfgsb {
            throw ValidationError("--shooting multiple needs --solver ipopt: L-BFGS-B cannot impose the continuity constraints; use --solver ipopt or --shooting single")
        }
        if let horizon, !(horizon > 0 && horizon.isFinite) { throw ValidationError("--horizon must be positive, got \(horizon); pass a time such as 2") }
        try positive(points, "--points", "number of Brusselator grid points")
        guard rtol >= 0, atol >= 0, rtol + atol > 0 else { throw ValidationError("--rtol and --atol must be non-negative and not both zero, got \(rtol) and \(atol)") }
        if problem.stiffProblem == nil, problem != .vanDerPol, format != .text {
            throw ValidationError("--format \(format.rawValue) applies to robertson, brusselator, vanderpol-stiff and vanderpol; drop --format for \(problem.rawValue)")
        }
        if format == .csv { throw ValidationError("--format csv is not offered by demo; use text or json") }
        if disk != nil, problem != .lorenz96 {
            throw ValidationError("--disk applies to --problem lorenz96 only; drop --disk or use --problem lorenz96")
        }
        if disk == nil, compress || trace != nil || measureDisk || checkpointDir != nil {
            throw ValidationError("--compress, --trace, --measure-disk and --checkpoint-dir need a disk run; add --disk such as 10MB")
        }
        if let checkpointDir { try CleanCommand.checkDirectory(checkpointDir) }
        if let memory, memory.bytes < 1 { throw ValidationError("--memory must be positive, got \(memory); pass a budget such as 64KB") }
    }

    func run() throws {
        if problem == .implicitOrder {
            try FileOutput.print(ImplicitAdjointConvergence.report())
            return
        }
        if let stiff = problem.stiffProblem {
            let demo = StiffDemo(problem: stiff, method: method, relative: rtol, absolute: atol, horizon: horizon, points: points, steps: steps, memory: memory?.bytes)
            let (text, passed) = try demo.run(json: format == .json)
            try FileOutput.print(text)
            if !passed { throw ExitCode.failure }
            return
        }
        if problem == .vanDerPol {
            var demo = VanDerPolDemo(intervals: intervals ?? 20, horizon: horizon ?? 10, pathConstraint: pathConstraint, shooting: shooting,
                                     solver: solver ?? (shooting == .multiple ? .ipopt : .lbfgsb), memory: memory?.bytes)
            demo.hessian = hessian
            let (text, passed) = try demo.run(json: format == .json, progress: ProgressBar())
            try FileOutput.print(text)
            if !passed { throw ExitCode.failure }
            return
        }
        let horizon = self.horizon ?? 2
        let demo = Demo(problem: problem, memory: memory?.bytes, disk: disk?.bytes, compression: compress, trace: trace,
                        measuresDisk: measureDisk, sites: sites, steps: steps, horizon: horizon, cells: cells, intervals: intervals ?? 100,
                        checkpointDirectory: checkpointDir)
        let (text, passed) = try demo.run(progress: ProgressBar())
        try FileOutput.print(text)
        if !passed { throw ExitCode.failure }
    }
}

extension DemoProblem: ExpressibleByArgument {}
extension ShootingMethod: ExpressibleByArgument {}
extension VanDerPolDemo.Solver: ExpressibleByArgument {}
extension VanDerPolDemo.Hessian: ExpressibleByArgument {}
extension StiffMethod: ExpressibleByArgument {}
