import CIpopt

/// IPOPT's `ApplicationReturnStatus`: why a solve ended, as IPOPT says it.
public enum IpoptStatus: Int32, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// The KKT error fell below `tol`.
    case solveSucceeded = 0
    /// The KKT error fell below `acceptable_tol` for `acceptable_iter` iterations.
    case solvedToAcceptableLevel = 1
    /// The restoration phase converged to a point of locally minimal infeasibility.
    case infeasibleProblemDetected = 2
    /// The search direction became too small to make progress.
    case searchDirectionBecomesTooSmall = 3
    /// The iterates grew beyond `diverging_iterates_tol`.
    case divergingIterates = 4
    /// The intermediate callback asked to stop.
    case userRequestedStop = 5
    /// A feasible point was found (only with `start_with_resto`).
    case feasiblePointFound = 6
    /// `max_iter` was reached.
    case maximumIterationsExceeded = -1
    /// The restoration phase failed.
    case restorationFailed = -2
    /// The step computation failed (the KKT system could not be solved).
    case errorInStepComputation = -3
    /// `max_cpu_time` was reached.
    case maximumCpuTimeExceeded = -4
    /// Fewer degrees of freedom than equality constraints.
    case notEnoughDegreesOfFreedom = -10
    /// The problem is ill-posed (for example an empty bound interval).
    case invalidProblemDefinition = -11
    /// An option was rejected.
    case invalidOption = -12
    /// A callback returned NaN or infinity.
    case invalidNumberDetected = -13
    /// IPOPT raised an exception it could not recover from.
    case unrecoverableException = -100
    /// A non-IPOPT exception was thrown.
    case nonIpoptExceptionThrown = -101
    /// Out of memory.
    case insufficientMemory = -102
    /// An internal error.
    case internalError = -199

    /// A status from IPOPT's enum (an unknown code reads as ``internalError``).
    init(_ status: ApplicationReturnStatus) {
        self = IpoptStatus(rawValue: status.rawValue) ?? .internalError
    }

    /// Whether the solve reached an optimum (to `tol` or to the acceptable level).
    public var isSuccess: Swift.Bool { self == .solveSucceeded || self == .solvedToAcceptableLevel }

    /// IPOPT's name for the status, for messages and JSON.
    public var name: String {
        switch self {
        case .solveSucceeded: "Solve_Succeeded"
        case .solvedToAcceptableLevel: "Solved_To_Acceptable_Level"
        case .infeasibleProblemDetected: "Infeasible_Problem_Detected"
        case .searchDirectionBecomesTooSmall: "Search_Direction_Becomes_Too_Small"
        case .divergingIterates: "Diverging_Iterates"
        case .userRequestedStop: "User_Requested_Stop"
        case .feasiblePointFound: "Feasible_Point_Found"
        case .maximumIterationsExceeded: "Maximum_Iterations_Exceeded"
        case .restorationFailed: "Restoration_Failed"
        case .errorInStepComputation: "Error_In_Step_Computation"
        case .maximumCpuTimeExceeded: "Maximum_CpuTime_Exceeded"
        case .notEnoughDegreesOfFreedom: "Not_Enough_Degrees_Of_Freedom"
        case .invalidProblemDefinition: "Invalid_Problem_Definition"
        case .invalidOption: "Invalid_Option"
        case .invalidNumberDetected: "Invalid_Number_Detected"
        case .unrecoverableException: "Unrecoverable_Exception"
        case .nonIpoptExceptionThrown: "NonIpopt_Exception_Thrown"
        case .insufficientMemory: "Insufficient_Memory"
        case .internalError: "Internal_Error"
        }
    }

    public var description: String { "\(name) (\(rawValue))" }
}

/// Why an IPOPT solve gave no optimum. Each description names IPOPT's status and what to try.
public enum IpoptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// IPOPT ended with a status other than success: the status, its iterations, and the
    /// objective and constraint violation of its last iterate.
    case solveFailed(status: IpoptStatus, iterations: Swift.Int, objective: Double, constraintViolation: Double)
    /// IPOPT rejected an option (unknown name, or a value of the wrong kind or range).
    case invalidOption(name: String, value: String)
    /// IPOPT could not create the problem (inconsistent sizes or bounds).
    case invalidProblem(String)
    /// A callback threw while IPOPT evaluated the problem and the solve failed; the
    /// description is the thrown error's.
    case evaluationFailed(status: IpoptStatus, reason: String)

    public var description: String {
        switch self {
        case let .solveFailed(status, iterations, objective, violation):
            "IPOPT stopped with \(status) after \(iterations) iterations (objective \(objective), constraint violation \(violation)); "
                + advice(status)
        case let .invalidOption(name, value):
            "IPOPT rejected the option \(name) = \(value); check its name and type in IPOPT's options reference (print_options_documentation yes lists them)"
        case let .invalidProblem(reason):
            "IPOPT could not set up the problem: \(reason)"
        case let .evaluationFailed(status, reason):
            "IPOPT stopped with \(status) because an evaluation failed: \(reason)"
        }
    }

    private func advice(_ status: IpoptStatus) -> String {
        switch status {
        case .maximumIterationsExceeded: "raise maximumIterations or loosen tolerance"
        case .infeasibleProblemDetected, .restorationFailed:
            "the constraints may be inconsistent: relax the bounds or path constraints, or start from a feasible guess"
        case .divergingIterates: "bound the variables (controls and states) or rescale the problem"
        case .userRequestedStop: "the progress callback asked to stop"
        default: "try another starting point, multiple shooting, or printLevel 5 to see IPOPT's log"
        }
    }
}
