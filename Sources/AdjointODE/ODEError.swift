import CheckpointedAD

/// Why a solve or a gradient could not be computed. Each description says what happened
/// and what to try.
public enum ODEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An adaptive solve needed more than `limit` accepted steps.
    case tooManySteps(limit: Int, time: Double, end: Double)
    /// The controller asked for a step shorter than the minimum.
    case stepSizeTooSmall(time: Double, size: Double, minimum: Double)
    /// The state became NaN or infinite.
    case nonFiniteState(time: Double)
    /// Adaptive steps need an embedded pair.
    case methodHasNoErrorEstimate(method: String)
    /// A `saveAt` or observation time is not a point of the step grid.
    case timeNotOnGrid(time: Double)
    /// Newton's iteration on stage `stage` of step `step` (from t = `time`, size `size`)
    /// did not converge in `iterations` iterations, at the smallest step allowed.
    case newtonDidNotConverge(step: Int, time: Double, size: Double, stage: Int, iterations: Int)
    /// The matrix I − hγJ of stage `stage` of step `step` could not be factorised.
    case singularStageMatrix(step: Int, time: Double, size: Double, stage: Int, error: LinearAlgebraError)
    /// A loss with a running cost asked of a method that does not integrate one (the
    /// Rosenbrock methods).
    case methodCannotIntegrateRunningCost(method: String)
    /// The checkpointed gradient failed: a budget too small for the adjoint's working set,
    /// a missing store, a corrupt checkpoint, a failed check.
    case checkpointing(CheckpointingError)

    public var description: String {
        switch self {
        case let .tooManySteps(limit, time, end):
            "the adaptive solve took its maximum of \(limit) steps at t = \(time) before reaching t = \(end); raise Tolerances.maximumSteps, loosen rtol/atol, or check the problem for stiffness"
        case let .stepSizeTooSmall(time, size, minimum):
            "at t = \(time) the step size \(size) fell below the minimum \(minimum); the problem may be stiff or singular there: lower Tolerances.minimumStep or loosen rtol/atol"
        case let .nonFiniteState(time):
            "the state became NaN or infinite at t = \(time); shorten the step (or tighten the tolerances) or shorten the span"
        case let .methodHasNoErrorEstimate(method):
            "\(method) has no embedded error estimate, so it cannot take adaptive steps; use .bogackiShampine32, .dormandPrince54 or .tsitouras54, or step: .fixed(dt)"
        case let .timeNotOnGrid(time):
            "t = \(time) is not a point of the step grid; with fixed steps use times t₀ + k·h, with adaptive steps list the time in solve's saveAt so that the solver lands on it"
        case let .newtonDidNotConverge(step, time, size, stage, iterations):
            "step \(step) (t = \(time), h = \(size)): Newton's iteration on stage \(stage) did not converge in \(iterations) iterations; shorten the step (or use adaptive steps), loosen NewtonOptions, or raise NewtonOptions.maximumIterations"
        case let .singularStageMatrix(step, time, size, stage, error):
            "step \(step) (t = \(time), h = \(size)), stage \(stage): \(error)"
        case let .methodCannotIntegrateRunningCost(method):
            "\(method) does not integrate running costs; use a diagonally implicit method (.kvaerno3, .kvaerno5, .trBDF2) or an explicit one for a loss with a running cost"
        case let .checkpointing(error):
            "the checkpointed gradient failed: \(error)"
        }
    }
}

extension ODEError {
    /// The error naming step `step`, from t = `time` with size `size`, for a stage failure.
    init(_ failure: StageSolveFailure, step: Int, time: Double, size: Double) {
        switch failure.reason {
        case .newtonDidNotConverge:
            self = .newtonDidNotConverge(step: step, time: time, size: size, stage: failure.stage, iterations: failure.iterations)
        case let .linearAlgebra(error):
            self = .singularStageMatrix(step: step, time: time, size: size, stage: failure.stage, error: error)
        }
    }
}
