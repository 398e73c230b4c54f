extension ControlProblem {
    /// The state components with a finite lower bound.
    var lowerBoundedStates: [Int] { stateLower.indices.filter { stateLower[$0].isFinite } }
    /// The state components with a finite upper bound.
    var upperBoundedStates: [Int] { stateUpper.indices.filter { stateUpper[$0].isFinite } }
    /// The number of finite state bounds.
    var stateBoundCount: Int { lowerBoundedStates.count + upperBoundedStates.count }

    /// The path constraint followed by one row per finite state bound (x_min,i − x_i ≤ 0,
    /// then x_i − x_max,i ≤ 0), or nil if there is neither: how the penalty and augmented
    /// Lagrangian of L-BFGS-B single shooting see state bounds.
    var pathConstraintWithStateBounds: PathConstraint? {
        let lowerIndices = lowerBoundedStates, upperIndices = upperBoundedStates
        guard !lowerIndices.isEmpty || !upperIndices.isEmpty else { return pathConstraint }
        let base = pathConstraint
        let first = base?.count ?? 0
        let lower = stateLower, upper = stateUpper
        return PathConstraint(count: first + lowerIndices.count + upperIndices.count, evaluate: { t, x, u, p, c in
            if let base { base.evaluate(t, x, u, p, UnsafeMutableBufferPointer(rebasing: c[0..<first])) }
            for (r, i) in lowerIndices.enumerated() { c[first + r] = lower[i] - x[i] }
            for (r, i) in upperIndices.enumerated() { c[first + lowerIndices.count + r] = x[i] - upper[i] }
        }, pullback: { t, x, u, p, w, xBar, uBar in
            if let base { base.pullback(t, x, u, p, UnsafeBufferPointer(rebasing: w[0..<first]), xBar, uBar) }
            for (r, i) in lowerIndices.enumerated() { xBar[i] -= w[first + r] }
            for (r, i) in upperIndices.enumerated() { xBar[i] += w[first + lowerIndices.count + r] }
        })
    }

    /// The problem without path constraints and state bounds: the objective alone.
    var unconstrained: ControlProblem {
        var plain = self
        plain.pathConstraint = nil
        plain.stateLower = Array(repeating: -.infinity, count: stateDimension)
        plain.stateUpper = Array(repeating: .infinity, count: stateDimension)
        return plain
    }
}
