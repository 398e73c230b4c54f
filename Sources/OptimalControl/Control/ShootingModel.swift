import AdjointODE

/// Single shooting as a chain of pure step maps, the shape every gradient strategy consumes.
///
/// The horizon is split into N control intervals of k Runge–Kutta substeps each, so the
/// chain has S = N·k steps of size h = Δ/k. The state carried from step to step is the
/// **augmented** state z = (x, J) ∈ ℝⁿ⁺¹, where J accumulates the objective:
///
///     x_{i+1} = RK step of x′ = f(t, x, u(t), p) from x_i       (``RungeKuttaStepper``)
///     J_{i+1} = J_i + h Σ_j b_j L(stage j)                        (the same quadrature)
///               + ψ(node k+1)  when step i ends interval k          (path-constraint terms)
///               + ψ(node 0)    when i = 0
///
/// and the loss of the final state is J_S + φ(x_S). Each step is a pure function of
/// (z_i, controls), so recomputing it reproduces the first pass bit for bit, and its
/// pullback is the Runge–Kutta discrete adjoint of ``RungeKuttaStepper`` (one dynamics VJP
/// per stage) plus the node terms, seeded with the adjoint λ_J of J (which stays constant).
///
/// The stepper sees the control through *local parameters* q = (u values of the interval,
/// t_k, p): the dynamics and cost adapters interpolate u at each stage time and scatter
/// ∂/∂u back onto those values; only the u entries of q̄ are kept.
final class ShootingModel: @unchecked Sendable {
    let problem: ControlProblem
    let intervals: Int
    let substeps: Int
    let parameterization: ControlParameterization
    let stepper: RungeKuttaStepper
    let runningCost: RunningCost?
    let n: Int, m: Int
    /// Entries of q that are control values.
    let localControlCount: Int
    /// |q| = control values + t_k + |p|.
    let localCount: Int
    let start: Double, intervalLength: Double, stepSize: Double
    /// Penalty weight ρ and multipliers μ (node-major, (N + 1) × constraint count).
    var penaltyWeight: Double = 1
    var multipliers: [Double] = []

    /// S = N·k.
    var stepCount: Int { intervals * substeps }
    /// n + 1.
    var augmentedDimension: Int { n + 1 }
    /// The length of the flat control vector.
    var controlCount: Int { m * parameterization.valueCount(intervals: intervals) }
    /// Bytes of one augmented state.
    var stateBytes: Int { augmentedDimension * MemoryLayout<Double>.stride }

    init(problem: ControlProblem, intervals: Int, substeps: Int, parameterization: ControlParameterization,
         method: ButcherTableau) {
        precondition(intervals >= 1 && substeps >= 1, "single shooting needs N ≥ 1 intervals and k ≥ 1 substeps, got \(intervals) and \(substeps)")
        self.problem = problem
        self.intervals = intervals
        self.substeps = substeps
        self.parameterization = parameterization
        n = problem.stateDimension
        m = problem.controlDimension
        let lc = m * parameterization.valuesPerInterval
        localControlCount = lc
        localCount = lc + 1 + problem.parameters.count
        start = problem.horizon.lowerBound
        intervalLength = (problem.horizon.upperBound - problem.horizon.lowerBound) / Double(intervals)
        stepSize = intervalLength / Double(substeps)
        let linear = parameterization == .piecewiseLinear
        let delta = intervalLength
        let m = self.m
        let dynamics = problem.dynamics

        /// Writes u(t) from q and returns θ.
        @Sendable func interpolate(_ t: Double, _ q: UnsafeBufferPointer<Double>, _ u: UnsafeMutableBufferPointer<Double>) -> Double {
            guard linear else {
                for c in 0..<m { u[c] = q[c] }
                return 0
            }
            let theta = Swift.min(Swift.max((t - q[lc]) / delta, 0), 1)
            for c in 0..<m { u[c] = (1 - theta) * q[c] + theta * q[m + c] }
            return theta
        }
        @Sendable func scatter(_ theta: Double, _ uBar: UnsafeMutableBufferPointer<Double>, _ qBar: UnsafeMutableBufferPointer<Double>) {
            if linear {
                for c in 0..<m { qBar[c] += (1 - theta) * uBar[c]; qBar[m + c] += theta * uBar[c] }
            } else {
                for c in 0..<m { qBar[c] += uBar[c] }
            }
        }
        @Sendable func parameters(_ q: UnsafeBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
            UnsafeBufferPointer(rebasing: q[(lc + 1)...])
        }
        let rhs = RightHandSide(dimension: n, parameterCount: localCount, evaluate: { t, y, q, dydt in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { u in
                _ = interpolate(t, q, u)
                dynamics.evaluate(t, y, UnsafeBufferPointer(u), parameters(q), dydt)
            }
        }, pullback: { t, y, q, v, yBar, qBar in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * m) { buffer in
                let u = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
                let uBar = UnsafeMutableBufferPointer(rebasing: buffer[m...])
                uBar.update(repeating: 0)
                let theta = interpolate(t, q, u)
                dynamics.pullback(t, y, UnsafeBufferPointer(u), parameters(q), v, yBar, uBar)
                scatter(theta, uBar, qBar)
            }
        })
        stepper = RungeKuttaStepper(method: method, rightHandSide: rhs)
        runningCost = problem.runningCost.map { cost in
            RunningCost(value: { t, y, q in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { u in
                    _ = interpolate(t, q, u)
                    return cost.value(t, y, UnsafeBufferPointer(u), parameters(q))
                }
            }, gradient: { t, y, q, scale, yBar, qBar in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * m) { buffer in
                    let u = UnsafeMutableBufferPointer(rebasing: buffer[0..<m])
                    let uBar = UnsafeMutableBufferPointer(rebasing: buffer[m...])
                    uBar.update(repeating: 0)
                    let theta = interpolate(t, q, u)
                    cost.gradient(t, y, UnsafeBufferPointer(u), parameters(q), scale, yBar, uBar)
                    scatter(theta, uBar, qBar)
                }
            })
        }
        multipliers = Array(repeating: 0, count: (intervals + 1) * (problem.pathConstraint?.count ?? 0))
    }

    // MARK: Grid

    /// t_i, the start of step i, computed from (interval, substep) so every pass agrees.
    @inline(__always)
    func time(ofStep i: Int) -> Double {
        let k = i / substeps, j = i % substeps
        return start + Double(k) * intervalLength + Double(j) * stepSize
    }

    /// t_k, node k.
    @inline(__always)
    func nodeTime(_ k: Int) -> Double { start + Double(k) * intervalLength }

    /// Fills q for step i.
    func fillLocal(step i: Int, controls: UnsafeBufferPointer<Double>, into q: UnsafeMutableBufferPointer<Double>) {
        let k = i / substeps
        for e in 0..<localControlCount { q[e] = controls[k * m + e] }
        q[localControlCount] = nodeTime(k)
        for (e, value) in problem.parameters.enumerated() { q[localControlCount + 1 + e] = value }
    }

    /// Adds the control part of q̄ for step i into the gradient.
    func scatterLocal(step i: Int, _ qBar: UnsafeMutableBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) {
        let k = i / substeps
        for e in 0..<localControlCount { gradient[k * m + e] += qBar[e] }
    }

    // MARK: Node terms (path constraints)

    /// Σ_j ψ(c_j(node k), μ_kj, ρ) at node k with state x.
    func nodeTerm(node k: Int, state x: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>) -> Double {
        guard let constraint = problem.pathConstraint else { return 0 }
        let value = constraintValues(node: k, state: x, controls: controls)
        var sum = 0.0
        let rho = penaltyWeight
        for j in 0..<constraint.count {
            let mu = multipliers[k * constraint.count + j]
            let shifted = Swift.max(0, mu + rho * value[j])
            sum += (shifted * shifted - mu * mu) / (2 * rho)
        }
        return sum
    }

    /// c(t_k, x, u(t_k), p).
    func constraintValues(node k: Int, state x: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>) -> [Double] {
        guard let constraint = problem.pathConstraint else { return [] }
        var value = Array(repeating: 0.0, count: constraint.count)
        let base = parameterization.nodeValueIndex(node: k, intervals: intervals) * m
        let u = UnsafeBufferPointer(rebasing: controls[base..<(base + m)])
        problem.parameters.withUnsafeBufferPointer { p in
            value.withUnsafeMutableBufferPointer { constraint.evaluate(nodeTime(k), x, u, p, $0) }
        }
        return value
    }

    /// Adds weight·∂ψ/∂x to `xBar` and weight·∂ψ/∂u to the gradient.
    func nodeTermPullback(node k: Int, state x: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>,
                          weight: Double, xBar: UnsafeMutableBufferPointer<Double>,
                          gradient: UnsafeMutableBufferPointer<Double>) {
        guard let constraint = problem.pathConstraint else { return }
        let value = constraintValues(node: k, state: x, controls: controls)
        var w = value
        for j in 0..<constraint.count {
            w[j] = weight * Swift.max(0, multipliers[k * constraint.count + j] + penaltyWeight * value[j])
        }
        guard w.contains(where: { $0 != 0 }) else { return }
        let base = parameterization.nodeValueIndex(node: k, intervals: intervals) * m
        let u = UnsafeBufferPointer(rebasing: controls[base..<(base + m)])
        let uBar = UnsafeMutableBufferPointer(rebasing: gradient[base..<(base + m)])
        problem.parameters.withUnsafeBufferPointer { p in
            w.withUnsafeBufferPointer { constraint.pullback(nodeTime(k), x, u, p, $0, xBar, uBar) }
        }
    }

    // MARK: Steps

    /// z_{i+1} = F_i(z_i): one substep with its cost and node terms. `local` is scratch of |q|.
    func advance(step i: Int, state z: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>,
                 into next: UnsafeMutableBufferPointer<Double>, local: UnsafeMutableBufferPointer<Double>) {
        fillLocal(step: i, controls: controls, into: local)
        let x = UnsafeBufferPointer(rebasing: z[0..<n])
        let xNext = UnsafeMutableBufferPointer(rebasing: next[0..<n])
        var cost = stepper.step(time: time(ofStep: i), size: stepSize, state: x, parameters: UnsafeBufferPointer(local),
                                into: xNext, runningCost: runningCost)
        if i == 0 { cost += nodeTerm(node: 0, state: x, controls: controls) }
        if (i + 1) % substeps == 0 {
            cost += nodeTerm(node: (i + 1) / substeps, state: UnsafeBufferPointer(xNext), controls: controls)
        }
        next[n] = z[n] + cost
    }

    /// z̄_i = (∂F_i/∂z_i)ᵀ z̄_{i+1} in place in `adjoint`, adding (∂F_i/∂controls)ᵀ z̄_{i+1}
    /// to `gradient`. `local` and `localBar` are scratch of |q|. `stagesAreCurrent` skips
    /// recomputing the Runge–Kutta stages when the stepper still holds this step's (the
    /// recomputed stages would be the same bits).
    func reverse(step i: Int, state z: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>,
                 adjoint: UnsafeMutableBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
                 local: UnsafeMutableBufferPointer<Double>, localBar: UnsafeMutableBufferPointer<Double>,
                 stagesAreCurrent: Bool = false) {
        fillLocal(step: i, controls: controls, into: local)
        localBar.update(repeating: 0)
        let costWeight = adjoint[n]
        let x = UnsafeBufferPointer(rebasing: z[0..<n])
        let lambda = UnsafeMutableBufferPointer(rebasing: adjoint[0..<n])
        let endsInterval = (i + 1) % substeps == 0 && problem.pathConstraint != nil
        let node = (i + 1) / substeps
        stepper.pullback(
            time: time(ofStep: i), size: stepSize, state: x, parameters: UnsafeBufferPointer(local),
            stateAdjoint: lambda, parameterAdjoint: localBar, runningCost: runningCost, costWeight: costWeight,
            endState: endsInterval ? { xNext, lambdaNext in
                self.nodeTermPullback(node: node, state: xNext, controls: controls, weight: costWeight,
                                      xBar: lambdaNext, gradient: gradient)
            } : nil,
            stagesAreCurrent: stagesAreCurrent)
        if i == 0 && problem.pathConstraint != nil {
            nodeTermPullback(node: 0, state: x, controls: controls, weight: costWeight, xBar: lambda, gradient: gradient)
        }
        scatterLocal(step: i, localBar, into: gradient)
    }

    /// The loss of the final augmented state, J_S + φ(x_S).
    func loss(_ z: UnsafeBufferPointer<Double>) -> Double {
        let x = UnsafeBufferPointer(rebasing: z[0..<n])
        let terminal = problem.terminalCost.map { cost in problem.parameters.withUnsafeBufferPointer { cost.value(x, $0) } } ?? 0
        return z[n] + terminal
    }

    /// The loss's gradient (∇φ(x_S), 1), written into `seed`.
    func lossGradient(_ z: UnsafeBufferPointer<Double>, into seed: UnsafeMutableBufferPointer<Double>) {
        seed.update(repeating: 0)
        seed[n] = 1
        guard let cost = problem.terminalCost else { return }
        let x = UnsafeBufferPointer(rebasing: z[0..<n])
        problem.parameters.withUnsafeBufferPointer { p in
            cost.gradient(x, p, UnsafeMutableBufferPointer(rebasing: seed[0..<n]))
        }
    }

    /// z₀ = (x₀, 0).
    var initialAugmentedState: [Double] { problem.initialState + [0] }
}
