/// One step of a Runge–Kutta-type method and its exact discrete adjoint, on flat `Double`
/// storage: what the integrators and the checkpointed gradient drive, whatever the method.
///
/// ```swift
/// let stepper = DiagonallyImplicitStepper(method: .kvaerno5, rightHandSide: rhs)
/// try stepper.step(time: 0, size: 0.1, state: y, parameters: p, into: next)
/// try stepper.pullback(time: 0, size: 0.1, state: y, parameters: p,
///                      stateAdjoint: lambda, parameterAdjoint: pBar)
/// ```
///
/// Conformers: ``RungeKuttaStepper`` (explicit), ``DiagonallyImplicitStepper`` (SDIRK and
/// ESDIRK), ``RosenbrockStepper``. A step must be a pure function of its arguments
/// (no state carried from one step to the next), so that a step recomputed from a
/// checkpoint reproduces the first one bit for bit.
public protocol ODEStepper: AnyObject {
    /// The right-hand side.
    var rightHandSide: RightHandSide { get }
    /// The method's name, for messages.
    var methodName: String { get }
    /// The classical order p of the propagated solution.
    var order: Int { get }
    /// q such that the error estimate is O(h^(q+1)): the controller's exponent is 1/(q + 1).
    /// `nil` for a method without an error estimate (fixed steps only).
    var errorEstimateOrder: Int? { get }
    /// Incremented every time the stages are computed, so that a pullback can tell whether
    /// the workspace still holds the stages of its own step.
    var generation: Int { get }
    /// Whether the method integrates a loss's running cost along its stages (the Rosenbrock
    /// methods do not; a gradient that needs one throws
    /// ``ODEError/methodCannotIntegrateRunningCost(method:)``).
    var integratesRunningCosts: Bool { get }
    /// The bytes of workspace the stepper holds (counted in memory budgets).
    var workspaceBytes: Int { get }
    /// Work done so far: evaluations, Newton iterations, linear solves, Jacobians.
    var counts: StepperCounts { get }

    /// One step: writes y⁺ into `next` and, if given, the error estimate into
    /// `errorEstimate`; returns the running cost's quadrature over the step.
    ///
    /// - Throws: ``StageSolveFailure`` when an implicit stage equation cannot be solved.
    func step(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        into next: UnsafeMutableBufferPointer<Double>, errorEstimate: UnsafeMutableBufferPointer<Double>?,
        runningCost: RunningCost?
    ) throws(StageSolveFailure) -> Double

    /// The discrete adjoint of one step: λ⁺ becomes λ = (∂y⁺/∂y)ᵀ λ⁺, and (∂y⁺/∂p)ᵀ λ⁺ is
    /// added to `parameterAdjoint` (see
    /// ``RungeKuttaStepper/pullback(time:size:state:parameters:stateAdjoint:parameterAdjoint:runningCost:costWeight:endState:stagesAreCurrent:incoming:)``
    /// for the parameters).
    ///
    /// - Throws: ``StageSolveFailure`` when recomputing the stages fails, or a stage's
    ///   transposed system is singular.
    func pullback(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        stateAdjoint lambda: UnsafeMutableBufferPointer<Double>, parameterAdjoint pBar: UnsafeMutableBufferPointer<Double>,
        runningCost: RunningCost?, costWeight: Double,
        endState: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void)?,
        stagesAreCurrent: Bool, incoming: UnsafeBufferPointer<Double>?
    ) throws(StageSolveFailure)
}

/// Running totals of a stepper's work, for a solve's ``SolveStatistics``.
///
/// ```swift
/// let before = stepper.counts
/// try stepper.step(…)
/// print(stepper.counts.newtonIterations - before.newtonIterations)
/// ```
public struct StepperCounts: Hashable, Sendable {
    /// Right-hand-side evaluations.
    public var evaluations = 0
    /// Newton iterations, summed over the implicit stages.
    public var newtonIterations = 0
    /// Solves with a factorised matrix (Newton corrections, Rosenbrock stages, adjoint solves).
    public var linearSolves = 0
    /// Jacobians ∂f/∂y assembled.
    public var jacobianEvaluations = 0
    /// LU factorisations.
    public var factorizations = 0
    /// GMRES iterations of matrix-free stage solves.
    public var krylovIterations = 0

    /// Zero counts.
    public init() {}
}

/// Why an implicit stage could not be solved: the stage, the iterations spent, and why.
/// The integrators turn it into an ``ODEError`` that names the step and its time.
///
/// ```swift
/// do { try stepper.step(…) } catch { print(error.stage, error.reason) }
/// ```
public struct StageSolveFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why the stage failed.
    public enum Reason: Equatable, Sendable {
        /// The Newton iteration did not converge (or diverged, or met a non-finite value).
        case newtonDidNotConverge
        /// The stage's matrix I − hγJ could not be factorised.
        case linearAlgebra(LinearAlgebraError)
    }

    /// The stage (counted from 0).
    public var stage: Int
    /// The Newton iterations spent on it.
    public var iterations: Int
    /// Why it failed.
    public var reason: Reason

    /// A failure of `stage` after `iterations` iterations.
    public init(stage: Int, iterations: Int, reason: Reason) {
        self.stage = stage
        self.iterations = iterations
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .newtonDidNotConverge: "stage \(stage): Newton did not converge in \(iterations) iterations"
        case let .linearAlgebra(error): "stage \(stage): \(error)"
        }
    }
}

/// A method ``solve(_:method:span:step:saveAt:)-(_,ButcherTableau,_,_,_)`` can integrate
/// with: a tableau that makes the stepper of its family.
///
/// ```swift
/// let method: any ODEMethod = DiagonallyImplicitTableau.kvaerno5
/// print(method.name, method.order, method.embeddedOrder ?? 0)   // Kvaerno5(4) 5 4
/// ```
public protocol ODEMethod: Sendable, CustomStringConvertible {
    /// A short name such as `"RK4"`.
    var name: String { get }
    /// The classical order.
    var order: Int { get }
    /// The order of the embedded method, or `nil` (no adaptive steps).
    var embeddedOrder: Int? { get }
    /// A stepper for this method on `rightHandSide`; implicit methods solve their stages
    /// with `newton`.
    func makeStepper(rightHandSide: RightHandSide, newton: NewtonOptions) -> any ODEStepper
}

extension ButcherTableau: ODEMethod {
    /// A ``RungeKuttaStepper`` (explicit methods take no Newton options).
    public func makeStepper(rightHandSide: RightHandSide, newton: NewtonOptions) -> any ODEStepper {
        RungeKuttaStepper(method: self, rightHandSide: rightHandSide)
    }
}

extension DiagonallyImplicitTableau: ODEMethod {
    /// A ``DiagonallyImplicitStepper``.
    public func makeStepper(rightHandSide: RightHandSide, newton: NewtonOptions) -> any ODEStepper {
        DiagonallyImplicitStepper(method: self, rightHandSide: rightHandSide, newton: newton)
    }
}
