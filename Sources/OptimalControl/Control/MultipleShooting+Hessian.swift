import CheckpointedAD

/// The lower triangle of a sparse symmetric matrix built from dense blocks over variable
/// subsets; overlapping blocks share entries.
struct SymmetricBlockPattern {
    /// The row (≥ column) of each entry.
    private(set) var rows: [Int] = []
    /// The column of each entry.
    private(set) var columns: [Int] = []
    private var index: [Int: Int] = [:]
    let width: Int

    init(width: Int) { self.width = width }

    /// Adds the lower triangle of the block over `variables`.
    mutating func add(_ variables: [Int]) {
        for a in variables {
            for b in variables where a >= b && index[a * width + b] == nil {
                index[a * width + b] = rows.count
                rows.append(a)
                columns.append(b)
            }
        }
    }

    /// Where each entry (i, j) of a dense block over `variables` goes in the values (row-major,
    /// −1 for the upper triangle and for repeated variables off the diagonal), for
    /// ``accumulate(_:slots:into:)``.
    func slots(_ variables: [Int]) -> [Int] {
        var result: [Int] = []
        for (i, a) in variables.enumerated() {
            for (j, b) in variables.enumerated() { result.append(a > b || (a == b && i == j) ? index[a * width + b]! : -1) }
        }
        return result
    }

    /// Adds the symmetric block (row-major, `slots.count` entries) into `values` through
    /// precomputed ``slots(_:)``.
    @inline(__always)
    static func accumulate(_ block: UnsafePointer<Double>, slots: ArraySlice<Int>, into values: UnsafeMutableBufferPointer<Double>) {
        var e = 0
        for slot in slots {
            if slot >= 0 { values[slot] += block[e] }
            e += 1
        }
    }

    /// Adds the symmetric `block` over `variables` into `values` (pattern order).
    func accumulate(_ variables: [Int], _ block: [[Double]], into values: inout [Double]) {
        for (i, a) in variables.enumerated() {
            for (j, b) in variables.enumerated() where a > b || (a == b && i == j) {
                values[index[a * width + b]!] += block[i][j]
            }
        }
    }
}

extension MultipleShooting {
    /// The NLP variables interval k's map reads: s_k, then its control values.
    func intervalVariables(_ k: Int) -> [Int] {
        (0..<n).map { stateIndex(node: k) + $0 }
            + (0..<(valuesPerInterval * m)).map { e in controlIndex(value: k + e / m) + e % m }
    }

    /// The NLP variables the path constraint at node k reads: s_k and the control in force.
    func pathVariables(node k: Int) -> [Int] {
        let value = parameterization.nodeValueIndex(node: k, intervals: intervals)
        return (0..<n).map { stateIndex(node: k) + $0 } + (0..<m).map { controlIndex(value: value) + $0 }
    }

    /// The Hessian's pattern: one dense block per interval map, per node with path
    /// constraints, and for the terminal cost.
    func hessianPattern() -> SymmetricBlockPattern {
        var pattern = SymmetricBlockPattern(width: variableCount)
        for k in 0..<intervals { pattern.add(intervalVariables(k)) }
        if problem.pathConstraint != nil { for k in 0...intervals { pattern.add(pathVariables(node: k)) } }
        if problem.terminalCost != nil { pattern.add((0..<n).map { stateIndex(node: intervals) + $0 }) }
        return pattern
    }

    /// The step of the forward differences for a variable of value v (about √ε relative,
    /// which balances truncation against rounding).
    static func differenceStep(_ v: Double) -> Double { 1e-7 * Swift.max(1, abs(v)) }

    /// Forward differences of `gradient` from its unshifted value along each of `count`
    /// coordinates, symmetrised: count + 1 gradients. (Central differences, 2·count
    /// gradients, gave the same IPOPT iterations and optima on Van der Pol at 15% more time.)
    static func symmetricJacobian(count: Int, value: (Int) -> Double,
                                  gradient: (_ coordinate: Int, _ shift: Double) throws(ControlError) -> [Double]) throws(ControlError) -> [[Double]] {
        var block = Array(repeating: Array(repeating: 0.0, count: count), count: count)
        let base = try gradient(0, 0)
        for j in 0..<count {
            let h = differenceStep(value(j))
            let shifted = try gradient(j, h)
            for i in 0..<count { block[i][j] = (shifted[i] - base[i]) / h }
        }
        for i in 0..<count { for j in 0..<i { let mean = (block[i][j] + block[j][i]) / 2; block[i][j] = mean; block[j][i] = mean } }
        return block
    }

    /// ∇²(σ f + λᵀg) by forward differences of adjoint gradients: per interval, n + q + 1
    /// sweeps of the Lagrangian piece σJ_k + λ_kᵀF_k (each one adjoint sweep with the seed
    /// (λ_k, σ)); per node, n + m + 1 pullbacks of λᵀc; for φ, n + 1 gradients. Accurate to
    /// about 1e-7 relative (step 10⁻⁷·max(1, |w_j|)).
    func lagrangianHessian(at w: [Double], objectiveFactor sigma: Double, multipliers lambda: [Double],
                           pattern: SymmetricBlockPattern, intervalSlots: [Int], model: ShootingModel) throws(ControlError) -> [Double] {
        var u = controls(in: w)
        let s = states(in: w)
        var values = Array(repeating: 0.0, count: pattern.rows.count)
        let localCount = valuesPerInterval * m
        if checkpointing.isStoreAll {
            intervalHessianBlocks(at: w, objectiveFactor: sigma, multipliers: lambda, intervalSlots: intervalSlots, model: model, into: &values)
        } else {
            for k in 0..<intervals {
                let seed = (0..<n).map { lambda[k * n + $0] } + [sigma]
                let first = model.firstControl(ofInterval: k)
                let block = try Self.symmetricJacobian(count: n + localCount, value: { j in j < n ? s[k][j] : u[first + j - n] }) {
                    (j, shift) throws(ControlError) in
                    var x = s[k]
                    let saved = j < n ? 0 : u[first + j - n]
                    if j < n { x[j] += shift } else { u[first + j - n] += shift }
                    defer { if j >= n { u[first + j - n] = saved } }
                    let rows = try model.intervalJacobian(k, from: x, controls: u, seeds: [seed], checkpointing: checkpointing)
                    return rows.stateRows[0] + rows.controlRows[0]
                }
                pattern.accumulate(intervalVariables(k), block, into: &values)
            }
        }
        if let constraint = problem.pathConstraint {
            let base = intervals * n
            for k in 0...intervals {
                let weights = Array(lambda[(base + k * constraint.count)..<(base + (k + 1) * constraint.count)])
                guard weights.contains(where: { $0 != 0 }) else { continue }
                let value = parameterization.nodeValueIndex(node: k, intervals: intervals) * m
                let control = Array(u[value..<(value + m)])
                let block = try Self.symmetricJacobian(count: n + m, value: { j in j < n ? s[k][j] : control[j - n] }) { (j, shift) throws(ControlError) in
                    var x = s[k], v = control
                    if j < n { x[j] += shift } else { v[j - n] += shift }
                    let g = problem.pathConstraintGradient(time: model.nodeTime(k), state: x, control: v, weights: weights)
                    return g.state + g.control
                }
                pattern.accumulate(pathVariables(node: k), block, into: &values)
            }
        }
        if problem.terminalCost != nil && sigma != 0 {
            let block = try Self.symmetricJacobian(count: n, value: { s[intervals][$0] }) { (j, shift) throws(ControlError) in
                var x = s[intervals]
                x[j] += shift
                return problem.terminalValueAndGradient(x).gradient.map { sigma * $0 }
            }
            pattern.accumulate((0..<n).map { stateIndex(node: intervals) + $0 }, block, into: &values)
        }
        return values
    }

    /// The interval blocks of ``lagrangianHessian(at:objectiveFactor:multipliers:pattern:intervalSlots:model:)``
    /// with store-all sweeps: per interval one ``IntervalKernel`` forward pass and one reverse
    /// sweep with the seed (λ_k, σ) at w and at each of the n + lc shifted points, the forward
    /// differences symmetrised as in ``symmetricJacobian(count:value:gradient:)``.
    func intervalHessianBlocks(at w: [Double], objectiveFactor sigma: Double, multipliers lambda: [Double],
                               intervalSlots: [Int], model: ShootingModel, into values: inout [Double]) {
        let lc = valuesPerInterval * m, d = n + lc
        let kernel = IntervalKernel(model: model)
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: d + (n + 1) + 2 * d + d * d)
        defer { buffer.deallocate() }
        let point = buffer, seed = point + d, base = seed + n + 1, shifted = base + d, block = shifted + d
        let x = point, q = point + n
        w.withUnsafeBufferPointer { wb in values.withUnsafeMutableBufferPointer { out in
            for k in 0..<intervals {
                for i in 0..<n { x[i] = wb[stateIndex(node: k) + i]; seed[i] = lambda[k * n + i] }
                seed[n] = sigma
                gatherControls(k, from: wb, into: q)
                kernel.forward(interval: k, state: x, controls: q)
                kernel.reverse(seed: seed, stateRow: base, controlRow: base + n)
                for j in 0..<d {
                    let original = point[j]
                    let h = Self.differenceStep(original)
                    point[j] = original + h
                    kernel.forward(interval: k, state: x, controls: q)
                    kernel.reverse(seed: seed, stateRow: shifted, controlRow: shifted + n)
                    point[j] = original
                    for i in 0..<d { block[i * d + j] = (shifted[i] - base[i]) / h }
                }
                for i in 0..<d {
                    for j in 0..<i {
                        let mean = (block[i * d + j] + block[j * d + i]) / 2
                        block[i * d + j] = mean
                        block[j * d + i] = mean
                    }
                }
                SymmetricBlockPattern.accumulate(block, slots: intervalSlots[(k * d * d)..<((k + 1) * d * d)], into: out)
            }
        } }
    }
}
