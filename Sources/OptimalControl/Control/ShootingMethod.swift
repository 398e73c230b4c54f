import CheckpointedAD

/// Single or multiple shooting: the one parameter that chooses the transcription.
///
/// - `single`: the controls are the only variables; the state is integrated over the whole
///   horizon (``SingleShooting``). L-BFGS-B or IPOPT.
/// - `multiple`: the node states are variables too, joined by continuity constraints
///   (``MultipleShooting``); for unstable or long horizons. IPOPT only.
public enum ShootingMethod: String, Sendable, Equatable, CaseIterable {
    /// ``SingleShooting``.
    case single
    /// ``MultipleShooting``.
    case multiple
}

/// The optimiser a control problem is solved with.
public enum ControlSolver: Sendable {
    /// L-BFGS-B over the control bounds; path constraints and state bounds by
    /// ``ConstraintHandling`` (single shooting only).
    case lbfgsb(LBFGSB, constraints: ConstraintHandling = .augmentedLagrangian)
    /// IPOPT with a limited-memory Hessian; constraints imposed exactly.
    case ipopt(Ipopt)

    /// "L-BFGS-B" or "IPOPT".
    public var name: String {
        switch self {
        case .lbfgsb: "L-BFGS-B"
        case .ipopt: "IPOPT"
        }
    }
}

extension ControlProblem {
    /// Solves the problem by direct shooting on N intervals of k Runge–Kutta substeps:
    /// `shooting` picks single or multiple shooting, `solver` the optimiser.
    ///
    /// ```swift
    /// let solution = try problem.solve(intervals: 20, substeps: 4, shooting: .multiple, solver: .ipopt(Ipopt()))
    /// ```
    /// - Throws: ``ControlError/unsupported(_:)`` for multiple shooting with L-BFGS-B; the
    ///   solver's errors otherwise.
    public func solve(intervals: Int, substeps: Int = 1, shooting: ShootingMethod = .single,
                      solver: ControlSolver = .lbfgsb(LBFGSB()),
                      parameterization: ControlParameterization = .piecewiseConstant,
                      checkpointing: Checkpointing<Vector> = .storeAll,
                      initialControls: [Double]? = nil) throws -> ControlSolution {
        switch (shooting, solver) {
        case let (.single, .lbfgsb(optimizer, constraints)):
            return try SingleShooting(problem: self, intervals: intervals, substeps: substeps, parameterization: parameterization,
                                      checkpointing: checkpointing)
                .solve(initialControls: initialControls, optimizer: optimizer, constraints: constraints)
        case let (.single, .ipopt(ipopt)):
            return try SingleShooting(problem: self, intervals: intervals, substeps: substeps, parameterization: parameterization,
                                      checkpointing: checkpointing)
                .solve(initialControls: initialControls, ipopt: ipopt)
        case let (.multiple, .ipopt(ipopt)):
            return try MultipleShooting(problem: self, intervals: intervals, substeps: substeps, parameterization: parameterization,
                                        checkpointing: checkpointing)
                .solve(initialControls: initialControls, ipopt: ipopt)
        case (.multiple, .lbfgsb):
            throw ControlError.unsupported("multiple shooting has continuity equality constraints, which L-BFGS-B cannot impose; use solver: .ipopt(Ipopt())")
        }
    }
}
