import CheckpointSchedules

/// A request the inspector cannot honour. Each description is one sentence that says
/// what was wrong and how to fix it, so the CLI prints it as its one-line error.
public enum InspectorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The schedule library rejected the parameters.
    case schedule(ScheduleError)
    /// The two-level schedule could not be built.
    case twoLevel(TwoLevelRevolveError)
    /// The H-Revolve schedule could not be built.
    case hRevolve(HRevolveError)
    /// The planner could not answer.
    case planning(PlanningError)
    /// A schedule that needs a slot budget was asked for without one.
    case missingSlots(schedule: String)
    /// The schedule needs more slots than the budget allows.
    case doesNotFit(schedule: String, steps: Int, slots: Int, needed: Int)
    /// Too many actions to draw one mark each in an SVG file.
    case tooManyActionsForSVG(actions: Int, limit: Int)
    /// A repetition count below 1.
    case invalidRepetitionCount(Int)
    /// An input file could not be read.
    case cannotRead(path: String, reason: String)
    /// A trace file does not describe a valid run.
    case invalidTrace(reason: String)
    /// Answering would take more work than the limit allows: at least `estimate` actions
    /// to enumerate, or `estimate` cells to print; `option` lifts the limit.
    case tooMuchWork(what: String, estimate: Int, unit: String, limit: Int, option: String)
    /// An output could not be written; `reason` names the errno and the fix
    /// (``OutputFile/failure(path:errno:exampleName:)``).
    case cannotWrite(path: String, reason: String)

    /// What happened and how to fix it, on one line.
    public var description: String {
        switch self {
        case let .schedule(error): error.description
        case let .twoLevel(error): error.description
        case let .hRevolve(error): error.description
        case let .planning(error): error.description.replacingNewlines()
        case let .missingSlots(schedule):
            "the \(schedule) schedule needs a checkpoint budget; pass --slots S (S counts x0)"
        case let .doesNotFit(schedule, n, s, needed):
            "\(schedule) needs \(needed) slots for \(n) steps but the budget is \(s); pass --slots \(needed) or more, or use --schedule revolve"
        case let .tooManyActionsForSVG(actions, limit):
            "the schedule has \(actions) actions, more than the \(limit) an SVG can draw one mark each; use fewer steps (n ≤ 10^4 draws well)"
        case let .invalidRepetitionCount(r):
            "the number of repetitions must be at least 1, got \(r); pass a positive repetition count"
        case let .cannotRead(path, reason):
            "cannot read \(path): \(reason); pass the path of a trace JSON file the library wrote"
        case let .invalidTrace(reason):
            "the trace is invalid: \(reason); pass a trace written by the driver (CheckpointingOptions.recordsTrace)"
        case let .tooMuchWork(what, estimate, unit, limit, option):
            "\(what) means at least \(estimate) \(unit), more than the limit of \(limit); pass \(option) \(estimate) to allow it, or ask for less"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}

extension String {
    /// Lines joined with "; ", for one-line messages.
    func replacingNewlines() -> String {
        split(whereSeparator: \.isNewline).map { String($0.drop { $0 == " " }) }.joined(separator: "; ")
    }
}
