import AdjointODE

/// Store-all derivatives of one control interval's map z_{k+1} = (x_{k+1}, J_k)(x_k, q_k),
/// the inner loop of multiple shooting: the interval's explicit Runge–Kutta substeps written
/// out over flat buffers that are allocated once, calling the problem's own dynamics and
/// running cost.
///
/// ``forward(interval:state:controls:)`` keeps every substep's start state **and every stage
/// state**, so the reverse sweeps that follow (one per seed z̄, giving the row
/// z̄ᵀ∂z_{k+1}/∂(x_k, q_k)) evaluate one vector-Jacobian product per stage and never
/// recompute a stage. ``ShootingModel/advance(step:state:controls:into:local:)`` and
/// ``ShootingModel/reverse(step:state:controls:adjoint:gradient:local:localBar:stagesAreCurrent:)``
/// (through `RungeKuttaStepper`) compute the same map for the checkpointed driver; the kernel
/// performs the same floating-point operations in the same order (stage combinations summed
/// left to right, the stepper's rescaled stage adjoints, the same control interpolation and
/// scatter), so both give the same bits (`IntervalKernelTests`).
///
/// - Complexity: forward, k·s dynamics evaluations (and k·|b ≠ 0| cost evaluations);
///   reverse, k·s dynamics VJPs (and cost gradients) per seed. Memory: k·(s·n + n + 1) doubles.
final class IntervalKernel {
    let model: ShootingModel
    let n: Int, m: Int, s: Int, substeps: Int
    /// Control values per interval (m, or 2m piecewise linear).
    let lc: Int
    let linear: Bool
    let h: Double
    let dynamics: ControlDynamics
    let cost: RunningControlCost?
    let parameters: UnsafeMutableBufferPointer<Double>
    /// h·a_ij (row-major s × s), h·b_i, b_i, c_i.
    let ha: UnsafeMutablePointer<Double>, hb: UnsafeMutablePointer<Double>
    let b: UnsafeMutablePointer<Double>, c: UnsafeMutablePointer<Double>
    let a: UnsafeMutablePointer<Double>
    /// Whether stage i feeds y⁺ or a later stage; whether its row of a has a non-zero.
    let used: UnsafeMutablePointer<Bool>, hasTerms: UnsafeMutablePointer<Bool>
    /// The k + 1 augmented states (n + 1 each) of the last forward pass.
    let states: UnsafeMutablePointer<Double>
    /// Stage states Y_i of every substep (k × s × n); a stage without terms is y itself.
    let stages: UnsafeMutablePointer<Double>
    /// Stage derivatives k_i of the current substep (s × n).
    let slopes: UnsafeMutablePointer<Double>
    /// The interval's control values (lc) and its start time, from the last forward pass.
    let controls: UnsafeMutablePointer<Double>
    private(set) var interval = 0
    /// Reverse scratch: stage adjoints (s × n), their scales, the cotangent, λ, q̄ per step,
    /// q̄ per rescaled stage, u and ū.
    let stageAdjoints: UnsafeMutablePointer<Double>, scale: UnsafeMutablePointer<Double>
    let cotangent: UnsafeMutablePointer<Double>, lambda: UnsafeMutablePointer<Double>
    let qBar: UnsafeMutablePointer<Double>, qScratch: UnsafeMutablePointer<Double>
    let u: UnsafeMutablePointer<Double>, uBar: UnsafeMutablePointer<Double>
    /// Linear-combination terms.
    let coefficients: UnsafeMutablePointer<Double>, vectors: UnsafeMutablePointer<UnsafePointer<Double>>

    init(model: ShootingModel) {
        precondition(model.problem.pathConstraint == nil, "interval maps carry no node terms: build the model without path constraints")
        self.model = model
        n = model.n; m = model.m; substeps = model.substeps
        let method = model.stepper.method
        s = method.stages
        lc = model.localControlCount
        linear = model.parameterization == .piecewiseLinear
        h = model.stepSize
        dynamics = model.problem.dynamics
        cost = model.problem.runningCost
        parameters = .allocate(capacity: model.problem.parameters.count)
        _ = parameters.initialize(from: model.problem.parameters)
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0, count: Swift.max(count, 1))
            return p
        }
        let s = self.s
        a = buffer(s * s); ha = buffer(s * s); hb = buffer(s); b = buffer(s); c = buffer(s)
        for i in 0..<s {
            for j in 0..<s { a[i * s + j] = method.a[i * s + j]; ha[i * s + j] = model.stepSize * method.a[i * s + j] }
            b[i] = method.b[i]; hb[i] = model.stepSize * method.b[i]; c[i] = method.c[i]
        }
        used = .allocate(capacity: s); hasTerms = .allocate(capacity: s)
        for i in 0..<s {
            hasTerms[i] = (0..<i).contains { method.a[i * s + $0] != 0 }
            used[i] = method.b[i] != 0 || (i + 1..<s).contains { method.a[$0 * s + i] != 0 }
        }
        states = buffer((model.substeps + 1) * (n + 1))
        stages = buffer(model.substeps * s * n)
        slopes = buffer(s * n)
        controls = buffer(lc + 1)
        stageAdjoints = buffer(s * n); scale = buffer(s)
        cotangent = buffer(n); lambda = buffer(n)
        qBar = buffer(lc); qScratch = buffer(lc)
        u = buffer(m); uBar = buffer(m)
        coefficients = buffer(s + 1)
        vectors = .allocate(capacity: s + 1)
        vectors.initialize(repeating: UnsafePointer(slopes), count: s + 1)
    }

    deinit {
        for p in [a, ha, hb, b, c, states, stages, slopes, controls, stageAdjoints, scale, cotangent, lambda, qBar, qScratch, u, uBar, coefficients] {
            p.deallocate()
        }
        parameters.deallocate()
        used.deallocate(); hasTerms.deallocate(); vectors.deallocate()
    }

    /// z_{k+1} of the last forward pass (n + 1 values: x_{k+1}, then J_k).
    var end: UnsafePointer<Double> { UnsafePointer(states + substeps * (n + 1)) }

    /// out = factor·base + Σ_t coefficients[t]·vectors[t], summed left to right as
    /// `RungeKuttaStepper.linearCombination` does; `out` may be `base`.
    @inline(__always)
    func combine(into out: UnsafeMutablePointer<Double>, base: UnsafePointer<Double>?, factor: Double, count: Int) {
        for e in 0..<n {
            var sum: Double
            var t = 0
            if let base {
                sum = factor * base[e]
            } else if count > 0 {
                sum = coefficients[0] * vectors[0][e]
                t = 1
            } else {
                sum = 0
            }
            while t < count { sum = sum + coefficients[t] * vectors[t][e]; t += 1 }
            out[e] = sum
        }
    }

    /// u at time t from the interval's values (the model's interpolation); returns θ.
    @inline(__always)
    func control(at t: Double) -> Double {
        guard linear else { return 0 }
        let theta = Swift.min(Swift.max((t - controls[lc]) / model.intervalLength, 0), 1)
        for e in 0..<m { u[e] = (1 - theta) * controls[e] + theta * controls[m + e] }
        return theta
    }

    /// q̄ += ∂u/∂q ᵀ ū (the model's scatter).
    @inline(__always)
    func scatter(_ theta: Double, into target: UnsafeMutablePointer<Double>) {
        if linear {
            for e in 0..<m { target[e] += (1 - theta) * uBar[e]; target[m + e] += theta * uBar[e] }
        } else {
            for e in 0..<m { target[e] += uBar[e] }
        }
    }

    /// The control buffer the callbacks read at time t.
    @inline(__always)
    func controlBuffer(at t: Double) -> (UnsafeBufferPointer<Double>, Double) {
        let theta = control(at: t)
        return (UnsafeBufferPointer(start: linear ? u : controls, count: m), theta)
    }

    /// The store-all forward pass of interval k from x_k = `x` with the interval's control
    /// values `q` (lc of them): keeps the states and stages for ``reverse(seed:stateRow:controlRow:)``.
    func forward(interval k: Int, state x: UnsafePointer<Double>, controls q: UnsafePointer<Double>) {
        interval = k
        for e in 0..<lc { controls[e] = q[e] }
        controls[lc] = model.nodeTime(k)
        for e in 0..<n { states[e] = x[e] }
        states[n] = 0
        let p = UnsafeBufferPointer(parameters)
        let evaluate = dynamics.evaluate, costValue = cost?.value
        for j in 0..<substeps {
            let t = model.time(ofStep: k * substeps + j)
            let y = states + j * (n + 1)
            for i in 0..<s where used[i] {
                var count = 0
                for l in 0..<i where a[i * s + l] != 0 {
                    coefficients[count] = ha[i * s + l]; vectors[count] = UnsafePointer(slopes + l * n); count += 1
                }
                let stage = stageState(substep: j, stage: i)
                if count > 0 { combine(into: stage, base: y, factor: 1, count: count) }
                let ti = t + c[i] * h
                let (uu, _) = controlBuffer(at: ti)
                evaluate(ti, UnsafeBufferPointer(start: stage, count: n), uu, p, UnsafeMutableBufferPointer(start: slopes + i * n, count: n))
            }
            let next = states + (j + 1) * (n + 1)
            var count = 0
            for i in 0..<s where b[i] != 0 {
                coefficients[count] = hb[i]; vectors[count] = UnsafePointer(slopes + i * n); count += 1
            }
            combine(into: next, base: y, factor: 1, count: count)
            var stepCost = 0.0
            if let costValue {
                var sum = 0.0
                for i in 0..<s where b[i] != 0 {
                    let ti = t + c[i] * h
                    let (uu, _) = controlBuffer(at: ti)
                    sum += b[i] * costValue(ti, UnsafeBufferPointer(start: stageState(substep: j, stage: i), count: n), uu, p)
                }
                stepCost = h * sum
            }
            next[n] = y[n] + stepCost
        }
    }

    /// Y_i of substep j: its stored stage state, or the substep's start state.
    @inline(__always)
    func stageState(substep j: Int, stage i: Int) -> UnsafeMutablePointer<Double> {
        hasTerms[i] ? stages + (j * s + i) * n : states + j * (n + 1)
    }

    /// One adjoint sweep over the last forward pass with seed z̄ (n + 1 values): writes
    /// z̄ᵀ∂z_{k+1}/∂x_k into `stateRow` (n) and z̄ᵀ∂z_{k+1}/∂q_k into `controlRow` (lc).
    func reverse(seed: UnsafePointer<Double>, stateRow: UnsafeMutablePointer<Double>, controlRow: UnsafeMutablePointer<Double>) {
        for e in 0..<n { lambda[e] = seed[e] }
        let costWeight = seed[n]
        for e in 0..<lc { controlRow[e] = 0 }
        let p = UnsafeBufferPointer(parameters)
        let pullback = dynamics.pullback, costGradient = cost?.gradient
        let l = UnsafePointer(lambda)
        for j in stride(from: substeps - 1, through: 0, by: -1) {
            let t = model.time(ofStep: interval * substeps + j)
            for e in 0..<lc { qBar[e] = 0 }
            for i in stride(from: s - 1, through: 0, by: -1) where used[i] {
                var count = 0
                for later in i + 1..<s where used[later] && a[later * s + i] != 0 {
                    coefficients[count] = ha[later * s + i] * scale[later]
                    vectors[count] = UnsafePointer(stageAdjoints + later * n)
                    count += 1
                }
                let ti = t + c[i] * h
                let y = UnsafeBufferPointer(start: UnsafePointer(stageState(substep: j, stage: i)), count: n)
                let bar = UnsafeMutableBufferPointer(start: stageAdjoints + i * n, count: n)
                let hbi = hb[i]
                if count == 0 && hbi != 0 {
                    // Ȳ_i / (h b_i) = (∂f/∂y)ᵀ λ⁺, as the stepper stores it.
                    scale[i] = hbi
                    for e in 0..<lc { qScratch[e] = 0 }
                    var (uu, theta) = controlBuffer(at: ti)
                    for e in 0..<m { uBar[e] = 0 }
                    pullback(ti, y, uu, p, UnsafeBufferPointer(start: l, count: n), bar, UnsafeMutableBufferPointer(start: uBar, count: m))
                    scatter(theta, into: qScratch)
                    if let costGradient {
                        (uu, theta) = controlBuffer(at: ti)
                        for e in 0..<m { uBar[e] = 0 }
                        costGradient(ti, y, uu, p, costWeight, bar, UnsafeMutableBufferPointer(start: uBar, count: m))
                        scatter(theta, into: qScratch)
                    }
                    for e in 0..<lc { qBar[e] += hbi * qScratch[e] }
                } else {
                    scale[i] = 1
                    combine(into: cotangent, base: hbi != 0 ? l : nil, factor: hbi, count: count)
                    var (uu, theta) = controlBuffer(at: ti)
                    for e in 0..<m { uBar[e] = 0 }
                    pullback(ti, y, uu, p, UnsafeBufferPointer(start: cotangent, count: n), bar, UnsafeMutableBufferPointer(start: uBar, count: m))
                    scatter(theta, into: qBar)
                    if let costGradient, b[i] != 0 {
                        (uu, theta) = controlBuffer(at: ti)
                        for e in 0..<m { uBar[e] = 0 }
                        costGradient(ti, y, uu, p, costWeight * hbi, bar, UnsafeMutableBufferPointer(start: uBar, count: m))
                        scatter(theta, into: qBar)
                    }
                }
            }
            var count = 0
            for i in 0..<s where used[i] {
                coefficients[count] = scale[i]; vectors[count] = UnsafePointer(stageAdjoints + i * n); count += 1
            }
            combine(into: lambda, base: l, factor: 1, count: count)
            for e in 0..<lc { controlRow[e] += qBar[e] }
        }
        for e in 0..<n { stateRow[e] = lambda[e] }
    }
}
