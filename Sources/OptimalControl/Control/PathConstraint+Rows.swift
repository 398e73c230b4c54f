extension ControlProblem {
    /// c(t, x, u, p) at one node.
    func pathConstraintValues(time t: Double, state x: [Double], control u: ArraySlice<Double>) -> [Double] {
        guard let constraint = pathConstraint else { return [] }
        var c = Array(repeating: 0.0, count: constraint.count)
        let control = Array(u)
        x.withUnsafeBufferPointer { xb in control.withUnsafeBufferPointer { ub in parameters.withUnsafeBufferPointer { p in
            c.withUnsafeMutableBufferPointer { constraint.evaluate(t, xb, ub, p, $0) }
        } } }
        return c
    }

    /// The rows of ∂c/∂x (n each) and ∂c/∂u (m each) at one node, one pullback per row.
    func pathConstraintRows(time t: Double, state x: [Double], control u: ArraySlice<Double>) -> (state: [[Double]], control: [[Double]]) {
        guard let constraint = pathConstraint else { return ([], []) }
        let control = Array(u)
        var stateRows: [[Double]] = [], controlRows: [[Double]] = []
        for j in 0..<constraint.count {
            var weights = Array(repeating: 0.0, count: constraint.count)
            weights[j] = 1
            var xBar = Array(repeating: 0.0, count: stateDimension), uBar = Array(repeating: 0.0, count: controlDimension)
            x.withUnsafeBufferPointer { xb in control.withUnsafeBufferPointer { ub in parameters.withUnsafeBufferPointer { p in
                weights.withUnsafeBufferPointer { w in
                    xBar.withUnsafeMutableBufferPointer { xo in uBar.withUnsafeMutableBufferPointer { uo in
                        constraint.pullback(t, xb, ub, p, w, xo, uo)
                    } }
                }
            } } }
            stateRows.append(xBar)
            controlRows.append(uBar)
        }
        return (stateRows, controlRows)
    }

    /// φ(x) and ∇φ(x) (0 and zeros without a terminal cost).
    func terminalValueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        guard let cost = terminalCost else { return (0, Array(repeating: 0, count: stateDimension)) }
        var gradient = Array(repeating: 0.0, count: stateDimension)
        let value = x.withUnsafeBufferPointer { xb in
            parameters.withUnsafeBufferPointer { p in
                gradient.withUnsafeMutableBufferPointer { cost.gradient(xb, p, $0) }
                return cost.value(xb, p)
            }
        }
        return (value, gradient)
    }
}

extension ControlProblem {
    /// (∂(wᵀc)/∂x, ∂(wᵀc)/∂u) at one node: one pullback of the path constraint.
    func pathConstraintGradient(time t: Double, state x: [Double], control u: [Double], weights: [Double]) -> (state: [Double], control: [Double]) {
        guard let constraint = pathConstraint else { return (Array(repeating: 0, count: stateDimension), Array(repeating: 0, count: controlDimension)) }
        var xBar = Array(repeating: 0.0, count: stateDimension), uBar = Array(repeating: 0.0, count: controlDimension)
        x.withUnsafeBufferPointer { xb in u.withUnsafeBufferPointer { ub in parameters.withUnsafeBufferPointer { p in
            weights.withUnsafeBufferPointer { w in
                xBar.withUnsafeMutableBufferPointer { xo in uBar.withUnsafeMutableBufferPointer { uo in
                    constraint.pullback(t, xb, ub, p, w, xo, uo)
                } }
            }
        } } }
        return (xBar, uBar)
    }
}
