/// One step of a singly diagonally implicit Runge–Kutta method (``DiagonallyImplicitTableau``)
/// and its exact discrete adjoint, on flat `Double` storage.
///
/// **Forward.** With ψ_i = y + h Σ_{j<i} a_ij k_j, an explicit stage (a_ii = 0) is
/// Y_i = ψ_i, k_i = f(t + c_i h, Y_i); an implicit one solves Y_i = ψ_i + hγ f(t + c_i h, Y_i)
/// by simplified Newton (``NewtonOptions``) with M = I − hγJ(t, y), assembled and factorised
/// once per step (`IterationMatrix`), and sets k_i = (Y_i − ψ_i)/(hγ) (Hairer & Wanner,
/// *Solving ODEs II*, §IV.8: this avoids amplifying the Newton error by the stiffness).
/// Then y⁺ = y + h Σ b_i k_i. Nothing is carried from one step to the next, so a recomputed
/// step repeats the first one bit for bit.
///
/// **Adjoint** (implicit function theorem on the converged stage equations
/// k_i = f(t_i, y + h Σ_{j≤i} a_ij k_j); Hager 2000, doi:10.1007/s002110000178; Sandu 2006,
/// ICCS 2006, LNCS 3994, pp. 550–557; Papers/SanduImplicitAdjoints.md). Given λ⁺ and
/// J_i = ∂f/∂y(t_i, Y_i), for i = s … 1:
///
/// ```
/// r_i = h b_i λ⁺ + h Σ_{j>i} a_ji Ȳ_j
/// (I − h a_ii J_i)ᵀ u_i = r_i          (a transposed LU solve; u_i = r_i for an explicit stage)
/// Ȳ_i = J_iᵀ u_i,   p̄ += (∂f/∂p)_iᵀ u_i   (one right-hand-side VJP)
/// ```
///
/// and λ = λ⁺ + Σ Ȳ_i. J_i is taken at the converged stage Y_i (not at y, where the Newton
/// matrix was formed), so this is the exact derivative of the discrete map, not of the
/// Newton iterations: each implicit stage costs one Jacobian assembly and one factorisation
/// in the adjoint. h and t are constants (for adaptive runs they are the recorded steps).
///
/// ```swift
/// let stepper = DiagonallyImplicitStepper(method: .kvaerno5, rightHandSide: rhs)
/// try stepper.step(time: 0, size: 0.1, state: y, parameters: p, into: next)
/// ```
///
/// - Complexity: forward, one Jacobian (N VJPs dense, kl + ku + 1 banded), one LU, and per
///   implicit stage one evaluation and one solve per Newton iteration; adjoint, the forward
///   stages again (unless the taped step just computed them), one Jacobian, one LU and one
///   transposed solve per implicit stage, and s VJPs. Workspace (3s + 4)·N doubles plus the
///   LU storage (N² dense, (2kl + ku + 1)·N banded).
public final class DiagonallyImplicitStepper: ODEStepper {
    /// The method.
    public let method: DiagonallyImplicitTableau
    /// The right-hand side (its ``RightHandSide/jacobianStructure`` picks dense or banded LU).
    public let rightHandSide: RightHandSide
    /// How the stages are solved.
    public let newton: NewtonOptions
    /// N.
    public var dimension: Int { rightHandSide.dimension }
    /// Incremented every time the stages are computed (see ``ODEStepper/generation``).
    public private(set) var generation = 0

    let s: Int
    /// k_i, Y_i, Ȳ_i: `s × N` each.
    let derivatives: UnsafeMutablePointer<Double>
    let stageStates: UnsafeMutablePointer<Double>
    let stageAdjoints: UnsafeMutablePointer<Double>
    /// Scratch vectors: ψ (or the cotangent r), the Newton correction (or the cost gradient), y⁺.
    let psi: UnsafeMutablePointer<Double>
    let correction: UnsafeMutablePointer<Double>
    let scratchState: UnsafeMutablePointer<Double>
    /// The Newton matrix I − hγJ(t, y), and the adjoint's I − hγJ(t_i, Y_i).
    let newtonMatrix: IterationMatrix
    let stageMatrix: IterationMatrix
    /// Whether k_i feeds y⁺ or a later stage.
    let stageIsUsed: [Bool]
    var evaluations = 0
    var newtonIterations = 0

    /// A stepper for `method` on `rightHandSide`, with its workspace.
    public init(method: DiagonallyImplicitTableau, rightHandSide: RightHandSide, newton: NewtonOptions = NewtonOptions()) {
        self.method = method
        self.rightHandSide = rightHandSide
        self.newton = newton
        s = method.stages
        let n = rightHandSide.dimension
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let pointer = UnsafeMutablePointer<Double>.allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
            return pointer
        }
        derivatives = buffer(s * n)
        stageStates = buffer(s * n)
        stageAdjoints = buffer(s * n)
        psi = buffer(n)
        correction = buffer(n)
        scratchState = buffer(n)
        newtonMatrix = IterationMatrix(rightHandSide: rightHandSide)
        stageMatrix = IterationMatrix(rightHandSide: rightHandSide)
        let s = method.stages
        stageIsUsed = (0..<s).map { i in method.b[i] != 0 || (i + 1..<s).contains { method.coefficient($0, i) != 0 } }
    }

    deinit {
        for pointer in [derivatives, stageStates, stageAdjoints, psi, correction, scratchState] { pointer.deallocate() }
    }

    /// The tableau's name, e.g. `"Kvaerno5(4)"`.
    public var methodName: String { method.name }
    /// The tableau's order.
    public var order: Int { method.order }
    /// min(order, embedded order): the order q of an error estimate that is O(h^(q+1)).
    public var errorEstimateOrder: Int? { method.embeddedOrder.map { Swift.min($0, method.order) } }
    /// True: the stages carry the running cost's quadrature.
    public var integratesRunningCosts: Bool { true }
    /// Stage buffers and LU storage, counted in memory budgets.
    public var workspaceBytes: Int {
        (3 * s + 3) * dimension * MemoryLayout<Double>.stride + newtonMatrix.bytes + stageMatrix.bytes
    }
    /// Evaluations, Newton iterations, solves, Jacobians and factorisations so far (forward
    /// and adjoint; Jacobian-assembly VJPs are counted as Jacobians, not evaluations).
    public var counts: StepperCounts {
        var counts = StepperCounts()
        counts.evaluations = evaluations + newtonMatrix.productEvaluations + stageMatrix.productEvaluations
        counts.krylovIterations = newtonMatrix.krylovIterations + stageMatrix.krylovIterations
        counts.newtonIterations = newtonIterations
        counts.linearSolves = newtonMatrix.solves + stageMatrix.solves
        counts.jacobianEvaluations = newtonMatrix.jacobianEvaluations + stageMatrix.jacobianEvaluations
        counts.factorizations = newtonMatrix.factorizations + stageMatrix.factorizations
        return counts
    }

    /// f(t, Y) into `out`.
    @inline(__always)
    func evaluate(_ t: Double, _ y: UnsafePointer<Double>, _ p: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Double>) {
        evaluations += 1
        rightHandSide.evaluate(t, UnsafeBufferPointer(start: y, count: dimension), p, UnsafeMutableBufferPointer(start: out, count: dimension))
    }

    /// ‖v / (atol + rtol·|w|)‖_rms with the Newton tolerances.
    @inline(__always)
    func weightedNorm(_ v: UnsafePointer<Double>, scale w: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for m in 0..<dimension {
            let ratio = v[m] / (newton.absolute + newton.relative * abs(w[m]))
            sum += ratio * ratio
        }
        return (sum / Double(dimension)).squareRoot()
    }

    // MARK: Forward

    /// Computes every used stage (all stages when `allStages`) from (t, y) with step h.
    func computeStages(time t: Double, size h: Double, state y: UnsafePointer<Double>, parameters p: UnsafeBufferPointer<Double>, allStages: Bool) throws(StageSolveFailure) {
        let n = dimension
        let hg = h * method.diagonal
        generation &+= 1
        var matrixIsReady = false
        for i in 0..<s where allStages || stageIsUsed[i] {
            let stage = stageStates + i * n
            let k = derivatives + i * n
            // ψ_i = y + h Σ_{j<i} a_ij k_j, into the stage buffer.
            stage.update(from: y, count: n)
            for j in 0..<i where method.a[i * s + j] != 0 {
                let factor = h * method.a[i * s + j]
                let kj = derivatives + j * n
                for m in 0..<n { stage[m] += factor * kj[m] }
            }
            let stageTime = t + method.c[i] * h
            guard method.isImplicit(i) else {
                evaluate(stageTime, stage, p, into: k)
                continue
            }
            if !matrixIsReady {
                do {
                    try newtonMatrix.assemble(
                        time: t, state: UnsafeBufferPointer(start: y, count: n), parameters: p, scale: hg)
                } catch {
                    throw StageSolveFailure(stage: i, iterations: 0, reason: .linearAlgebra(error))
                }
                matrixIsReady = true
            }
            try solveStage(i, time: stageTime, scale: hg, parameters: p)
        }
    }

    /// Solves Y_i = ψ_i + hγ f(t_i, Y_i) for the stage in the workspace (holding ψ_i on
    /// entry, Y_i on return) and sets k_i = (Y_i − ψ_i)/(hγ).
    func solveStage(_ i: Int, time stageTime: Double, scale hg: Double, parameters p: UnsafeBufferPointer<Double>) throws(StageSolveFailure) {
        let n = dimension
        let z = stageStates + i * n
        let k = derivatives + i * n
        psi.update(from: z, count: n)
        // Predictor: Z⁰ = ψ_i + hγ k_{i−1} (the latest stage derivative), or ψ_i for the first stage.
        if i > 0 {
            let previous = derivatives + (i - 1) * n
            for m in 0..<n { z[m] += hg * previous[m] }
        }
        var previousNorm = 0.0
        var converged = false
        var iteration = 0
        while iteration < newton.maximumIterations {
            iteration += 1
            newtonIterations += 1
            // ΔZ = M⁻¹(ψ + hγ f(Z) − Z)
            evaluate(stageTime, z, p, into: correction)
            for m in 0..<n { correction[m] = psi[m] + hg * correction[m] - z[m] }
            do { try newtonMatrix.solve(correction) } catch {
                throw StageSolveFailure(stage: i, iterations: iteration, reason: .linearAlgebra(error))
            }
            for m in 0..<n { z[m] += correction[m] }
            let norm = weightedNorm(correction, scale: z)
            guard norm.isFinite else { break }
            if norm == 0 { converged = true; break }
            if iteration > 1 {
                let rate = norm / previousNorm
                if rate >= newton.divergenceRate { break }
                if rate / (1 - rate) * norm <= 1 { converged = true; break }
            } else if norm <= 1e-3 {
                converged = true  // a first correction this small leaves nothing to iterate
                break
            }
            previousNorm = norm
        }
        guard converged else { throw StageSolveFailure(stage: i, iterations: iteration, reason: .newtonDidNotConverge) }
        let inverse = 1 / hg
        for m in 0..<n { k[m] = (z[m] - psi[m]) * inverse }
    }

    /// out = (addInitial ? y : 0) + h Σ w_i k_i.
    func combine(size h: Double, state y: UnsafePointer<Double>, weights: [Double], into out: UnsafeMutablePointer<Double>, addInitial: Bool) {
        let n = dimension
        if addInitial { out.update(from: y, count: n) } else { out.update(repeating: 0, count: n) }
        for i in 0..<s where weights[i] != 0 {
            let factor = h * weights[i]
            let k = derivatives + i * n
            for m in 0..<n { out[m] += factor * k[m] }
        }
    }

    /// One step: y⁺ into `next`, e = h Σ (b_i − b̂_i) k_i into `errorEstimate` if given;
    /// returns h Σ b_i g(t_i, Y_i) for a running cost (0 without one).
    ///
    /// - Throws: ``StageSolveFailure`` when a stage's Newton iteration fails or I − hγJ is singular.
    @discardableResult
    public func step(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        into next: UnsafeMutableBufferPointer<Double>, errorEstimate: UnsafeMutableBufferPointer<Double>? = nil,
        runningCost: RunningCost? = nil
    ) throws(StageSolveFailure) -> Double {
        precondition(y.count == dimension && next.count == dimension, "state buffers hold \(y.count) and \(next.count) values, the ODE has \(dimension)")
        let start = y.baseAddress!
        try computeStages(time: t, size: h, state: start, parameters: p, allStages: errorEstimate != nil)
        combine(size: h, state: start, weights: method.b, into: next.baseAddress!, addInitial: true)
        if let error = errorEstimate {
            guard let weights = method.errorWeights else { preconditionFailure("\(method.name) has no embedded error estimate") }
            combine(size: h, state: start, weights: weights, into: error.baseAddress!, addInitial: false)
        }
        guard let cost = runningCost else { return 0 }
        var sum = 0.0
        for i in 0..<s where method.b[i] != 0 {
            sum += method.b[i] * cost.value(t + method.c[i] * h, UnsafeBufferPointer(start: stageStates + i * dimension, count: dimension), p)
        }
        return h * sum
    }
}
