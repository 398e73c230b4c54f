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
    /// adjoint sweep per seed through the interval's steps: with `.storeAll` one forward
    /// pass keeps the k + 1 states and every seed sweeps back over them; with any other
    /// strategy each seed runs the checkpointed driver on the interval (same bits).
    ///
    /// - Parameter gradient: scratch of the full control length, zero on entry and on return.
    /// - Throws: ``ControlError/checkpointing(_:)``.
    /// - Complexity: (1 + |seeds|) · k steps with store-all; |seeds| · (t(k, s) + k) under a
    ///   budget.
    func intervalJacobian(_ k: Int, from x: [Double], controls: [Double], seeds: [[Double]],
                          checkpointing: Checkpointing<Vector>, gradient: inout [Double]) throws(ControlError) -> IntervalJacobian {
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
        let width = augmentedDimension
        var states = Array(repeating: 0.0, count: (substeps + 1) * width)
        var scratch = Array(repeating: 0.0, count: localCount)
        var scratchBar = scratch
        for e in 0..<n { states[e] = x[e] }
        controls.withUnsafeBufferPointer { u in
            scratch.withUnsafeMutableBufferPointer { q in
                states.withUnsafeMutableBufferPointer { all in
                    for (j, i) in steps(ofInterval: k).enumerated() {
                        let zi = UnsafeBufferPointer(rebasing: all[(j * width)..<((j + 1) * width)])
                        let next = UnsafeMutableBufferPointer(rebasing: all[((j + 1) * width)..<((j + 2) * width)])
                        advance(step: i, state: zi, controls: u, into: next, local: q)
                    }
                }
            }
        }
        var result = IntervalJacobian(end: Array(states[(substeps * width)...]), stateRows: [], controlRows: [])
        for seed in seeds {
            var adjoint = seed
            controls.withUnsafeBufferPointer { u in
                states.withUnsafeBufferPointer { all in
                    scratch.withUnsafeMutableBufferPointer { q in
                        scratchBar.withUnsafeMutableBufferPointer { qBar in
                            adjoint.withUnsafeMutableBufferPointer { lambda in
                                gradient.withUnsafeMutableBufferPointer { g in
                                    for (j, i) in steps(ofInterval: k).enumerated().reversed() {
                                        let zi = UnsafeBufferPointer(rebasing: all[(j * width)..<((j + 1) * width)])
                                        reverse(step: i, state: zi, controls: u, adjoint: lambda, gradient: g, local: q, localBar: qBar)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            result.stateRows.append(Array(adjoint[0..<n]))
            result.controlRows.append(Array(gradient[local]))
            for e in local { gradient[e] = 0 }
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
