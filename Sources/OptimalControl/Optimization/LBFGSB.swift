/// L-BFGS-B: limited-memory quasi-Newton minimisation subject to box bounds l ≤ x ≤ u
/// (Byrd, Lu, Nocedal & Zhu 1995, "A limited memory algorithm for bound constrained
/// optimization", SIAM J. Sci. Comput. 16(5), 1190–1208, doi:10.1137/0916069; with the
/// subspace projection of version 3.0, Morales & Nocedal 2011, doi:10.1145/2049662.2049669).
///
/// Each iteration
/// 1. finds the **generalized Cauchy point** x^c, the first minimiser of the quadratic model
///    along the projected steepest-descent path (`GeneralizedCauchyPoint`), which fixes the
///    active set;
/// 2. **minimises the model over the free variables** (`subspaceMinimum`) and brings the
///    result back into the box (projection, or backtracking if the projection is not downhill);
/// 3. runs the **Moré–Thuente line search** along d = x̄ − x_k for a step satisfying the
///    strong Wolfe conditions, never evaluating outside the box;
/// 4. stores the pair (s, y) in the compact limited-memory matrix B = θI − W M Wᵀ.
///
/// It stops when the projected gradient ‖P(x − ∇f) − x‖∞ falls to
/// max(`gradientTolerance`, `relativeGradientTolerance` · its value at the start), when the
/// relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) stays at most
/// `relativeObjectiveTolerance` for `objectiveChangeIterations` iterations in a row, or at a
/// limit. The relative gradient rule makes the test independent of the problem's scale (a
/// control gradient shrinks with the interval length Δ, so a fixed `pgtol` means a different
/// accuracy at every N); requiring several small decreases in a row keeps one short step far
/// from the optimum from ending the run. A line search that fails is reported as
/// ``StopReason/lineSearchFailed`` unless the gradient rule holds at that point: the result
/// always carries the final projected-gradient norm, so a caller can judge.
///
/// ```swift
/// let bounds = try BoxBounds(count: 2, lower: -2, upper: 0.5)
/// let result = try LBFGSB().minimize(from: [-1.2, 1], bounds: bounds) { x in
///     let a = 1 - x[0], b = x[1] - x[0] * x[0]
///     return (a * a + 100 * b * b, [-2 * a - 400 * x[0] * b, 200 * b])
/// }
/// result.x, result.stopReason
/// ```
/// - Complexity: per iteration O(n m + m³) arithmetic plus O(n log n) for the breakpoints,
///   and usually one evaluation; memory O(n m).
public struct LBFGSB: Sendable {
    /// m: the number of correction pairs kept (3–20 is typical).
    public var memory: Int
    /// Stop when ‖P(x − ∇f) − x‖∞ is at most this (L-BFGS-B's `pgtol`, absolute).
    public var gradientTolerance: Double
    /// Stop when ‖P(x − ∇f) − x‖∞ is at most this times its value at the start.
    public var relativeGradientTolerance: Double
    /// Stop when the relative objective decrease of ``objectiveChangeIterations`` iterations in
    /// a row is at most this (L-BFGS-B's `factr · ε`).
    public var relativeObjectiveTolerance: Double
    /// How many consecutive iterations the objective rule must hold (1: L-BFGS-B's rule).
    public var objectiveChangeIterations: Int
    /// The most accepted iterations.
    public var maximumIterations: Int
    /// The most objective-and-gradient evaluations, the starting point included.
    public var maximumEvaluations: Int
    /// The most evaluations within one line search before it is declared failed.
    public var maximumLineSearchEvaluations: Int
    /// The sufficient-decrease constant of the Wolfe conditions.
    public var sufficientDecrease: Double
    /// The curvature constant of the strong Wolfe conditions.
    public var curvature: Double

    /// An optimiser whose defaults converge on the library's control problems: the
    /// projected gradient reduced by 10⁻⁸ relative to the start (or to 10⁻¹² absolute),
    /// or a relative objective decrease of at most 10³ε ≈ 2.2e-13 in three iterations in a
    /// row. With them the Van der Pol solves at N = 20 and N = 2000 end within 1e-8 relative
    /// of their optima (Papers/MultipleShootingAdjoints.md). L-BFGS-B's classic rule, one
    /// iteration with a decrease below 10⁷ε, stopped those solves 0.5% and 5e-6 above.
    public init(memory: Int = 10, gradientTolerance: Double = 1e-12, relativeGradientTolerance: Double = 1e-8,
                relativeObjectiveTolerance: Double = 1e3 * .ulpOfOne, objectiveChangeIterations: Int = 3,
                maximumIterations: Int = 5000, maximumEvaluations: Int = 20000,
                maximumLineSearchEvaluations: Int = 20,
                sufficientDecrease: Double = 1e-3, curvature: Double = 0.9) {
        precondition(memory >= 1, "L-BFGS-B needs memory ≥ 1, got \(memory)")
        precondition(gradientTolerance >= 0 && relativeGradientTolerance >= 0 && relativeObjectiveTolerance >= 0
                     && objectiveChangeIterations >= 1,
                     "tolerances must be non-negative and objectiveChangeIterations ≥ 1, got \(gradientTolerance), \(relativeGradientTolerance), \(relativeObjectiveTolerance), \(objectiveChangeIterations)")
        precondition(0 < sufficientDecrease && sufficientDecrease < curvature && curvature < 1,
                     "Wolfe constants need 0 < ftol < gtol < 1, got \(sufficientDecrease), \(curvature)")
        precondition(maximumIterations >= 0 && maximumEvaluations >= 1 && maximumLineSearchEvaluations >= 1,
                     "limits must be positive: iterations \(maximumIterations), evaluations \(maximumEvaluations), line search \(maximumLineSearchEvaluations)")
        self.memory = memory
        self.gradientTolerance = gradientTolerance
        self.relativeGradientTolerance = relativeGradientTolerance
        self.relativeObjectiveTolerance = relativeObjectiveTolerance
        self.objectiveChangeIterations = objectiveChangeIterations
        self.maximumIterations = maximumIterations
        self.maximumEvaluations = maximumEvaluations
        self.maximumLineSearchEvaluations = maximumLineSearchEvaluations
        self.sufficientDecrease = sufficientDecrease
        self.curvature = curvature
    }

    /// Minimises `objective` over the box from `start` (projected onto the box first).
    ///
    /// - Parameters:
    ///   - start: x₀; entries outside the bounds are moved onto them.
    ///   - bounds: the box; ``BoxBounds`` has already rejected empty intervals.
    ///   - progress: called after every accepted iteration; return `.stop` to end early.
    ///   - objective: x ↦ (f(x), ∇f(x)); only ever called with points inside the box. Errors
    ///     it throws are passed through.
    /// - Throws: ``OptimizationError`` for mismatched lengths or a non-finite objective at
    ///   the start, or whatever `objective` throws.
    /// - Complexity: see the type.
    public func minimize(
        from start: [Double], bounds: BoxBounds,
        progress: (IterationProgress) -> IterationDecision = { _ in .proceed },
        objective: ([Double]) throws -> (value: Double, gradient: [Double])
    ) throws -> OptimizationResult {
        let n = start.count
        guard n > 0 else { throw OptimizationError.emptyProblem }
        guard bounds.count == n else {
            throw OptimizationError.dimensionMismatch(expected: n, got: bounds.count, what: "the bounds")
        }
        var evaluations = 0
        func evaluate(_ point: [Double]) throws -> (Double, [Double]) {
            evaluations += 1
            let (f, g) = try objective(point)
            guard g.count == n else {
                throw OptimizationError.dimensionMismatch(expected: n, got: g.count, what: "the returned gradient")
            }
            return (f, g)
        }
        var x = bounds.project(start)
        var (f, g) = try evaluate(x)
        guard f.isFinite, g.allSatisfy(\.isFinite) else {
            throw OptimizationError.nonFiniteObjective(value: f.isFinite ? g.first { !$0.isFinite }! : f)
        }
        var hessian = LimitedMemoryBFGS(dimension: n, memory: memory)
        var iterations = 0
        var projectedNorm = bounds.projectedGradientNorm(at: x, gradient: g)
        let initialProjectedNorm = projectedNorm
        let gradientThreshold = Swift.max(gradientTolerance, relativeGradientTolerance * initialProjectedNorm)
        var smallDecreases = 0

        func result(_ reason: StopReason) -> OptimizationResult {
            OptimizationResult(x: x, objective: f, gradient: g, projectedGradientNorm: projectedNorm,
                               initialProjectedGradientNorm: initialProjectedNorm,
                               iterations: iterations, evaluations: evaluations, stopReason: reason)
        }
        /// A failed line search is convergence only if the optimality measure says so.
        func failedLineSearch() -> OptimizationResult {
            result(projectedNorm <= gradientThreshold ? .projectedGradientTolerance : .lineSearchFailed)
        }
        if projectedNorm <= gradientThreshold { return result(.projectedGradientTolerance) }

        while true {
            if iterations >= maximumIterations { return result(.maximumIterations) }
            if evaluations >= maximumEvaluations { return result(.maximumEvaluations) }
            let cauchy = GeneralizedCauchyPoint(x: x, gradient: g, bounds: bounds, hessian: hessian)
            let target = hessian.pairCount > 0
                ? subspaceMinimum(x: x, gradient: g, cauchy: cauchy, bounds: bounds, hessian: hessian)
                : cauchy.point
            var direction = Array(repeating: 0.0, count: n)
            for i in 0..<n { direction[i] = target[i] - x[i] }
            let slope = dot(g, direction)
            guard slope < 0 else {
                // Not downhill (rounding in the model): forget the curvature pairs and retry.
                if hessian.pairCount > 0 { hessian.reset(); continue }
                return failedLineSearch()
            }
            let search = try lineSearch(x: x, value: f, gradient: g, direction: direction, slope: slope,
                                        freshMemory: hessian.pairCount == 0, bounds: bounds,
                                        evaluationsLeft: maximumEvaluations - evaluations, evaluate: evaluate)
            guard let accepted = search else {
                if evaluations >= maximumEvaluations { return result(.maximumEvaluations) }
                if hessian.pairCount > 0 { hessian.reset(); continue }
                return failedLineSearch()
            }
            var s = Array(repeating: 0.0, count: n), y = Array(repeating: 0.0, count: n)
            for i in 0..<n { s[i] = accepted.x[i] - x[i]; y[i] = accepted.gradient[i] - g[i] }
            hessian.update(s: s, y: y)
            let previous = f
            x = accepted.x; f = accepted.value; g = accepted.gradient
            iterations += 1
            projectedNorm = bounds.projectedGradientNorm(at: x, gradient: g)
            let active = (0..<n).count { x[$0] == bounds.lower[$0] || x[$0] == bounds.upper[$0] }
            let report = IterationProgress(iteration: iterations, evaluations: evaluations, objective: f,
                                           projectedGradientNorm: projectedNorm, stepLength: accepted.step,
                                           activeBounds: active)
            if progress(report) == .stop { return result(.stoppedByCallback) }
            if projectedNorm <= gradientThreshold { return result(.projectedGradientTolerance) }
            let scale = Swift.max(abs(previous), abs(f), 1)
            smallDecreases = (previous - f) / scale <= relativeObjectiveTolerance ? smallDecreases + 1 : 0
            if smallDecreases >= objectiveChangeIterations { return result(.relativeObjectiveChange) }
        }
    }

    private struct AcceptedStep {
        var x: [Double], value: Double, gradient: [Double], step: Double
    }

    /// Runs Moré–Thuente along `direction`, clamping every trial point into the box.
    /// Returns nil if no step with sufficient decrease was found.
    private func lineSearch(
        x: [Double], value f0: Double, gradient g0: [Double], direction d: [Double], slope: Double,
        freshMemory: Bool, bounds: BoxBounds, evaluationsLeft: Int,
        evaluate: ([Double]) throws -> (Double, [Double])
    ) throws -> AcceptedStep? {
        let n = x.count
        // The largest step keeping x + αd feasible (x̄ is feasible, so it is at least 1).
        var maximumStep = 1e10
        if bounds.isConstrained {
            if freshMemory {
                maximumStep = 1
            } else {
                for i in 0..<n where d[i] != 0 {
                    let room = d[i] > 0 ? bounds.upper[i] - x[i] : bounds.lower[i] - x[i]
                    maximumStep = Swift.min(maximumStep, Swift.max(room / d[i], 0))
                }
                maximumStep = Swift.max(maximumStep, 1)
            }
        }
        var initial = 1.0
        if freshMemory && !bounds.isBoxed {
            initial = Swift.min(1 / dot(d, d).squareRoot(), maximumStep)
        }
        var best: AcceptedStep?
        var search = MoreThuenteLineSearch(value: f0, slope: slope, step: initial, maximumStep: maximumStep,
                                           ftol: sufficientDecrease, gtol: curvature)
        var used = 0
        while case .evaluate(let step) = search.state {
            guard used < Swift.min(maximumLineSearchEvaluations, evaluationsLeft) else { break }
            used += 1
            var trial = Array(repeating: 0.0, count: n)
            for i in 0..<n {
                trial[i] = Swift.min(Swift.max(x[i] + step * d[i], bounds.lower[i]), bounds.upper[i])
            }
            let (f, g) = try evaluate(trial)
            guard f.isFinite, g.allSatisfy(\.isFinite) else {
                // Undefined there: restart the search on the shorter interval (0, α/2].
                let shorter = step / 2
                guard shorter > 1e-20 else { break }
                search = MoreThuenteLineSearch(value: f0, slope: slope, step: shorter, maximumStep: shorter,
                                               ftol: sufficientDecrease, gtol: curvature)
                continue
            }
            let trialSlope = dot(g, d)
            if f <= f0 + sufficientDecrease * step * slope, f < (best?.value ?? f0) {
                best = AcceptedStep(x: trial, value: f, gradient: g, step: step)
            }
            search.next(value: f, slope: trialSlope)
        }
        if case .converged = search.state { return best }
        // A warning or the evaluation cap: accept the best point with sufficient decrease.
        return best
    }
}
