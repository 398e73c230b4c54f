import CIpopt

/// The state one IPOPT solve's callbacks share, reached through IPOPT's `user_data`: the
/// program, the last point's values and derivatives (IPOPT asks for f and g, and for ∇f and
/// the Jacobian, separately at the same point), counts, and the first error a callback threw.
final class IpoptContext {
    let program: NonlinearProgram
    let progress: (IpoptIteration) -> IterationDecision
    private var valuesPoint: [Double]?
    private var cachedValues: (objective: Double, constraints: [Double]) = (0, [])
    private var derivativesPoint: [Double]?
    private var cachedDerivatives: (gradient: [Double], jacobian: [Double]) = ([], [])
    var firstError: (any Error)?
    var valueEvaluations = 0, derivativeEvaluations = 0
    var iterations = 0
    var lastDualInfeasibility = Double.nan
    /// Wall time per callback kind (the total is set by the solve).
    var timing = IpoptTiming()
    let clock = ContinuousClock()

    init(program: NonlinearProgram, progress: @escaping (IpoptIteration) -> IterationDecision) {
        self.program = program
        self.progress = progress
    }

    /// (f, g) at `x`, evaluated once per distinct point; nil if the program threw or
    /// returned the wrong number of constraints.
    func values(at x: UnsafeBufferPointer<Double>) -> (objective: Double, constraints: [Double])? {
        if let point = valuesPoint, point.elementsEqual(x) { return cachedValues }
        let w = Array(x)
        let start = clock.now
        defer { timing.valueSeconds += (clock.now - start).inSeconds }
        do {
            let result = try program.values(w)
            precondition(result.constraints.count == program.constraintCount,
                         "values returned \(result.constraints.count) constraints for a program with \(program.constraintCount)")
            valueEvaluations += 1
            valuesPoint = w
            cachedValues = result
            return result
        } catch {
            if firstError == nil { firstError = error }
            return nil
        }
    }

    /// (∇f, Jacobian values) at `x`, evaluated once per distinct point; nil if the program threw.
    func derivatives(at x: UnsafeBufferPointer<Double>) -> (gradient: [Double], jacobian: [Double])? {
        if let point = derivativesPoint, point.elementsEqual(x) { return cachedDerivatives }
        let w = Array(x)
        let start = clock.now
        defer { timing.derivativeSeconds += (clock.now - start).inSeconds }
        do {
            let result = try program.derivatives(w)
            precondition(result.gradient.count == program.variableCount && result.jacobian.count == program.jacobianEntryCount,
                         "derivatives returned \(result.gradient.count) gradient and \(result.jacobian.count) Jacobian entries for \(program.variableCount) and \(program.jacobianEntryCount)")
            derivativeEvaluations += 1
            derivativesPoint = w
            cachedDerivatives = result
            return result
        } catch {
            if firstError == nil { firstError = error }
            return nil
        }
    }
}

/// The C function pointers IPOPT calls; each finds its ``IpoptContext`` in `user_data`.
enum IpoptCallbacks {
    static func context(_ user: UserDataPtr?) -> IpoptContext {
        Unmanaged<IpoptContext>.fromOpaque(user!).takeUnretainedValue()
    }

    static let objective: Eval_F_CB = { n, x, _, value, user in
        guard let x, let value else { return 0 }
        guard let result = context(user).values(at: UnsafeBufferPointer(start: x, count: Swift.Int(n))) else { return 0 }
        value.pointee = result.objective
        return 1
    }

    static let constraints: Eval_G_CB = { n, x, _, m, g, user in
        guard let x else { return 0 }
        guard let result = context(user).values(at: UnsafeBufferPointer(start: x, count: Swift.Int(n))) else { return 0 }
        for i in 0..<Swift.Int(m) { g![i] = result.constraints[i] }
        return 1
    }

    static let objectiveGradient: Eval_Grad_F_CB = { n, x, _, gradient, user in
        guard let x, let gradient else { return 0 }
        guard let result = context(user).derivatives(at: UnsafeBufferPointer(start: x, count: Swift.Int(n))) else { return 0 }
        for i in 0..<Swift.Int(n) { gradient[i] = result.gradient[i] }
        return 1
    }

    static let jacobian: Eval_Jac_G_CB = { n, x, _, _, count, rows, columns, values, user in
        let program = context(user).program
        if let values {
            guard let x else { return 0 }
            guard let result = context(user).derivatives(at: UnsafeBufferPointer(start: x, count: Swift.Int(n))) else { return 0 }
            for e in 0..<Swift.Int(count) { values[e] = result.jacobian[e] }
        } else {
            guard let rows, let columns else { return 0 }
            for e in 0..<Swift.Int(count) {
                rows[e] = Int32(program.jacobianRows[e])
                columns[e] = Int32(program.jacobianColumns[e])
            }
        }
        return 1
    }

    /// The program's Hessian; never called under `hessian_approximation limited-memory`,
    /// but IPOPT rejects a problem without it.
    static let hessian: Eval_H_CB = { n, x, _, objectiveFactor, m, lambda, _, count, rows, columns, values, user in
        let context = context(user)
        let program = context.program
        if let values {
            guard let x, let hessian = program.hessian else { return 0 }
            let w = Array(UnsafeBufferPointer(start: x, count: Swift.Int(n)))
            let multipliers = lambda.map { Array(UnsafeBufferPointer(start: $0, count: Swift.Int(m))) } ?? Array(repeating: 0, count: Swift.Int(m))
            let start = context.clock.now
            defer {
                context.timing.hessianSeconds += (context.clock.now - start).inSeconds
                context.timing.hessianEvaluations += 1
            }
            do {
                let result = try hessian(w, objectiveFactor, multipliers)
                for e in 0..<Swift.Int(count) { values[e] = result[e] }
            } catch {
                if context.firstError == nil { context.firstError = error }
                return 0
            }
        } else {
            guard let rows, let columns else { return 0 }
            for e in 0..<Swift.Int(count) {
                rows[e] = Int32(program.hessianRows[e])
                columns[e] = Int32(program.hessianColumns[e])
            }
        }
        return 1
    }

    static let intermediate: Intermediate_CB = { mode, iteration, objective, primal, dual, mu, _, _, _, _, _, user in
        let context = context(user)
        context.iterations = Swift.Int(iteration)
        context.lastDualInfeasibility = dual
        let report = IpoptIteration(iteration: Swift.Int(iteration), objective: objective, primalInfeasibility: primal,
                                    dualInfeasibility: dual, barrier: mu, isRestoration: mode == 1)
        return context.progress(report) == .stop ? 0 : 1
    }
}
