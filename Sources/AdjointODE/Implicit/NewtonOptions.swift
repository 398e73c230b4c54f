/// How the stage equations of an implicit step are solved: simplified Newton with the
/// iteration matrix I − hγJ(t, y) formed once per step, at the step's start, and reused by
/// every stage.
///
/// An iteration ΔZ = M⁻¹(ψ + hγ f(Z) − Z), Z ← Z + ΔZ stops when the weighted RMS norm
/// ‖ΔZ / (atol + rtol·|Z|)‖ of its predicted remaining error, θ/(1 − θ)·‖ΔZ‖ with θ the
/// observed contraction rate, is at most 1 (Hairer & Wanner, *Solving ODEs II*, §IV.8,
/// eq. (8.10)); θ ≥ ``divergenceRate`` or ``maximumIterations`` iterations fail the step.
/// An adaptive solve retries a failed step with a quarter of its size; a fixed-step solve
/// throws ``ODEError/newtonDidNotConverge(step:time:size:stage:iterations:)``.
///
/// ```swift
/// let newton = NewtonOptions(relative: 1e-10, absolute: 1e-12, maximumIterations: 20)
/// let solution = try solve(problem, method: .kvaerno5, span: 0...40, step: .adaptive(tolerances), newton: newton)
/// ```
///
/// The Jacobian depends only on the step's own start (t, y, p), never on earlier steps, so
/// a step recomputed from a checkpoint repeats its iterations bit for bit. The gradient is
/// the adjoint of the converged stage equations (not of the iterations), so it is exact to
/// the level at which the stages are converged: keep these tolerances well below the
/// solve's own.
public struct NewtonOptions: Hashable, Sendable {
    /// rtol of the convergence test (1e−10 by default).
    public var relative: Double
    /// atol of the convergence test (1e−12 by default).
    public var absolute: Double
    /// The most iterations per stage (20 by default).
    public var maximumIterations: Int
    /// A contraction rate θ at or above this declares divergence (0.9 by default).
    public var divergenceRate: Double

    /// Options with defaults that converge the stages far below usual solve tolerances.
    public init(relative: Double = 1e-10, absolute: Double = 1e-12, maximumIterations: Int = 20, divergenceRate: Double = 0.9) {
        precondition(relative >= 0 && absolute >= 0 && relative + absolute > 0, "Newton tolerances must be non-negative and not both zero, got rtol = \(relative), atol = \(absolute)")
        precondition(maximumIterations >= 1, "Newton needs at least one iteration, got \(maximumIterations)")
        precondition(divergenceRate > 0 && divergenceRate <= 1, "the divergence rate must lie in (0, 1], got \(divergenceRate)")
        self.relative = relative
        self.absolute = absolute
        self.maximumIterations = maximumIterations
        self.divergenceRate = divergenceRate
    }
}
