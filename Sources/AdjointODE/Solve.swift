import CheckpointedAD

/// Integrates an ODE with an explicit Runge–Kutta method and returns the solution (for stiff
/// problems see the ``DiagonallyImplicitTableau`` and ``RosenbrockTableau`` overloads), whose
/// ``ODESolution/gradient(of:checkpointing:stepsPerCheckpoint:options:)`` computes exact
/// discrete-adjoint gradients with respect to y₀ and p, checkpointed as you choose.
///
/// ```swift
/// let solution = try solve(problem, method: .rk4, span: 0...10, step: .fixed(0.01))
/// let g = try solution.gradient(of: .finalState { y in y.halfSquaredNorm() },
///                               checkpointing: .revolve(memory: .megabytes(64)))
/// print(g.value, g.initialState, g.parameters)
/// ```
///
/// An adaptive solve (`step: .adaptive(tolerances)`, an embedded pair) records the sizes of
/// its accepted steps; the gradient replays exactly that sequence, so every recomputed step
/// is bit-identical to the forward one. The step sizes are **constants in the adjoint**:
/// the gradient is that of the discrete map with this step sequence, not of the
/// controller's decisions. Because the solve has run before the gradient is asked for, the
/// step count n is known and the gradient plays an offline Revolve schedule over n steps.
///
/// - Parameters:
///   - problem: the right-hand side, y₀ and p.
///   - method: the Butcher tableau; adaptive steps need an embedded pair.
///   - span: [t₀, t₁], t₁ > t₀.
///   - step: `.fixed(dt)` or `.adaptive(Tolerances(…))`.
///   - saveAt: times at which the states are kept in ``ODESolution/savedStates``; an
///     adaptive solve lands on each exactly (use them for observation losses).
/// - Throws: ``ODEError`` when an adaptive solve exceeds its step limit, its step size
///   collapses, or the state stops being finite.
/// - Complexity: n steps of s right-hand-side evaluations each (plus rejected steps).
public func solve(
    _ problem: ODEProblem, method: ButcherTableau = .tsitouras54, span: ClosedRange<Double>,
    step: StepSize, saveAt: [Double] = []
) throws(ODEError) -> ODESolution {
    try solve(problem, anyMethod: method, span: span, step: step, saveAt: saveAt, newton: NewtonOptions())
}

/// Integrates a (stiff) ODE with a diagonally implicit Runge–Kutta method, solving each
/// implicit stage by simplified Newton with LAPACK factorisations of I − hγJ (dense, or
/// banded when the right-hand side declares ``JacobianStructure/banded(lower:upper:)``).
///
/// ```swift
/// let solution = try solve(robertson, method: .kvaerno5, span: 0...40,
///                          step: .adaptive(Tolerances(relative: 1e-6, absolute: 1e-10)))
/// let g = try solution.gradient(of: loss, checkpointing: .revolve(memory: .megabytes(64)))
/// ```
///
/// Everything else is as for explicit methods
/// (``solve(_:method:span:step:saveAt:)-(_,ButcherTableau,_,_,_)``): the adaptive step sequence is
/// recorded and replayed, and the gradient is the exact discrete adjoint
/// (``DiagonallyImplicitStepper``) through the same checkpointing driver.
///
/// - Throws: ``ODEError``: those of an explicit solve, and
///   ``ODEError/newtonDidNotConverge(step:time:size:stage:iterations:)`` or
///   ``ODEError/singularStageMatrix(step:time:size:stage:error:)`` naming the step and its time
///   (an adaptive solve first retries a failed step with a quarter of its size).
/// - Complexity: per step, one Jacobian and one LU, and per implicit stage one evaluation
///   and one solve per Newton iteration.
public func solve(
    _ problem: ODEProblem, method: DiagonallyImplicitTableau, span: ClosedRange<Double>,
    step: StepSize, saveAt: [Double] = [], newton: NewtonOptions = NewtonOptions()
) throws(ODEError) -> ODESolution {
    try solve(problem, anyMethod: method, span: span, step: step, saveAt: saveAt, newton: newton)
}

/// Integrates a stiff ODE with a Rosenbrock method: one LU of I − hγJ per step and no
/// Newton iteration (∂f/∂t of a non-autonomous f by a difference in t, see ``RosenbrockStepper``). The gradient needs the right-hand side's
/// ``RightHandSide/withSecondOrderPullback(_:)``; see ``RosenbrockStepper``.
///
/// ```swift
/// let solution = try solve(vanDerPol, method: .ros3p, span: 0...3,
///                          step: .adaptive(Tolerances(relative: 1e-6, absolute: 1e-8)))
/// ```
///
/// - Throws: ``ODEError``, with ``ODEError/singularStageMatrix(step:time:size:stage:error:)``
///   naming the step when I − hγJ cannot be factorised.
/// - Complexity: per step, one Jacobian, one LU, s evaluations and s solves.
public func solve(
    _ problem: ODEProblem, method: RosenbrockTableau, span: ClosedRange<Double>, step: StepSize, saveAt: [Double] = []
) throws(ODEError) -> ODESolution {
    try solve(problem, anyMethod: method, span: span, step: step, saveAt: saveAt, newton: NewtonOptions())
}

/// The solve of every method family.
func solve(
    _ problem: ODEProblem, anyMethod method: any ODEMethod, span: ClosedRange<Double>,
    step: StepSize, saveAt: [Double], newton: NewtonOptions
) throws(ODEError) -> ODESolution {
    let stops = saveAt.sorted()
    if let first = stops.first, let last = stops.last {
        precondition(first >= span.lowerBound && last <= span.upperBound, "saveAt times \(first)…\(last) must lie in the span \(span)")
    }
    let stepper = method.makeStepper(rightHandSide: problem.rightHandSide, newton: newton)
    let result = if let explicit = stepper as? RungeKuttaStepper {
        try integrate(explicit, span: span, step: step, stops: stops, problem: problem)
    } else {
        try integrate(stepper, span: span, step: step, stops: stops, problem: problem)
    }
    return ODESolution(
        problem: problem, method: method, newton: newton, span: span, grid: result.grid, finalState: Vector(result.finalState),
        saveTimes: stops, savedStates: result.savedStates.map(Vector.init), statistics: result.statistics)
}

/// The fixed or adaptive integration of `problem` with `stepper` (generic, so that a concrete
/// stepper's calls are specialised).
private func integrate<Stepper: ODEStepper>(
    _ stepper: Stepper, span: ClosedRange<Double>, step: StepSize, stops: [Double], problem: ODEProblem
) throws(ODEError) -> IntegrationResult {
    let result: IntegrationResult
    switch step {
    case let .fixed(dt):
        let grid = Integrator.uniformGrid(span: span, step: dt)
        var indices: [Int] = []
        for time in stops {
            guard let k = grid.index(of: time) else { throw .timeNotOnGrid(time: time) }
            indices.append(k)
        }
        result = try Integrator.integrate(
            stepper, grid: grid, initialState: problem.initialState.scalars, parameters: problem.parameters.scalars, saveAt: indices)
    case let .adaptive(tolerances):
        result = try Integrator.integrateAdaptive(
            stepper, span: span, tolerances: tolerances, initialState: problem.initialState.scalars,
            parameters: problem.parameters.scalars, stops: stops)
    }
    return result
}

/// Integrates with adaptive steps: `solve(problem, method:, span:, tolerances:)` is
/// `solve(problem, method:, span:, step: .adaptive(tolerances))`.
public func solve(
    _ problem: ODEProblem, method: ButcherTableau = .tsitouras54, span: ClosedRange<Double>,
    tolerances: Tolerances, saveAt: [Double] = []
) throws(ODEError) -> ODESolution {
    try solve(problem, method: method, span: span, step: .adaptive(tolerances), saveAt: saveAt)
}

/// The result of ``solve(_:method:span:step:saveAt:)-(_,ButcherTableau,_,_,_)``: the final
/// state, the saved states, the step grid, and the gradient function.
public struct ODESolution: Sendable {
    /// The problem solved.
    public let problem: ODEProblem
    /// The method (a ``ButcherTableau``, a ``DiagonallyImplicitTableau``, …).
    public let method: any ODEMethod
    /// How implicit stages were solved (and are solved again by the gradient).
    public let newton: NewtonOptions
    /// [t₀, t₁].
    public let span: ClosedRange<Double>
    /// The steps taken (computed for fixed steps, recorded for adaptive ones).
    public let grid: StepGrid
    /// y(t₁), the numerical solution at the end of the span.
    public let finalState: Vector
    /// The `saveAt` times, sorted.
    public let saveTimes: [Double]
    /// The states at ``saveTimes``.
    public let savedStates: [Vector]
    /// Steps, rejections and evaluations of the forward solve.
    public let statistics: SolveStatistics
}
