import CheckpointedAD

/// The values and first derivatives of the multiple-shooting program, interval by interval:
/// with store-all sweeps through one ``IntervalKernel`` per call (one forward pass per
/// interval, then one reverse sweep per seed over its kept stages); under any other
/// checkpointing strategy through the checkpointed driver inside each interval (same bits).
extension MultipleShooting {
    /// Copies interval k's control values (lc of them) out of w into `q`.
    @inline(__always)
    func gatherControls(_ k: Int, from w: UnsafeBufferPointer<Double>, into q: UnsafeMutablePointer<Double>) {
        for e in 0..<(valuesPerInterval * m) { q[e] = w[controlIndex(value: k + e / m) + e % m] }
    }

    /// (f, g) at w: Σ_k J_k + φ(s_N), the continuity defects F_k − s_{k+1}, then the path
    /// constraints node by node.
    func programValues(_ w: [Double], model: ShootingModel) -> (objective: Double, constraints: [Double]) {
        let pathCount = problem.pathConstraint?.count ?? 0
        let continuityRows = intervals * n
        var g = Array(repeating: 0.0, count: continuityRows + (intervals + 1) * pathCount)
        let s = states(in: w)
        var objective = problem.terminalValueAndGradient(s[intervals]).value
        if checkpointing.isStoreAll {
            let kernel = IntervalKernel(model: model)
            let q = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, valuesPerInterval * m))
            defer { q.deallocate() }
            w.withUnsafeBufferPointer { wb in
                for k in 0..<intervals {
                    gatherControls(k, from: wb, into: q)
                    kernel.forward(interval: k, state: wb.baseAddress! + stateIndex(node: k), controls: q)
                    let end = kernel.end
                    objective += end[n]
                    for r in 0..<n { g[k * n + r] = end[r] - wb[stateIndex(node: k + 1) + r] }
                }
            }
        } else {
            let u = controls(in: w)
            for k in 0..<intervals {
                let end = model.intervalEnd(k, from: s[k], controls: u)
                objective += end[n]
                for r in 0..<n { g[k * n + r] = end[r] - s[k + 1][r] }
            }
        }
        if pathCount > 0 {
            let u = controls(in: w)
            for k in 0...intervals {
                let base = parameterization.nodeValueIndex(node: k, intervals: intervals) * m
                let c = problem.pathConstraintValues(time: model.nodeTime(k), state: s[k], control: u[base..<(base + m)])
                for j in 0..<pathCount { g[continuityRows + k * pathCount + j] = c[j] }
            }
        }
        return (objective, g)
    }

    /// (∇f, the Jacobian's values in pattern order) at w: per interval, n + 1 adjoint sweeps
    /// with the unit seeds (n continuity rows, then the cost row into ∇f); per node, one
    /// pullback of c per row.
    func programDerivatives(_ w: [Double], model: ShootingModel, jacobianCount: Int) throws(ControlError) -> (gradient: [Double], jacobian: [Double]) {
        var gradient = Array(repeating: 0.0, count: variableCount)
        var jacobian = Array(repeating: 0.0, count: jacobianCount)
        let s = states(in: w)
        let terminal = problem.terminalValueAndGradient(s[intervals]).gradient
        for i in 0..<n { gradient[stateIndex(node: intervals) + i] += terminal[i] }
        let lc = valuesPerInterval * m
        let perInterval = n * (n + lc + 1)
        /// Writes the row of seed r of interval k.
        func store(_ k: Int, _ r: Int, _ stateRow: UnsafePointer<Double>, _ controlRow: UnsafePointer<Double>) {
            if r == n {
                for i in 0..<n { gradient[stateIndex(node: k) + i] += stateRow[i] }
                for e in 0..<lc { gradient[controlIndex(value: k + e / m) + e % m] += controlRow[e] }
            } else {
                let offset = k * perInterval + r * (n + lc + 1)
                for i in 0..<n { jacobian[offset + i] = stateRow[i] }
                for e in 0..<lc { jacobian[offset + n + e] = controlRow[e] }
                jacobian[offset + n + lc] = -1
            }
        }
        if checkpointing.isStoreAll {
            let kernel = IntervalKernel(model: model)
            let width = n + 1
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: width * width + 2 * n + 2 * lc)
            defer { buffer.deallocate() }
            let seeds = buffer, q = buffer + width * width, stateRow = q + lc, controlRow = stateRow + n
            seeds.initialize(repeating: 0, count: width * width)
            for r in 0..<width { seeds[r * width + r] = 1 }
            w.withUnsafeBufferPointer { wb in
                for k in 0..<intervals {
                    gatherControls(k, from: wb, into: q)
                    kernel.forward(interval: k, state: wb.baseAddress! + stateIndex(node: k), controls: q)
                    for r in 0..<width {
                        kernel.reverse(seed: seeds + r * width, stateRow: stateRow, controlRow: controlRow)
                        store(k, r, stateRow, controlRow)
                    }
                }
            }
        } else {
            let u = controls(in: w)
            let seeds = model.unitSeeds(cost: true)
            for k in 0..<intervals {
                let rows = try model.intervalJacobian(k, from: s[k], controls: u, seeds: seeds, checkpointing: checkpointing)
                for r in seeds.indices { store(k, r, rows.stateRows[r], rows.controlRows[r]) }
            }
        }
        let pathCount = problem.pathConstraint?.count ?? 0
        if pathCount > 0 {
            let u = controls(in: w)
            var offset = intervals * perInterval
            for k in 0...intervals {
                let base = parameterization.nodeValueIndex(node: k, intervals: intervals) * m
                let rows = problem.pathConstraintRows(time: model.nodeTime(k), state: s[k], control: u[base..<(base + m)])
                for j in 0..<pathCount {
                    for v in rows.state[j] + rows.control[j] { jacobian[offset] = v; offset += 1 }
                }
            }
        }
        return (gradient, jacobian)
    }
}
