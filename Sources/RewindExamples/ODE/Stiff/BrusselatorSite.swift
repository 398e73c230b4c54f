import _Differentiation
import AdjointODE
import Kernels

/// One point of the 1-D Brusselator (Hairer & Wanner II) as a coupled per-site function:
/// u′ = 1 + u²v − 4u + α(N+1)²Δu, v′ = 3u − u²v + α(N+1)²Δv, the parameter being α.
/// Swift AD derives its pullback; ``StiffProblems/brusselatorKernel(points:)`` sweeps it.
public struct BrusselatorSite: CoupledSiteFunction, Sendable {
    /// (N + 1)², the inverse squared mesh width.
    public let scale: Double

    /// The site of a line of `points` interior points.
    ///
    /// - Complexity: O(1).
    public init(points: Int) {
        precondition(points >= 1, "the Brusselator needs at least one interior point, got \(points)")
        scale = Double((points + 1) * (points + 1))
    }

    /// (u′_i, v′_i).
    ///
    /// - Complexity: O(1).
    @differentiable(reverse)
    public func callAsFunction(_ u: Neighbourhood, _ v: Neighbourhood, _ alpha: Double) -> SitePair {
        let c = alpha * scale, reaction = u.centre * u.centre * v.centre
        return SitePair(u: 1 + reaction - 4 * u.centre + c * (u.minus1 - 2 * u.centre + u.plus1),
                        v: 3 * u.centre - reaction + c * (v.minus1 - 2 * v.centre + v.plus1))
    }

    /// The pullback of ``callAsFunction(_:_:_:)``, from Swift AD.
    ///
    /// - Complexity: O(1).
    public func pullback(at u: Neighbourhood, _ v: Neighbourhood, _ alpha: Double, seed: SitePair)
        -> (Neighbourhood, Neighbourhood, Double)
    {
        valueWithPullback(at: u, v, alpha) { u, v, alpha in self(u, v, alpha) }.pullback(seed)
    }
}

extension StiffProblems {
    /// The Brusselator's right-hand side as a coupled kernel over the interleaved state
    /// (u_1, v_1, u_2, …), with the fixed ends u = 1, v = 3: the same function as
    /// ``brusselatorRightHandSide(points:)``, whose pullback is written by hand.
    ///
    /// ```swift
    /// let rhs = RightHandSide(kernel: StiffProblems.brusselatorKernel(points: 100), dimension: 200)
    /// ```
    ///
    /// - Complexity: O(1).
    public static func brusselatorKernel(points n: Int) -> CoupledStencilKernel<BrusselatorSite> {
        CoupledStencilKernel(BrusselatorSite(points: n), radius: 1, boundaries: (u: .fixed(1), v: .fixed(3)))
    }
}
