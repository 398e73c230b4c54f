import _Differentiation

extension ControlDynamics {
    /// Dynamics from one `@differentiable(reverse)` Swift function f(x, u, t); Swift's
    /// automatic differentiation supplies the vector-Jacobian product. Constant parameters
    /// are captured by the closure (the `p` buffer is ignored).
    ///
    /// ```swift
    /// let pendulum = ControlDynamics(stateDimension: 2, controlDimension: 1) { x, u, _ in
    ///     [x[1], -sin(x[0]) + u[0]]
    /// }
    /// ```
    /// Convenient for small states; for large ones write a fused pullback (the array-based
    /// derivative costs O(n) per element access).
    public init(stateDimension n: Int, controlDimension m: Int,
                differentiable f: @escaping @Sendable @differentiable(reverse) ([Double], [Double], @noDerivative Double) -> [Double]) {
        self.init(stateDimension: n, controlDimension: m, evaluate: { t, x, u, _, dxdt in
            let value = f(Array(x), Array(u), t)
            precondition(value.count == n, "the dynamics returned \(value.count) values for \(n) states")
            for i in 0..<n { dxdt[i] = value[i] }
        }, pullback: { t, x, u, _, v, xBar, uBar in
            let (_, pullback) = valueWithPullback(at: Array(x), Array(u)) { x, u in f(x, u, t) }
            let (dx, du) = pullback(Array<Double>.DifferentiableView(Array(v)))
            let dxValues = dx.base, duValues = du.base
            for i in 0..<n { xBar[i] = i < dxValues.count ? dxValues[i] : 0 }
            for c in 0..<Swift.min(m, duValues.count) { uBar[c] += duValues[c] }
        })
    }
}

extension RunningControlCost {
    /// A running cost from one `@differentiable(reverse)` Swift function L(x, u, t).
    public init(differentiable cost: @escaping @Sendable @differentiable(reverse) ([Double], [Double], @noDerivative Double) -> Double) {
        self.init(value: { t, x, u, _ in cost(Array(x), Array(u), t) }, gradient: { t, x, u, _, scale, xBar, uBar in
            let (dx, du) = _Differentiation.gradient(at: Array(x), Array(u)) { x, u in cost(x, u, t) }
            for (i, d) in dx.base.enumerated() { xBar[i] += scale * d }
            for (c, d) in du.base.enumerated() { uBar[c] += scale * d }
        })
    }
}

extension TerminalCost {
    /// A terminal cost from one `@differentiable(reverse)` Swift function φ(x).
    public init(differentiable cost: @escaping @Sendable @differentiable(reverse) ([Double]) -> Double) {
        self.init(value: { x, _ in cost(Array(x)) }, gradient: { x, _, xBar in
            for (i, d) in _Differentiation.gradient(at: Array(x), of: cost).base.enumerated() { xBar[i] += d }
        })
    }
}
