import CheckpointedAD

/// The derivatives of one control interval's map (x_k, q_k) ↦ z_{k+1} = (x_{k+1}, J_k), the
/// building block of multiple shooting and of single shooting's constraint Jacobian: for
/// each seed z̄ (a row selector), the state row z̄ᵀ ∂z_{k+1}/∂x_k and the control row
/// z̄ᵀ ∂z_{k+1}/∂q_k over the interval's own control values.
struct IntervalJacobian: Equatable {
    /// z_{k+1} = (x_{k+1}, J_k): the end state and the interval's running cost.
    var end: [Double]
    /// One row of n per seed.
    var stateRows: [[Double]]
    /// One row of the interval's control values (m per piecewise-constant interval, 2m per
    /// piecewise-linear one) per seed.
    var controlRows: [[Double]]
}

extension ShootingModel {
    /// The steps of interval k.
    func steps(ofInterval k: Int) -> Range<Int> { (k * substeps)..<((k + 1) * substeps) }

    /// The index of interval k's first control value in the flat control vector.
    func firstControl(ofInterval k: Int) -> Int { k * m }

    /// z_{k+1} = (x_{k+1}, J_k) from x_k = `x`: interval k's steps, without node terms.
    /// - Complexity: k substeps, O(n) memory.
    func intervalEnd(_ k: Int, from x: [Double], controls: [Double]) -> [Double] {
        precondition(problem.pathConstraint == nil, "interval maps carry no node terms: build the model without path constraints")
        var z = x + [0]
        var next = z
        var local = Array(repeating: 0.0, count: localCount)
        controls.withUnsafeBufferPointer { u in
            local.withUnsafeMutableBufferPointer { q in
                for i in steps(ofInterval: k) {
                    z.withUnsafeBufferPointer { zi in
                        next.withUnsafeMutableBufferPointer { advance(step: i, state: zi, controls: u, into: $0, local: q) }
                    }
                    swap(&z, &next)
                }
            }
        }
        return z
    }

    /// The Jacobian rows of interval k selected by `seeds` (each of n + 1 entries), by one
    /// adjoint sweep per seed through the interval's steps: with `.storeAll` one
    /// ``IntervalKernel`` forward pass keeps the states and stages and every seed sweeps back
    /// over them; with any other
    /// strategy each seed runs the checkpointed driver on the interval (same bits).
    ///
    /// - Throws: ``ControlError/checkpointing(_:)``.
    /// - Complexity: (1 + |seeds|) · k steps with store-all; |seeds| · (t(k, s) + k) under a
    ///   budget.
    func intervalJacobian(_ k: Int, from x: [Double], controls: [Double], seeds: [[Double]],
                          checkpointing: Checkpointing<Vector>) throws(ControlError) -> IntervalJacobian {
        precondition(problem.pathConstraint == nil, "interval maps carry no node terms: build the model without path constraints")
        let first = firstControl(ofInterval: k), local = first..<(first + localControlCount)
        if !checkpointing.isStoreAll {
            var result = IntervalJacobian(end: [], stateRows: [], controlRows: [])
            for seed in seeds {
                let pullback = try pullbackCheckpointed(controls: controls, from: x + [0], steps: steps(ofInterval: k),
                                                        seed: seed, checkpointing: checkpointing)
                result.stateRows.append(Array(pullback.initialCotangent[0..<n]))
                result.controlRows.append(Array(pullback.gradient[local]))
            }
            result.end = intervalEnd(k, from: x, controls: controls)
            return result
        }
        let kernel = IntervalKernel(model: self)
        var result = IntervalJacobian(end: [], stateRows: [], controlRows: [])
        let q = Array(controls[local])
        x.withUnsafeBufferPointer { xb in q.withUnsafeBufferPointer { qb in
            kernel.forward(interval: k, state: xb.baseAddress!, controls: qb.baseAddress!)
        } }
        result.end = Array(UnsafeBufferPointer(start: kernel.end, count: augmentedDimension))
        for seed in seeds {
            var stateRow = Array(repeating: 0.0, count: n), controlRow = Array(repeating: 0.0, count: localControlCount)
            kernel.reverse(seed: seed, stateRow: &stateRow, controlRow: &controlRow)
            result.stateRows.append(stateRow)
            result.controlRows.append(controlRow)
        }
        return result
    }

    /// The unit seeds selecting x_{k+1}'s components (and, with `cost`, J_k last).
    func unitSeeds(cost: Bool) -> [[Double]] {
        (0..<(cost ? n + 1 : n)).map { r in (0..<augmentedDimension).map { $0 == r ? 1.0 : 0.0 } }
    }

    /// The node states x(t_k) and the objective J + φ(x_N) of one forward pass.
    func trajectory(controls: [Double]) -> (value: Double, nodes: [[Double]]) {
        var nodes = [problem.initialState]
        var cost = 0.0
        for k in 0..<intervals {
            let end = intervalEnd(k, from: nodes[k], controls: controls)
            nodes.append(Array(end[0..<n]))
            cost += end[n]
        }
        let terminal = problem.terminalCost.map { c in
            nodes[intervals].withUnsafeBufferPointer { x in problem.parameters.withUnsafeBufferPointer { c.value(x, $0) } }
        } ?? 0
        return (cost + terminal, nodes)
    }
}
