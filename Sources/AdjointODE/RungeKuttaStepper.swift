/// One explicit Runge–Kutta step and its discrete adjoint, on flat `Double` storage.
///
/// **Forward.** From (t, y) with step h: Y_i = y + h Σ_{j<i} a_ij k_j,
/// k_i = f(t + c_i h, Y_i, p), y⁺ = y + h Σ b_i k_i (and e = h Σ (b_i − b̂_i) k_i for an
/// embedded pair). Every step computes all its stages from its own start state (no FSAL
/// reuse), so a recomputed step reproduces the first one bit for bit.
///
/// **Adjoint** (Hager 2000, Numer. Math. 87, doi:10.1007/s002110000178; Sandu
/// 2006, ICCS 2006, LNCS 3994, pp. 550–557). Given λ⁺ = ∂L/∂y⁺, the stages are recomputed
/// from y and, for i = s … 1,
///
/// ```
/// u_i  = h b_i λ⁺ + h Σ_{j>i} a_ji Ȳ_j          (the adjoint of k_i)
/// Ȳ_i  = (∂f/∂y)(t + c_i h, Y_i)ᵀ u_i           (one stage VJP)
/// p̄   += (∂f/∂p)(t + c_i h, Y_i)ᵀ u_i
/// ```
///
/// then λ = λ⁺ + Σ_i Ȳ_i. This is the exact gradient of the discrete step map, computed
/// with one right-hand-side VJP per stage and never by differentiating the stepper's code.
/// The step size h (and the time t) are constants: in an adaptive run they come from the
/// recorded step-size sequence, so the adjoint ignores their dependence on y and p.
///
/// A stage whose k_i feeds nothing (b_i = 0 and a_ji = 0 for every j > i, like the FSAL
/// stage of Dormand–Prince) is skipped when no error estimate is asked for, and its VJP is
/// skipped in the adjoint.
///
/// - Complexity: forward, s right-hand-side evaluations and O(s²N) arithmetic; adjoint,
///   s evaluations (none when the taped step just computed them) plus s VJPs. Workspace
///   3·s·N + 2N doubles (``workspaceBytes``), allocated once.
public final class RungeKuttaStepper {
    /// The method.
    public let method: ButcherTableau
    /// The right-hand side.
    public let rightHandSide: RightHandSide
    /// N.
    public var dimension: Int { rightHandSide.dimension }

    let s: Int
    /// Stage derivatives k_i, `s × N`.
    let derivatives: UnsafeMutablePointer<Double>
    /// Stage states Y_i, `s × N` (Y_0 is a copy of y).
    let stageStates: UnsafeMutablePointer<Double>
    /// Stage-state adjoints Ȳ_i, `s × N`.
    let stageAdjoints: UnsafeMutablePointer<Double>
    /// Scratch: the cotangent u, and y⁺ in the adjoint.
    let cotangent: UnsafeMutablePointer<Double>
    let scratchState: UnsafeMutablePointer<Double>
    /// Per-stage factors of the stored stage adjoints (see ``pullback``).
    let stageScales: UnsafeMutablePointer<Double>
    /// Scratch parameter cotangent for a rescaled stage.
    let scratchParameters: UnsafeMutableBufferPointer<Double>
    /// Scratch list of (factor, vector) terms for ``linearCombination(into:base:baseFactor:terms:)``.
    let terms: UnsafeMutablePointer<(Double, UnsafePointer<Double>)>
    /// Whether k_i feeds y⁺ or a later stage.
    let stageIsUsed: [Bool]
    /// Whether row i of a has a non-zero entry; a stage without one is y itself.
    let stageHasTerms: [Bool]
    /// Incremented every time the stages are computed, so that a pullback can tell whether
    /// the workspace still holds the stages of its own step.
    public private(set) var generation = 0
    /// Right-hand-side evaluations so far.
    private(set) var evaluations = 0
    /// The number of stages that feed y⁺ or a later stage.
    let usedStageCount: Int

    /// A stepper for `method` on `rightHandSide`, with its workspace.
    public init(method: ButcherTableau, rightHandSide: RightHandSide) {
        self.method = method
        self.rightHandSide = rightHandSide
        s = method.stages
        let n = rightHandSide.dimension
        derivatives = .allocate(capacity: s * n)
        stageStates = .allocate(capacity: s * n)
        stageAdjoints = .allocate(capacity: s * n)
        cotangent = .allocate(capacity: n)
        scratchState = .allocate(capacity: n)
        derivatives.initialize(repeating: 0, count: s * n)
        stageStates.initialize(repeating: 0, count: s * n)
        stageAdjoints.initialize(repeating: 0, count: s * n)
        cotangent.initialize(repeating: 0, count: n)
        scratchState.initialize(repeating: 0, count: n)
        terms = .allocate(capacity: s + 1)
        stageScales = .allocate(capacity: s)
        stageScales.initialize(repeating: 1, count: s)
        scratchParameters = .allocate(capacity: rightHandSide.parameterCount)
        scratchParameters.initialize(repeating: 0)
        let s = method.stages
        stageHasTerms = (0..<s).map { i in (0..<i).contains { method.coefficient(i, $0) != 0 } }
        stageIsUsed = (0..<s).map { i in method.b[i] != 0 || (i + 1..<s).contains { method.coefficient($0, i) != 0 } }
        usedStageCount = stageIsUsed.filter { $0 }.count
    }

    deinit {
        derivatives.deallocate()
        stageStates.deallocate()
        stageAdjoints.deallocate()
        cotangent.deallocate()
        scratchState.deallocate()
        terms.deallocate()
        stageScales.deallocate()
        scratchParameters.deallocate()
    }

    /// out = baseFactor · base + Σ_t c_t x_t over the first `count` entries of ``terms``,
    /// summed left to right, in passes of up to four terms (one pass for every tableau row
    /// of the methods here except the last rows of Dormand–Prince and Tsitouras). `out` may be
    /// `base`. The order of operations is fixed, so equal inputs give equal bits.
    @inline(__always)
    func linearCombination(into out: UnsafeMutablePointer<Double>, base: UnsafePointer<Double>?, baseFactor: Double, count: Int) {
        let n = dimension
        var index = 0
        var source = base
        var factor = baseFactor
        repeat {
            let take = Swift.min(4, count - index)
            switch (take, source) {
            case let (0, source?):
                for m in 0..<n { out[m] = factor * source[m] }
            case (0, nil):
                out.update(repeating: 0, count: n)
            case let (1, source?):
                let (c0, x0) = terms[index]
                for m in 0..<n { out[m] = factor * source[m] + c0 * x0[m] }
            case (1, nil):
                let (c0, x0) = terms[index]
                for m in 0..<n { out[m] = c0 * x0[m] }
            case let (2, source?):
                let (c0, x0) = terms[index]
                let (c1, x1) = terms[index + 1]
                for m in 0..<n { out[m] = factor * source[m] + c0 * x0[m] + c1 * x1[m] }
            case (2, nil):
                let (c0, x0) = terms[index]
                let (c1, x1) = terms[index + 1]
                for m in 0..<n { out[m] = c0 * x0[m] + c1 * x1[m] }
            case let (3, source?):
                let (c0, x0) = terms[index]
                let (c1, x1) = terms[index + 1]
                let (c2, x2) = terms[index + 2]
                for m in 0..<n { out[m] = factor * source[m] + c0 * x0[m] + c1 * x1[m] + c2 * x2[m] }
            case let (_, source?):
                let (c0, x0) = terms[index]
                let (c1, x1) = terms[index + 1]
                let (c2, x2) = terms[index + 2]
                let (c3, x3) = terms[index + 3]
                for m in 0..<n { out[m] = factor * source[m] + c0 * x0[m] + c1 * x1[m] + c2 * x2[m] + c3 * x3[m] }
            case (3, nil):
                let (c0, x0) = terms[index]
                let (c1, x1) = terms[index + 1]
                let (c2, x2) = terms[index + 2]
                for m in 0..<n { out[m] = c0 * x0[m] + c1 * x1[m] + c2 * x2[m] }
            case (_, nil):
                let (c0, x0) = terms[index]
                let (c1, x1) = terms[index + 1]
                let (c2, x2) = terms[index + 2]
                let (c3, x3) = terms[index + 3]
                for m in 0..<n { out[m] = c0 * x0[m] + c1 * x1[m] + c2 * x2[m] + c3 * x3[m] }
            }
            index += take
            source = UnsafePointer(out)
            factor = 1
        } while index < count
    }

    /// Y_i: the stage state in the workspace, or y for a stage without terms.
    @inline(__always)
    func stageState(_ i: Int, _ y: UnsafePointer<Double>) -> UnsafePointer<Double> {
        stageHasTerms[i] ? UnsafePointer(stageStates + i * dimension) : y
    }

    /// The bytes of workspace this stepper holds (counted in memory budgets).
    public var workspaceBytes: Int { (3 * s + 2) * dimension * MemoryLayout<Double>.stride }

    /// True: the stages carry the running cost's quadrature.
    public var integratesRunningCosts: Bool { true }

    // MARK: Forward

    /// Computes the stages k_i (and keeps Y_i when `keepStates`) from (t, y) with step h.
    /// Stages that feed nothing are skipped unless `allStages`.
    @inline(__always)
    func computeStages(time t: Double, size h: Double, state y: UnsafePointer<Double>, parameters p: UnsafeBufferPointer<Double>, allStages: Bool) {
        let n = dimension
        generation &+= 1
        evaluations &+= allStages ? s : usedStageCount
        for i in 0..<s where allStages || stageIsUsed[i] {
            let stage = stageStates + i * n
            var count = 0
            for j in 0..<i where method.a[i * s + j] != 0 {
                terms[count] = (h * method.a[i * s + j], UnsafePointer(derivatives + j * n))
                count += 1
            }
            // A stage with no terms (the first) is evaluated at y itself, not at a copy.
            if count > 0 { linearCombination(into: stage, base: y, baseFactor: 1, count: count) }
            rightHandSide.evaluate(
                t + method.c[i] * h, UnsafeBufferPointer(start: stageState(i, y), count: n), p,
                UnsafeMutableBufferPointer(start: derivatives + i * n, count: n))
        }
    }

    /// y⁺ = y + h Σ b_i k_i from the stages in the workspace.
    @inline(__always)
    func combine(size h: Double, state y: UnsafePointer<Double>, weights: [Double], into output: UnsafeMutablePointer<Double>, addInitial: Bool) {
        let n = dimension
        var count = 0
        for i in 0..<s where weights[i] != 0 {
            terms[count] = (h * weights[i], UnsafePointer(derivatives + i * n))
            count += 1
        }
        linearCombination(into: output, base: addInitial ? y : nil, baseFactor: 1, count: count)
    }

    /// Σ_i b_i g(t + c_i h, Y_i) · h: the running cost's quadrature over one step, from the
    /// stage states in the workspace.
    func quadrature(of cost: RunningCost, time t: Double, size h: Double, state y: UnsafePointer<Double>, parameters p: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<s where method.b[i] != 0 {
            sum += method.b[i] * cost.value(t + method.c[i] * h, UnsafeBufferPointer(start: stageState(i, y), count: dimension), p)
        }
        return h * sum
    }

    /// One step: writes y⁺ into `next` and, if given, the error estimate
    /// e = h Σ (b_i − b̂_i) k_i into `errorEstimate`. Returns the running cost's quadrature
    /// over the step (0 without a cost). `next` may not alias `state`.
    ///
    /// - Precondition: `errorEstimate` only for an embedded method.
    @discardableResult
    public func step(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        into next: UnsafeMutableBufferPointer<Double>, errorEstimate: UnsafeMutableBufferPointer<Double>? = nil,
        runningCost: RunningCost? = nil
    ) -> Double {
        precondition(y.count == dimension && next.count == dimension, "state buffers hold \(y.count) and \(next.count) values, the ODE has \(dimension)")
        let start = y.baseAddress!
        computeStages(time: t, size: h, state: start, parameters: p, allStages: errorEstimate != nil)
        combine(size: h, state: start, weights: method.b, into: next.baseAddress!, addInitial: true)
        if let error = errorEstimate {
            guard let weights = method.errorWeights else { preconditionFailure("\(method.name) has no embedded error estimate") }
            combine(size: h, state: start, weights: weights, into: error.baseAddress!, addInitial: false)
        }
        return runningCost.map { quadrature(of: $0, time: t, size: h, state: start, parameters: p) } ?? 0
    }

    // MARK: Adjoint

    /// The discrete adjoint of one step: λ⁺ (in `stateAdjoint`) becomes λ = (∂y⁺/∂y)ᵀ λ⁺,
    /// and (∂y⁺/∂p)ᵀ λ⁺ is added to `parameterAdjoint`.
    ///
    /// - Parameters:
    ///   - t: the step's start time.
    ///   - h: the step size.
    ///   - y: the state at the step's start.
    ///   - p: the parameters.
    ///   - lambda: λ⁺ on entry (unless `incoming` is given), λ on return.
    ///   - pBar: the parameter adjoint, to which (∂y⁺/∂p)ᵀ λ⁺ is added.
    ///   - runningCost: a cost whose quadrature over the step is part of the loss.
    ///   - costWeight: the adjoint of that quadrature (1 for a loss that adds it once).
    ///   - endState: called with y⁺ (recomputed bit for bit) and λ⁺ before the adjoint
    ///     recursion, to add a loss term's gradient at the step's end into λ⁺.
    ///   - incoming: if given, λ⁺ is read from here and `stateAdjoint` is output only (saves
    ///     one pass over the state).
    ///   - stagesAreCurrent: true when the workspace still holds this very step's stages
    ///     (``generation`` unchanged since a ``step(time:size:state:parameters:into:errorEstimate:runningCost:)``
    ///     with the same arguments); the stages are then not recomputed.
    /// - Complexity: s right-hand-side evaluations (none when `stagesAreCurrent`) and at most s VJPs.
    public func pullback(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        stateAdjoint lambda: UnsafeMutableBufferPointer<Double>, parameterAdjoint pBar: UnsafeMutableBufferPointer<Double>,
        runningCost: RunningCost? = nil, costWeight: Double = 1,
        endState: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void)? = nil,
        stagesAreCurrent: Bool = false, incoming: UnsafeBufferPointer<Double>? = nil
    ) {
        let n = dimension
        precondition(y.count == n && lambda.count == n, "state buffers hold \(y.count) and \(lambda.count) values, the ODE has \(n)")
        precondition(pBar.count == rightHandSide.parameterCount, "parameter adjoint holds \(pBar.count) values, the ODE has \(rightHandSide.parameterCount) parameters")
        let start = y.baseAddress!
        var l = UnsafePointer(lambda.baseAddress!)
        if let incoming {
            precondition(incoming.count == n, "the incoming adjoint holds \(incoming.count) values, the ODE has \(n)")
            if endState != nil {
                lambda.baseAddress!.update(from: incoming.baseAddress!, count: n)
            } else {
                l = incoming.baseAddress!
            }
        }
        if !stagesAreCurrent { computeStages(time: t, size: h, state: start, parameters: p, allStages: false) }
        if let endState {
            combine(size: h, state: start, weights: method.b, into: scratchState, addInitial: true)
            endState(UnsafeBufferPointer(start: scratchState, count: n), lambda)
        }
        // Ȳ_i is stored divided by `scale[i]` (1, or h b_i for a stage whose u_i = h b_i λ⁺ is
        // then never formed: the VJP reads λ⁺ itself, saving one pass over the state).
        let scale = stageScales
        for i in stride(from: s - 1, through: 0, by: -1) {
            let stageAdjoint = stageAdjoints + i * n
            guard stageIsUsed[i] else { continue }
            // u_i = h b_i λ⁺ + h Σ_{j>i} a_ji Ȳ_j
            let hb = h * method.b[i]
            var count = 0
            for j in i + 1..<s where stageIsUsed[j] && method.a[j * s + i] != 0 {
                terms[count] = (h * method.a[j * s + i] * scale[j], UnsafePointer(stageAdjoints + j * n))
                count += 1
            }
            let stageTime = t + method.c[i] * h
            let stageState = UnsafeBufferPointer(start: stageState(i, start), count: n)
            let stageBar = UnsafeMutableBufferPointer(start: stageAdjoint, count: n)
            if count == 0 && hb != 0 && pBar.count <= scratchParameters.count {
                // Ȳ_i / (h b_i) = (∂f/∂y)ᵀ λ⁺; p̄ += h b_i (∂f/∂p)ᵀ λ⁺.
                scale[i] = hb
                let pScratch = UnsafeMutableBufferPointer(rebasing: scratchParameters[0..<pBar.count])
                pScratch.update(repeating: 0)
                rightHandSide.pullback(stageTime, stageState, p, UnsafeBufferPointer(start: l, count: n), stageBar, pScratch)
                if let cost = runningCost {
                    cost.gradient(stageTime, stageState, p, costWeight, stageBar, pScratch)
                }
                for m in 0..<pBar.count { pBar[m] += hb * pScratch[m] }
            } else {
                scale[i] = 1
                let u = cotangent
                linearCombination(into: u, base: hb != 0 ? l : nil, baseFactor: hb, count: count)
                rightHandSide.pullback(stageTime, stageState, p, UnsafeBufferPointer(start: u, count: n), stageBar, pBar)
                if let cost = runningCost, method.b[i] != 0 {
                    cost.gradient(stageTime, stageState, p, costWeight * hb, stageBar, pBar)
                }
            }
        }
        var count = 0
        for i in 0..<s where stageIsUsed[i] {
            terms[count] = (scale[i], UnsafePointer(stageAdjoints + i * n))
            count += 1
        }
        linearCombination(into: lambda.baseAddress!, base: l, baseFactor: 1, count: count)
    }
}

extension RungeKuttaStepper: ODEStepper {
    /// The tableau's name.
    public var methodName: String { method.name }
    /// The tableau's order.
    public var order: Int { method.order }
    /// The embedded order (below the propagated one for every explicit pair here).
    public var errorEstimateOrder: Int? { method.embeddedOrder.map { Swift.min($0, method.order) } }
    /// Evaluations only: an explicit step solves nothing.
    public var counts: StepperCounts {
        var counts = StepperCounts()
        counts.evaluations = evaluations
        return counts
    }
}
