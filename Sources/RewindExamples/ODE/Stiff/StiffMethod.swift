import AdjointODE

/// The implicit methods by the names the CLI accepts (`--method kvaerno5`).
///
/// ```swift
/// let method = StiffMethod(rawValue: "kvaerno5")!.method   // DiagonallyImplicitTableau.kvaerno5
/// ```
public enum StiffMethod: String, CaseIterable, Sendable {
    /// ``DiagonallyImplicitTableau/implicitEuler`` (order 1, fixed steps).
    case implicitEuler = "implicit-euler"
    /// ``DiagonallyImplicitTableau/trapezoidal`` (order 2, fixed steps).
    case trapezoidal
    /// ``DiagonallyImplicitTableau/trBDF2`` (order 2, adaptive).
    case trBDF2 = "trbdf2"
    /// ``DiagonallyImplicitTableau/kvaerno3`` (order 3, adaptive).
    case kvaerno3
    /// ``DiagonallyImplicitTableau/kvaerno5`` (order 5, adaptive).
    case kvaerno5
    /// ``RosenbrockTableau/ros3p`` (order 3, adaptive).
    case ros3p

    /// The tableau.
    public var method: any ODEMethod {
        switch self {
        case .implicitEuler: DiagonallyImplicitTableau.implicitEuler
        case .trapezoidal: DiagonallyImplicitTableau.trapezoidal
        case .trBDF2: DiagonallyImplicitTableau.trBDF2
        case .kvaerno3: DiagonallyImplicitTableau.kvaerno3
        case .kvaerno5: DiagonallyImplicitTableau.kvaerno5
        case .ros3p: RosenbrockTableau.ros3p
        }
    }

    /// Solves `problem` with this method.
    public func solve(_ problem: ODEProblem, span: ClosedRange<Double>, step: StepSize) throws(ODEError) -> ODESolution {
        switch method {
        case let tableau as DiagonallyImplicitTableau: try AdjointODE.solve(problem, method: tableau, span: span, step: step)
        case let tableau as RosenbrockTableau: try AdjointODE.solve(problem, method: tableau, span: span, step: step)
        default: preconditionFailure("every StiffMethod is diagonally implicit or Rosenbrock")
        }
    }
}
