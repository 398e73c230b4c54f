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

/// The buffers of store-all interval sweeps, reused from interval to interval: the k + 1
/// augmented states, the local parameters and their cotangent, the adjoint, and a control
/// gradient of the full length whose interval entries are zeroed around each sweep.
final class IntervalWorkspace {
    var states: [Double]
    var local: [Double]
    var localBar: [Double]
    var adjoint: [Double]
    var gradient: [Double]

    init(model: ShootingModel) {
        states = Array(repeating: 0, count: (model.substeps + 1) * model.augmentedDimension)
        local = Array(repeating: 0, count: model.localCount)
        localBar = local
        adjoint = Array(repeating: 0, count: model.augmentedDimension)
        gradient = Array(repeating: 0, count: model.controlCount)
    }
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
        let workspace = IntervalWorkspace(model: self)
        let lc = localControlCount
        var result = IntervalJacobian(end: [], stateRows: [], controlRows: [])
        x.withUnsafeBufferPointer { xb in controls.withUnsafeBufferPointer { u in
            intervalForward(k, from: xb, controls: u, workspace: workspace)
            result.end = Array(workspace.states[(substeps * augmentedDimension)...])
            for seed in seeds {
                var stateRow = Array(repeating: 0.0, count: n), controlRow = Array(repeating: 0.0, count: lc)
                seed.withUnsafeBufferPointer { sb in
                    stateRow.withUnsafeMutableBufferPointer { sr in
                        controlRow.withUnsafeMutableBufferPointer { cr in
                            intervalReverse(k, seed: sb, controls: u, workspace: workspace, stateRow: sr, controlRow: cr)
                        }
                    }
                }
                result.stateRows.append(stateRow)
                result.controlRows.append(controlRow)
            }
        } }
        return result
    }

    /// The store-all forward pass of interval k from x_k = `x`: the k + 1 augmented states
    /// go into `workspace.states`.
    func intervalForward(_ k: Int, from x: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>,
                         workspace: IntervalWorkspace) {
        let width = augmentedDimension
        let first = k * substeps
        workspace.states.withUnsafeMutableBufferPointer { all in
            for e in 0..<n { all[e] = x[e] }
            all[n] = 0
            workspace.local.withUnsafeMutableBufferPointer { q in
                for j in 0..<substeps {
                    let zi = UnsafeBufferPointer(rebasing: all[(j * width)..<((j + 1) * width)])
                    let next = UnsafeMutableBufferPointer(rebasing: all[((j + 1) * width)..<((j + 2) * width)])
                    advance(step: first + j, state: zi, controls: controls, into: next, local: q)
                }
            }
        }
    }

    /// One adjoint sweep of interval k over the states of the last ``intervalForward``:
    /// writes seedᵀ∂z_{k+1}/∂x_k into `stateRow` (n) and seedᵀ∂z_{k+1}/∂q_k into
    /// `controlRow` (the interval's control values).
    func intervalReverse(_ k: Int, seed: UnsafeBufferPointer<Double>, controls: UnsafeBufferPointer<Double>,
                         workspace: IntervalWorkspace, stateRow: UnsafeMutableBufferPointer<Double>,
                         controlRow: UnsafeMutableBufferPointer<Double>) {
        let width = augmentedDimension
        let first = k * substeps
        let base = firstControl(ofInterval: k)
        workspace.adjoint.withUnsafeMutableBufferPointer { lambda in
            for e in 0..<width { lambda[e] = seed[e] }
            workspace.gradient.withUnsafeMutableBufferPointer { g in
                for e in 0..<localControlCount { g[base + e] = 0 }
                workspace.states.withUnsafeBufferPointer { all in
                    workspace.local.withUnsafeMutableBufferPointer { q in
                        workspace.localBar.withUnsafeMutableBufferPointer { qBar in
                            for j in stride(from: substeps - 1, through: 0, by: -1) {
                                let zi = UnsafeBufferPointer(rebasing: all[(j * width)..<((j + 1) * width)])
                                reverse(step: first + j, state: zi, controls: controls, adjoint: lambda, gradient: g, local: q, localBar: qBar)
                            }
                        }
                    }
                }
                for e in 0..<localControlCount { controlRow[e] = g[base + e]; g[base + e] = 0 }
            }
            for e in 0..<n { stateRow[e] = lambda[e] }
        }
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
