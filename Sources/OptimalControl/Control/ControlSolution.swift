import CheckpointedAD

/// The outcome of ``SingleShooting/solve(initialControls:optimizer:constraints:progress:)``.
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
    /// L-BFGS-B iterations over all outer (augmented-Lagrangian) iterations.
    public var iterations: Int
    /// Objective-and-gradient evaluations over all outer iterations.
    public var evaluations: Int
    /// Augmented-Lagrangian outer iterations (1 without path constraints or with a penalty).
    public var outerIterations: Int
    /// Why the last L-BFGS-B run stopped.
    public var stopReason: StopReason
    /// The last L-BFGS-B result (its `objective` includes constraint terms).
    public var optimization: OptimizationResult
    /// The checkpointed driver's counts for the last gradient (nil for store-all).
    public var gradientStatistics: CheckpointingStatistics?
    /// The most bytes the checkpoints held at once over every gradient of the solve.
    public var peakCheckpointBytes: Int
    /// Single shooting's own working bytes (stepper stages, controls, gradient, scratch).
    public var workingBytes: Int
    /// Everything a checkpointed gradient holds besides its checkpoints: ``workingBytes``
    /// plus the driver's working states; peak memory is ``peakCheckpointBytes`` plus this.
    public var bytesBesidesCheckpoints: Int
}

/// What single shooting reports after each L-BFGS-B iteration.
public struct ControlProgress: Sendable {
    /// The augmented-Lagrangian outer iteration (1-based; always 1 without constraints).
    public var outerIteration: Int
    /// The optimiser's report (its objective includes constraint terms).
    public var optimizer: IterationProgress
}
