extension DiagonallyImplicitStepper {
    /// The exact discrete adjoint of one step: λ⁺ (in `stateAdjoint`, or `incoming`) becomes
    /// λ = (∂y⁺/∂y)ᵀ λ⁺, and (∂y⁺/∂p)ᵀ λ⁺ is added to `parameterAdjoint` (the recursion is
    /// in the type's documentation).
    ///
    /// ```swift
    /// try stepper.pullback(time: t, size: h, state: y, parameters: p,
    ///                      stateAdjoint: lambda, parameterAdjoint: pBar)
    /// ```
    ///
    /// A running cost's quadrature h Σ b_i g(t_i, Y_i) enters each stage's right-hand side:
    /// with c_i = w·h·b_i ∇g(Y_i), (I − h a_ii J_i)ᵀ u_i = r_i + h a_ii c_i and
    /// Ȳ_i = J_iᵀ u_i + c_i. The parameters are those of
    /// ``RungeKuttaStepper/pullback(time:size:state:parameters:stateAdjoint:parameterAdjoint:runningCost:costWeight:endState:stagesAreCurrent:incoming:)``.
    ///
    /// - Throws: ``StageSolveFailure`` when the recomputed stages fail (they cannot, if the
    ///   same step succeeded forward) or a stage's I − h a_ii J_i is singular.
    /// - Complexity: the stages (unless `stagesAreCurrent`), and per implicit stage one
    ///   Jacobian, one LU and one transposed solve; one VJP per used stage.
    public func pullback(
        time t: Double, size h: Double, state y: UnsafeBufferPointer<Double>, parameters p: UnsafeBufferPointer<Double>,
        stateAdjoint lambda: UnsafeMutableBufferPointer<Double>, parameterAdjoint pBar: UnsafeMutableBufferPointer<Double>,
        runningCost: RunningCost? = nil, costWeight: Double = 1,
        endState: ((UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void)? = nil,
        stagesAreCurrent: Bool = false, incoming: UnsafeBufferPointer<Double>? = nil
    ) throws(StageSolveFailure) {
        let n = dimension
        precondition(y.count == n && lambda.count == n, "state buffers hold \(y.count) and \(lambda.count) values, the ODE has \(n)")
        precondition(pBar.count == rightHandSide.parameterCount, "parameter adjoint holds \(pBar.count) values, the ODE has \(rightHandSide.parameterCount) parameters")
        let start = y.baseAddress!
        if let incoming {
            precondition(incoming.count == n, "the incoming adjoint holds \(incoming.count) values, the ODE has \(n)")
            lambda.baseAddress!.update(from: incoming.baseAddress!, count: n)
        }
        if !stagesAreCurrent { try computeStages(time: t, size: h, state: start, parameters: p, allStages: false) }
        if let endState {
            combine(size: h, state: start, weights: method.b, into: scratchState, addInitial: true)
            endState(UnsafeBufferPointer(start: scratchState, count: n), lambda)
        }
        let l = lambda.baseAddress!
        let u = psi            // the stage cotangent r_i, then u_i
        let costGradient = correction
        for i in stride(from: s - 1, through: 0, by: -1) where stageIsUsed[i] {
            let stageState = UnsafeBufferPointer(start: stageStates + i * n, count: n)
            let stageBar = stageAdjoints + i * n
            let stageTime = t + method.c[i] * h
            // r_i = h b_i λ⁺ + h Σ_{j>i} a_ji Ȳ_j
            let hb = h * method.b[i]
            for m in 0..<n { u[m] = hb * l[m] }
            for j in i + 1..<s where stageIsUsed[j] && method.a[j * s + i] != 0 {
                let factor = h * method.a[j * s + i]
                let other = stageAdjoints + j * n
                for m in 0..<n { u[m] += factor * other[m] }
            }
            let hasCost = runningCost != nil && method.b[i] != 0
            if hasCost, let cost = runningCost {
                costGradient.update(repeating: 0, count: n)
                cost.gradient(stageTime, stageState, p, costWeight * hb, UnsafeMutableBufferPointer(start: costGradient, count: n), pBar)
            }
            if method.isImplicit(i) {
                let hd = h * method.diagonal
                if hasCost { for m in 0..<n { u[m] += hd * costGradient[m] } }
                do {
                    try stageMatrix.assemble(time: stageTime, state: stageState, parameters: p, scale: hd)
                } catch {
                    throw StageSolveFailure(stage: i, iterations: 0, reason: .linearAlgebra(error))
                }
                do { try stageMatrix.solve(u, transposed: true) } catch {
                    throw StageSolveFailure(stage: i, iterations: 0, reason: .linearAlgebra(error))
                }
            }
            rightHandSide.pullback(
                stageTime, stageState, p, UnsafeBufferPointer(start: u, count: n),
                UnsafeMutableBufferPointer(start: stageBar, count: n), pBar)
            if hasCost { for m in 0..<n { stageBar[m] += costGradient[m] } }
        }
        for i in 0..<s where stageIsUsed[i] {
            let stageBar = stageAdjoints + i * n
            for m in 0..<n { l[m] += stageBar[m] }
        }
    }
}
