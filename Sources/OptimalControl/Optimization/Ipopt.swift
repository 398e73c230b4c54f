import CIpopt
import Synchronization

/// IPOPT's linear solver, sequential MUMPS, keeps global state: one solve at a time per process.
private let solveLock = Mutex(())

/// IPOPT, the interior-point method for large sparse nonlinear programs (Wächter & Biegler
/// 2006, "On the implementation of an interior-point filter line-search algorithm for
/// large-scale nonlinear programming", Math. Program. 106, 25–57,
/// doi:10.1007/s10107-004-0559-y), through its C interface (Debian `coinor-libipopt-dev`).
///
/// Gradients and constraint Jacobians come from checkpointed adjoints. The Hessian of the
/// Lagrangian is, by default (``IpoptHessian/automatic``), the program's own where it has one
/// (multiple shooting's, by differences of adjoints) and otherwise IPOPT's limited-memory
/// quasi-Newton approximation (`hessian_approximation limited-memory`).
///
/// ```swift
/// let result = try Ipopt(tolerance: 1e-10).minimize(program, from: [0, 0])
/// result.x, result.status, result.iterations
/// ```
/// IPOPT's banner and log are off by default (`printLevel` 0, `sb yes`); set `printLevel`
/// to 5 to see its iteration log on standard output. Every option Rewind passes is listed by
/// ``passedOptions``; anything else goes in ``options`` under IPOPT's own name.
///
/// Solves in one process run one at a time (Debian's IPOPT uses sequential MUMPS, whose
/// global state concurrent solves would corrupt); a callback must not start another solve.
///
/// - Complexity: per iteration one sparse symmetric factorisation of the KKT matrix (MUMPS),
///   one ``NonlinearProgram/derivatives`` call, and one or more ``NonlinearProgram/values``
///   calls in the line search.
public struct Ipopt: Sendable {
    /// IPOPT's `tol`: the scaled KKT error at which it stops with success.
    public var tolerance: Double
    /// IPOPT's `max_iter`.
    public var maximumIterations: Swift.Int
    /// IPOPT's `limited_memory_max_history`: the quasi-Newton pairs kept; nil lets the
    /// caller choose (IPOPT's 6 here, 20 for single shooting, which stalls 0.08% above the
    /// path-constrained Van der Pol optimum for 3000 iterations with 6).
    public var limitedMemoryHistory: Swift.Int?
    /// IPOPT's `print_level` (0 silent … 12 everything; IPOPT's own default is 5).
    public var printLevel: Swift.Int
    /// Where the Lagrangian's Hessian comes from: the program's own ``NonlinearProgram/hessian``
    /// if it has one, else IPOPT's limited-memory approximation (``IpoptHessian/automatic``,
    /// the default); or either one by choice.
    public var hessian: IpoptHessian
    /// Further options under IPOPT's names (for example `"mu_strategy": .string("adaptive")`);
    /// they override Rewind's settings of the same name.
    public var options: [String: IpoptOptionValue]

    /// A solver; the defaults make the Van der Pol targets accurate to 1e-8 relative.
    public init(tolerance: Double = 1e-10, maximumIterations: Swift.Int = 3000, limitedMemoryHistory: Swift.Int? = nil,
                printLevel: Swift.Int = 0, hessian: IpoptHessian = .automatic, options: [String: IpoptOptionValue] = [:]) {
        precondition(tolerance > 0 && maximumIterations >= 0 && (limitedMemoryHistory ?? 1) >= 1,
                     "IPOPT needs tol > 0, max_iter ≥ 0 and a history ≥ 1, got \(tolerance), \(maximumIterations), \(limitedMemoryHistory ?? 1)")
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.limitedMemoryHistory = limitedMemoryHistory
        self.printLevel = printLevel
        self.hessian = hessian
        self.options = options
    }

    /// Every option handed to IPOPT for a program without a Hessian, in order: Rewind's
    /// settings, then ``options``.
    public var passedOptions: [(name: String, value: IpoptOptionValue)] { passedOptions(programHasHessian: false) }

    /// Whether a solve of a program with or without its own Hessian uses it.
    public func usesProgramHessian(programHasHessian: Swift.Bool) -> Swift.Bool {
        switch hessian {
        case .automatic: programHasHessian
        case .program: true
        case .limitedMemory: false
        }
    }

    /// Every option handed to IPOPT, in order: Rewind's settings, then ``options``.
    public func passedOptions(programHasHessian: Swift.Bool) -> [(name: String, value: IpoptOptionValue)] {
        var list: [(name: String, value: IpoptOptionValue)] = [
            ("print_level", .integer(printLevel)),
            ("sb", .string(printLevel > 0 ? "no" : "yes")),
            ("tol", .number(tolerance)),
            ("max_iter", .integer(maximumIterations)),
        ]
        list += usesProgramHessian(programHasHessian: programHasHessian)
            ? [("hessian_approximation", .string("exact"))]
            : [("hessian_approximation", .string("limited-memory")), ("limited_memory_max_history", .integer(limitedMemoryHistory ?? 6))]
        list.removeAll { options[$0.name] != nil }
        list += options.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return list
    }

    /// Minimises `program` from `start` (moved into the variable bounds by IPOPT).
    ///
    /// - Parameters:
    ///   - program: what to minimise.
    ///   - start: w₀.
    ///   - progress: called after every IPOPT iteration; `.stop` ends the solve with
    ///     ``IpoptError/solveFailed(status:iterations:objective:constraintViolation:)`` and
    ///     status ``IpoptStatus/userRequestedStop``.
    /// - Returns: the solution when IPOPT reports success or an acceptable level.
    /// - Throws: ``IpoptError`` with IPOPT's status for every other outcome.
    public func minimize(_ program: NonlinearProgram, from start: [Double],
                         progress: (IpoptIteration) -> IterationDecision = { _ in .proceed }) throws(IpoptError) -> IpoptResult {
        let n = program.variableCount, m = program.constraintCount
        guard start.count == n else {
            throw .invalidProblem("the start has \(start.count) entries but the program has \(n) variables")
        }
        guard n > 0 else { throw .invalidProblem("the program has no variables") }
        let exactHessian = usesProgramHessian(programHasHessian: program.hessian != nil)
        let hessianEntries = exactHessian ? program.hessianRows.count : 0
        if hessian == .program && program.hessian == nil {
            throw .invalidProblem("hessian: .program needs a program with a Hessian; use hessian: .limitedMemory")
        }
        var lower = program.variableLower, upper = program.variableUpper
        var constraintLower = program.constraintLower, constraintUpper = program.constraintUpper
        for i in 0..<n where !(lower[i] <= upper[i]) {
            throw .invalidProblem("variable \(i) has lower bound \(lower[i]) above its upper bound \(upper[i])")
        }
        for i in 0..<m where !(constraintLower[i] <= constraintUpper[i]) {
            throw .invalidProblem("constraint \(i) has lower bound \(constraintLower[i]) above its upper bound \(constraintUpper[i])")
        }
        return try withoutActuallyEscaping(progress) { progress throws(IpoptError) in
            let context = IpoptContext(program: program, progress: progress)
            let problem: IpoptProblem? = lower.withUnsafeMutableBufferPointer { xL in
                upper.withUnsafeMutableBufferPointer { xU in
                    constraintLower.withUnsafeMutableBufferPointer { gL in
                        constraintUpper.withUnsafeMutableBufferPointer { gU in
                            CreateIpoptProblem(Int32(n), xL.baseAddress, xU.baseAddress, Int32(m), gL.baseAddress, gU.baseAddress,
                                               Int32(program.jacobianEntryCount), Int32(hessianEntries), 0,
                                               IpoptCallbacks.objective, IpoptCallbacks.constraints,
                                               IpoptCallbacks.objectiveGradient, IpoptCallbacks.jacobian,
                                               IpoptCallbacks.hessian)
                        }
                    }
                }
            }
            guard let problem else { throw .invalidProblem("CreateIpoptProblem returned no problem for \(n) variables and \(m) constraints") }
            defer { FreeIpoptProblem(problem) }
            for (name, value) in passedOptions(programHasHessian: program.hessian != nil) where !Self.set(name, value, on: problem) {
                throw .invalidOption(name: name, value: value.description)
            }
            _ = SetIntermediateCallback(problem, IpoptCallbacks.intermediate)
            var x = start
            var g = Array(repeating: 0.0, count: m)
            var multipliers = Array(repeating: 0.0, count: m)
            var objective = Double.nan
            let user = Unmanaged.passRetained(context)
            defer { user.release() }
            let code = solveLock.withLock { _ in x.withUnsafeMutableBufferPointer { xb in
                g.withUnsafeMutableBufferPointer { gb in
                    multipliers.withUnsafeMutableBufferPointer { mb in
                        let solveStart = context.clock.now
                        defer { context.timing.totalSeconds = (context.clock.now - solveStart).inSeconds }
                        return IpoptSolve(problem, xb.baseAddress, m > 0 ? gb.baseAddress : nil, &objective,
                                   m > 0 ? mb.baseAddress : nil, nil, nil, user.toOpaque())
                    }
                }
            } }
            let status = IpoptStatus(code)
            let violation = program.violation(of: g, at: x)
            guard status.isSuccess else {
                if let error = context.firstError {
                    throw .evaluationFailed(status: status, reason: "\(error)")
                }
                throw .solveFailed(status: status, iterations: context.iterations, objective: objective, constraintViolation: violation)
            }
            return IpoptResult(x: x, objective: objective, constraints: g, constraintMultipliers: multipliers,
                               constraintViolation: violation, dualInfeasibility: context.lastDualInfeasibility,
                               status: status, iterations: context.iterations,
                               valueEvaluations: context.valueEvaluations, derivativeEvaluations: context.derivativeEvaluations,
                               timing: context.timing)
        }
    }

    private static func set(_ name: String, _ value: IpoptOptionValue, on problem: IpoptProblem) -> Swift.Bool {
        switch value {
        case let .string(s): rewind_ipopt_add_string_option(problem, name, s) != 0
        case let .number(x): rewind_ipopt_add_number_option(problem, name, x) != 0
        case let .integer(i): rewind_ipopt_add_integer_option(problem, name, Int32(clamping: i)) != 0
        }
    }
}

/// Where IPOPT's Hessian of the Lagrangian comes from.
public enum IpoptHessian: Sendable, Equatable {
    /// The program's Hessian when it has one (``NonlinearProgram/hessian``), else the
    /// limited-memory approximation.
    case automatic
    /// IPOPT's limited-memory quasi-Newton approximation (`hessian_approximation
    /// limited-memory`): first derivatives only.
    case limitedMemory
    /// The program's ``NonlinearProgram/hessian`` (`hessian_approximation exact`).
    case program
}

/// The value of an IPOPT option: IPOPT types its options as strings, numbers or integers.
public enum IpoptOptionValue: Sendable, Equatable, CustomStringConvertible {
    /// A string option such as `mu_strategy`.
    case string(String)
    /// A real option such as `tol`.
    case number(Double)
    /// An integer option such as `max_iter`.
    case integer(Swift.Int)

    public var description: String {
        switch self {
        case let .string(s): s
        case let .number(x): "\(x)"
        case let .integer(i): "\(i)"
        }
    }
}

/// What IPOPT reports after each iteration (its intermediate callback).
public struct IpoptIteration: Sendable {
    /// The iteration number (0 is the starting point).
    public var iteration: Swift.Int
    /// f at the iterate (of the restoration problem while ``isRestoration``).
    public var objective: Double
    /// The largest constraint violation.
    public var primalInfeasibility: Double
    /// The (scaled) dual infeasibility, IPOPT's `inf_du`.
    public var dualInfeasibility: Double
    /// The barrier parameter μ.
    public var barrier: Double
    /// Whether IPOPT is in its feasibility-restoration phase.
    public var isRestoration: Swift.Bool
}

/// The outcome of a successful IPOPT solve.
public struct IpoptResult: Sendable {
    /// w*.
    public var x: [Double]
    /// f(w*).
    public var objective: Double
    /// g(w*).
    public var constraints: [Double]
    /// The multipliers of the constraints at w*.
    public var constraintMultipliers: [Double]
    /// The largest violation of the bounds on g and w at w*.
    public var constraintViolation: Double
    /// IPOPT's last reported dual infeasibility `inf_du` (the optimality measure).
    public var dualInfeasibility: Double
    /// IPOPT's status (``IpoptStatus/isSuccess``).
    public var status: IpoptStatus
    /// IPOPT's iterations.
    public var iterations: Swift.Int
    /// ``NonlinearProgram/values`` calls (distinct points).
    public var valueEvaluations: Swift.Int
    /// ``NonlinearProgram/derivatives`` calls (distinct points).
    public var derivativeEvaluations: Swift.Int
    /// Where the solve's wall time went: the program's callbacks and IPOPT itself.
    public var timing: IpoptTiming
}
