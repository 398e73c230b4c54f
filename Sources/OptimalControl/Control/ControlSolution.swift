import CheckpointedAD

/// The outcome of ``SingleShooting/solve(initialControls:optimizer:constraints:progress:)``,
/// ``SingleShooting/solve(initialControls:ipopt:jacobian:progress:)`` or
/// ``MultipleShooting/solve(initialControls:initialStates:ipopt:progress:)``.
public struct ControlSolution: Sendable {
    /// The optimal control values, flat (value j of component c at j·m + c).
    public var controls: [Double]
    /// The time each control value belongs to: interval starts t_k (piecewise constant) or
    /// nodes t_k (piecewise linear).
    public var controlTimes: [Double]
    /// x(t_k) at the N + 1 nodes.
    public var states: [[Double]]
    /// The nodes t_0 … t_N.
    public var nodeTimes: [Double]
    /// φ(x(T)) + ∫ L dt at the solution, without constraint terms.
    public var objective: Double
    /// max over nodes of max(0, c): 0 when every path constraint holds.
    public var constraintViolation: Double
    /// L-BFGS-B iterations over all outer (augmented-Lagrangian) iterations, or IPOPT's.
    public var iterations: Int
    /// Gradient evaluations: L-BFGS-B's objective-and-gradient evaluations over all outer
    /// iterations, or IPOPT's derivative evaluations (gradient and constraint Jacobian).
    public var evaluations: Int
    /// Augmented-Lagrangian outer iterations (1 without path constraints or with a penalty).
    public var outerIterations: Int
    /// Why the solver stopped (the last L-BFGS-B run, or IPOPT's success status).
    public var stopReason: StopReason
    /// The last L-BFGS-B result (its `objective` includes constraint terms); nil for IPOPT.
    public var optimization: OptimizationResult?
    /// The checkpointed driver's counts for the last gradient (nil for store-all and IPOPT).
    public var gradientStatistics: CheckpointingStatistics?
    /// The most bytes the checkpoints held at once over every gradient of the solve (0 for
    /// IPOPT solves, which do not collect the driver's statistics).
    public var peakCheckpointBytes: Int
    /// Single shooting's own working bytes (stepper stages, controls, gradient, scratch).
    public var workingBytes: Int
    /// Everything a checkpointed gradient holds besides its checkpoints: ``workingBytes``
    /// plus the driver's working states; peak memory is ``peakCheckpointBytes`` plus this.
    public var bytesBesidesCheckpoints: Int
    /// Single or multiple shooting.
    public var shooting: ShootingMethod = .single
    /// IPOPT's result (status, iterations, multipliers, dual infeasibility); nil for L-BFGS-B.
    public var ipopt: IpoptResult? = nil

    /// The final optimality measure: L-BFGS-B's projected-gradient norm ‖P(u − ∇J) − u‖∞,
    /// or IPOPT's dual infeasibility `inf_du`.
    public var optimality: Double {
        ipopt?.dualInfeasibility ?? optimization?.projectedGradientNorm ?? .nan
    }

    /// The solver's name, "L-BFGS-B" or "IPOPT".
    public var solver: String { ipopt == nil ? "L-BFGS-B" : "IPOPT" }

    /// One sentence: why the solver stopped and how optimal the result is.
    public var stopSummary: String {
        if let ipopt {
            return "\(solver) \(ipopt.status.name) after \(iterations) iterations, dual infeasibility \(ipopt.dualInfeasibility), constraint violation \(ipopt.constraintViolation)"
        }
        let relative = optimization.map { " (\($0.relativeProjectedGradientNorm) of its start)" } ?? ""
        return "\(solver) stopped: \(stopReason), projected gradient \(optimality)\(relative)"
    }
}

/// What single shooting reports after each L-BFGS-B iteration.
public struct ControlProgress: Sendable {
    /// The augmented-Lagrangian outer iteration (1-based; always 1 without constraints).
    public var outerIteration: Int
    /// The optimiser's report (its objective includes constraint terms).
    public var optimizer: IterationProgress
}
