import CheckpointedAD
import _Differentiation

extension RightHandSide {
    /// A right-hand side whose vector-Jacobian product Swift's automatic differentiation
    /// derives from `f(y, p, t)`: one `valueWithPullback` per stage in the adjoint.
    ///
    /// ```swift
    /// let decay = RightHandSide(dimension: 1, parameterCount: 1) { y, p, t in
    ///     -p.element(at: 0) * y
    /// }
    /// ```
    ///
    /// Convenient and exact; a hand-written fused pullback
    /// (``init(dimension:parameterCount:evaluate:pullback:)``) is several times faster
    /// (FACTS.md: Lorenz-96 RK4 step, N = 4096, Swift AD 85 µs vs fused 44 µs).
    ///
    /// - Complexity: each evaluation and each VJP copies y and p into `Vector`s.
    public init(dimension: Int, parameterCount: Int, differentiable f: @escaping @Sendable @differentiable(reverse) (Vector, Vector, @noDerivative Double) -> Vector) {
        self.init(
            dimension: dimension, parameterCount: parameterCount,
            evaluate: { t, y, p, dydt in
                let value = f(Vector(Array(y)), Vector(Array(p)), t)
                precondition(value.count == dydt.count, "the right-hand side returned \(value.count) values for a state of \(dydt.count)")
                value.scalars.withUnsafeBufferPointer { _ = dydt.update(fromContentsOf: $0) }
            },
            pullback: { t, y, p, v, yBar, pBar in
                let (_, pullback) = valueWithPullback(at: Vector(Array(y)), Vector(Array(p))) { y, p in f(y, p, t) }
                let (stateBar, parameterBar) = pullback(Vector(Array(v)))
                if stateBar.count == yBar.count {
                    stateBar.scalars.withUnsafeBufferPointer { _ = yBar.update(fromContentsOf: $0) }
                } else {
                    yBar.update(repeating: 0)  // a zero tangent has no elements
                }
                if parameterBar.count == pBar.count {
                    let elements = parameterBar.scalars  // once: a rotated view copies on every read
                    for m in 0..<pBar.count { pBar[m] += elements[m] }
                }
            })
    }
}
