/// One step of a Rosenbrock method (``RosenbrockTableau``) and its exact discrete adjoint.
///
/// **Forward.** M = I − hγJ(t, y) is assembled and factorised once, and the time derivative
/// D = (f(t + δ, y) − f(t, y))/δ with δ = √ε·max(10⁻⁵, |t|) formed (exactly zero for an
/// autonomous f); then, for i = 1 … s, Y_i = y + Σ_{j<i} a_ij u_j and
/// u_i = hγ M⁻¹(f(t + α_i h, Y_i) + Σ_{j<i} (c_ij/h) u_j + γ_i h D); y⁺ = y + Σ m_i u_i.
/// No iteration, nothing carried between steps.
///
/// **Adjoint** (the discrete Rosenbrock adjoint of Daescu, Sandu & Carmichael 2003,
/// *Atmos. Environ.* 37, and Sandu et al. 2005, *J. Comput. Phys.* 204; derived in
/// Papers/SanduImplicitAdjoints.md): with W = I/(hγ) − J(t, y) and λ⁺ given, for i = s … 1,
///
/// ```
/// ū_i = m_i λ⁺ + Σ_{j>i} (a_ji Ȳ_j + (c_ji/h) w_j)
/// w_i = W⁻ᵀ ū_i = hγ M⁻ᵀ ū_i                          (a transposed solve, same LU)
/// Ȳ_i = J(Y_i)ᵀ w_i,   p̄ += (∂f/∂p)(Y_i)ᵀ w_i          (one VJP)
/// ```
///
/// and λ = λ⁺ + Σ_i [Ȳ_i + ∇_y (w_iᵀ J(t, y) u_i)], p̄ += Σ_i ∇_p (w_iᵀ J(t, y) u_i), and
/// for the ∂f/∂t term, with v = Σ_i γ_i h w_i, (λ, p̄) += (∂f(t + δ, y)/∂(y, p))ᵀ v/δ −
/// (∂f(t, y)/∂(y, p))ᵀ v/δ (two VJPs: the exact adjoint of the difference D). The
/// ∇(wᵀJu) terms differentiate the Jacobian inside W: they need the right-hand side's
/// ``RightHandSide/secondOrderPullback`` (``RightHandSide/withSecondOrderPullback(_:)``).
/// Here the factorisation of the forward step **is** the one the adjoint needs. With a
/// ``JacobianStructure/matrixFree(restart:tolerance:maximumIterations:)`` right-hand side the
/// forward products J v are differences of f (relative error ~10⁻⁸), so the method is then a
/// W-method close to ROS3P and the adjoint (exact Jᵀ) is exact to that level only.
///
/// ```swift
/// let stepper = RosenbrockStepper(method: .ros3p, rightHandSide: rhs.withSecondOrderPullback(curvature))
/// try stepper.step(time: 0, size: 0.1, state: y, parameters: p, into: next)
/// ```
///
/// - Precondition: no running cost (its quadrature rule for Rosenbrock stages is not defined
///   here); for gradients, a second-order pullback.
/// - Complexity: forward, one Jacobian, one LU, s + 2 evaluations and s solves; adjoint, the
///   forward stages again (unless current), s transposed solves, s + 2 VJPs and s
///   second-order products. Workspace 4s·N + 3N doubles plus the LU.
public final class RosenbrockStepper: ODEStepper {
    /// The method.
    public let method: RosenbrockTableau
    /// The right-hand side.
    public let rightHandSide: RightHandSide
    /// N.
    public var dimension: Int { rightHandSide.dimension }
    /// Incremented every time the stages are computed (see ``ODEStepper/generation``).
    public private(set) var generation = 0

    let s: Int
    /// u_i, Y_i, w_i, Ȳ_i: `s × N` each.
    let increments: UnsafeMutablePointer<Double>
    let stageStates: UnsafeMutablePointer<Double>
    let multipliers: UnsafeMutablePointer<Double>
    let stageAdjoints: UnsafeMutablePointer<Double>
    /// Scratch: a right-hand side, then the accumulated second-order terms.
    let scratch: UnsafeMutablePointer<Double>
    let secondOrderSum: UnsafeMutablePointer<Double>
    /// D ≈ ∂f/∂t(t, y) of the current step.
    let timeDerivative: UnsafeMutablePointer<Double>
    let matrix: IterationMatrix
    var evaluations = 0

    /// A stepper for `method` on `rightHandSide`, with its workspace.
    public init(method: RosenbrockTableau, rightHandSide: RightHandSide) {
        self.method = method
        self.rightHandSide = rightHandSide
        s = method.stages
        let n = rightHandSide.dimension
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let pointer = UnsafeMutablePointer<Double>.allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
            return pointer
        }
        increments = buffer(s * n)
        stageStates = buffer(s * n)
        multipliers = buffer(s * n)
        stageAdjoints = buffer(s * n)
        scratch = buffer(n)
        secondOrderSum = buffer(n)
        timeDerivative = buffer(n)
        matrix = IterationMatrix(rightHandSide: rightHandSide)
    }

    deinit {
        for pointer in [increments, stageStates, multipliers, stageAdjoints, scratch, secondOrderSum, timeDerivative] { pointer.deallocate() }
    }

    /// The tableau's name, e.g. `"Kvaerno5(4)"`.
    public var methodName: String { method.name }
    /// The tableau's order.
    public var order: Int { method.order }
    /// min(order, embedded order): the order q of an error estimate that is O(h^(q+1)).
    public var errorEstimateOrder: Int? { method.embeddedOrder.map { Swift.min($0, method.order) } }
    /// Stage buffers and LU storage, counted in memory budgets.
    public var workspaceBytes: Int { (4 * s + 3) * dimension * MemoryLayout<Double>.stride + matrix.bytes }

    /// False: the linearly implicit stages carry no quadrature of a running cost.
    public var integratesRunningCosts: Bool { false }
    /// Evaluations, Newton iterations, solves, Jacobians and factorisations so far (forward
    /// and adjoint; Jacobian-assembly VJPs are counted as Jacobians, not evaluations).
    public var counts: StepperCounts {
        var counts = StepperCounts()
        counts.evaluations = evaluations + matrix.productEvaluations
        counts.krylovIterations = matrix.krylovIterations
        counts.linearSolves = matrix.solves
        counts.jacobianEvaluations = matrix.jacobianEvaluations
        counts.factorizations = matrix.factorizations
        return counts
    }

    /// Computes every u_i and Y_i from (t, y) with step h.
    func computeStages(time t: Double, size h: Double, state y: UnsafePointer<Double>, parameters p: UnsafeBufferPointer<Double>) throws(StageSolveFailure) {
        let n = dimension
        let hg = h * method.diagonal
        generation &+= 1
        do {
            try matrix.assemble(time: t, state: UnsafeBufferPointer(start: y, count: n), parameters: p, scale: hg)
        } catch {
            throw StageSolveFailure(stage: 0, iterations: 0, reason: .linearAlgebra(error))
        }
        // D = (f(t + δ, y) − f(t, y))/δ.
        let delta = Self.timeIncrement(t)
        let state = UnsafeBufferPointer(start: y, count: n)
        evaluations += 2
        rightHandSide.evaluate(t, state, p, UnsafeMutableBufferPointer(start: scratch, count: n))
        rightHandSide.evaluate(t + delta, state, p, UnsafeMutableBufferPointer(start: timeDerivative, count: n))
        for m in 0..<n { timeDerivative[m] = (timeDerivative[m] - scratch[m]) / delta }
        for i in 0..<s {
            let stage = stageStates + i * n
            let u = increments + i * n
            stage.update(from: y, count: n)
            for j in 0..<i where method.a[i * s + j] != 0 {
                let factor = method.a[i * s + j]
                let uj = increments + j * n
                for m in 0..<n { stage[m] += factor * uj[m] }
            }
            evaluations += 1
            rightHandSide.evaluate(
                t + method.nodes[i] * h, UnsafeBufferPointer(start: stage, count: n), p, UnsafeMutableBufferPointer(start: u, count: n))
            for j in 0..<i where method.c[i * s + j] != 0 {
                let factor = method.c[i * s + j] / h
                let uj = increments + j * n
                for m in 0..<n { u[m] += factor * uj[m] }
            }
            let timeFactor = method.timeWeights[i] * h
            if timeFactor != 0 { for m in 0..<n { u[m] += timeFactor * timeDerivative[m] } }
            for m in 0..<n { u[m] *= hg }
            do { try matrix.solve(u) } catch {
                throw StageSolveFailure(stage: i, iterations: 0, reason: .linearAlgebra(error))
            }
        }
    }

    /// δ = (t + √ε·max(10⁻⁵, |t|)) − t: the difference step of ∂f/∂t, exact in floating point.
    static func timeIncrement(_ t: Double) -> Double {
        (t + Double.ulpOfOne.squareRoot() * Swift.max(1e-5, abs(t))) - t
    }

    /// out = (addInitial ? y : 0) + Σ w_i u_i.
    func combine(state y: UnsafePointer<Double>, weights: [Double], into out: UnsafeMutablePointer<Double>, addInitial: Bool) {
        let n = dimension
        if addInitial { out.update(from: y, count: n) } else { out.update(repeating: 0, count: n) }
        for i in 0..<s where weights[i] != 0 {
            let u = increments + i * n
            for m in 0..<n { out[m] += weights[i] * u[m] }
        }
    }

    /// One step: y⁺ into `next`, e = Σ (m_i − m̂_i) u_i into `errorEstimate` if given.
    ///
    /// - Throws: ``StageSolveFailure`` when I − hγJ(t, y) is singular or not finite.
    @discardableResult
    public func step(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        into next: UnsafeMutableBufferPointer<Double>, errorEstimate: UnsafeMutableBufferPointer<Double>? = nil,
        runningCost: RunningCost? = nil
    ) throws(StageSolveFailure) -> Double {
        precondition(runningCost == nil, "\(method.name) does not integrate running costs; use a diagonally implicit method for a loss with a running cost")
        precondition(y.count == dimension && next.count == dimension, "state buffers hold \(y.count) and \(next.count) values, the ODE has \(dimension)")
        try computeStages(time: t, size: h, state: y.baseAddress!, parameters: p)
        combine(state: y.baseAddress!, weights: method.weights, into: next.baseAddress!, addInitial: true)
        if let error = errorEstimate {
            guard let weights = method.errorWeights else { preconditionFailure("\(method.name) has no embedded error estimate") }
            combine(state: y.baseAddress!, weights: weights, into: error.baseAddress!, addInitial: false)
        }
        return 0
    }

    /// The exact discrete adjoint of one step (the recursion is in the type's documentation);
    /// the parameters are those of ``ODEStepper/pullback(time:size:state:parameters:stateAdjoint:parameterAdjoint:runningCost:costWeight:endState:stagesAreCurrent:incoming:)``.
    ///
    /// - Precondition: the right-hand side has a ``RightHandSide/secondOrderPullback``; no running cost.
    public func pullback(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        stateAdjoint lambda: UnsafeMutableBufferPointer<Double>, parameterAdjoint pBar: UnsafeMutableBufferPointer<Double>,
        runningCost: RunningCost? = nil, costWeight: Double = 1,
        endState: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void)? = nil,
        stagesAreCurrent: Bool = false, incoming: UnsafeBufferPointer<Double>? = nil
    ) throws(StageSolveFailure) {
        precondition(runningCost == nil, "\(method.name) does not integrate running costs; use a diagonally implicit method for a loss with a running cost")
        guard let secondOrder = rightHandSide.secondOrderPullback else {
            preconditionFailure("the adjoint of \(method.name) needs the derivative of the Jacobian: give the right-hand side withSecondOrderPullback(_:)")
        }
        let n = dimension
        precondition(y.count == n && lambda.count == n, "state buffers hold \(y.count) and \(lambda.count) values, the ODE has \(n)")
        let start = y.baseAddress!
        if let incoming { lambda.baseAddress!.update(from: incoming.baseAddress!, count: n) }
        if !stagesAreCurrent { try computeStages(time: t, size: h, state: start, parameters: p) }
        if let endState {
            combine(state: start, weights: method.weights, into: scratch, addInitial: true)
            endState(UnsafeBufferPointer(start: scratch, count: n), lambda)
        }
        let l = lambda.baseAddress!
        let hg = h * method.diagonal
        secondOrderSum.update(repeating: 0, count: n)
        for i in stride(from: s - 1, through: 0, by: -1) {
            let w = multipliers + i * n
            // ū_i = m_i λ⁺ + Σ_{j>i} (a_ji Ȳ_j + (c_ji/h) w_j), then w_i = hγ M⁻ᵀ ū_i.
            for m in 0..<n { w[m] = method.weights[i] * l[m] }
            for j in i + 1..<s {
                let a = method.a[j * s + i]
                let c = method.c[j * s + i] / h
                let stageBar = stageAdjoints + j * n
                let wj = multipliers + j * n
                if a != 0 { for m in 0..<n { w[m] += a * stageBar[m] } }
                if c != 0 { for m in 0..<n { w[m] += c * wj[m] } }
            }
            for m in 0..<n { w[m] *= hg }
            do { try matrix.solve(w, transposed: true) } catch {
                throw StageSolveFailure(stage: i, iterations: 0, reason: .linearAlgebra(error))
            }
            let multiplier = UnsafeBufferPointer(start: UnsafePointer(w), count: n)
            rightHandSide.pullback(
                t + method.nodes[i] * h, UnsafeBufferPointer(start: stageStates + i * n, count: n), p, multiplier,
                UnsafeMutableBufferPointer(start: stageAdjoints + i * n, count: n), pBar)
            secondOrder(
                t, y, p, UnsafeBufferPointer(start: increments + i * n, count: n), multiplier,
                UnsafeMutableBufferPointer(start: secondOrderSum, count: n), pBar)
        }
        for i in 0..<s {
            let stageBar = stageAdjoints + i * n
            for m in 0..<n { l[m] += stageBar[m] }
        }
        for m in 0..<n { l[m] += secondOrderSum[m] }
        // The ∂f/∂t term: v = Σ_i γ_i h w_i is D's cotangent; D's pullback is two VJPs.
        let v = scratch
        v.update(repeating: 0, count: n)
        for i in 0..<s where method.timeWeights[i] != 0 {
            let factor = method.timeWeights[i] * h
            let w = multipliers + i * n
            for m in 0..<n { v[m] += factor * w[m] }
        }
        let delta = Self.timeIncrement(t)
        let termBar = UnsafeMutableBufferPointer(start: stageAdjoints, count: n)
        for (time, sign) in [(t + delta, 1.0), (t, -1.0)] {
            let scale = sign / delta
            for m in 0..<n { multipliers[m] = scale * v[m] }
            rightHandSide.pullback(time, y, p, UnsafeBufferPointer(start: multipliers, count: n), termBar, pBar)
            for m in 0..<n { l[m] += termBar[m] }
        }
    }
}
