import _Differentiation

/// The values of two coupled fields at one site, or their rates: (u_i, v_i).
///
/// - Complexity: O(1); no heap storage.
@frozen
public struct SitePair: Differentiable, AdditiveArithmetic, Hashable, Sendable {
    /// The cotangent of a pair is a pair.
    public typealias TangentVector = SitePair

    /// The first field's value.
    public var u: Double
    /// The second field's value.
    public var v: Double

    /// (u, v).
    ///
    /// - Complexity: O(1).
    @inlinable @differentiable(reverse)
    public init(u: Double, v: Double) { (self.u, self.v) = (u, v) }

    /// (0, 0), as −0.0: the additive identity the optimiser may drop (see
    /// ``Neighbourhood/zero``).
    ///
    /// - Complexity: O(1).
    @inlinable
    public static var zero: SitePair { SitePair(u: -0.0, v: -0.0) }

    /// The sum, field by field.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func + (lhs: SitePair, rhs: SitePair) -> SitePair { SitePair(u: lhs.u + rhs.u, v: lhs.v + rhs.v) }

    /// The difference, field by field.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func - (lhs: SitePair, rhs: SitePair) -> SitePair { SitePair(u: lhs.u - rhs.u, v: lhs.v - rhs.v) }

    /// Moves both values by `offset`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func move(by offset: SitePair) { self = self + offset }
}

/// A per-site function of two coupled 1-D fields, (f_i, g_i) = f(u near i, v near i, p), in
/// plain Swift on scalars, and its pullback from Swift AD: what a ``CoupledStencilKernel``
/// sweeps. The one-line pullback plays the part it plays in ``SiteFunction``.
///
/// ```swift
/// // The Brusselator: u′ = 1 + u²v − 4u + c·Δu, v′ = 3u − u²v + c·Δv, c = α(N+1)².
/// struct BrusselatorSite: CoupledSiteFunction {
///     let scale: Double                          // (N + 1)²
///     @differentiable(reverse)
///     func callAsFunction(_ u: Neighbourhood, _ v: Neighbourhood, _ alpha: Double) -> SitePair {
///         let c = alpha * scale, reaction = u.centre * u.centre * v.centre
///         return SitePair(u: 1 + reaction - 4 * u.centre + c * (u.minus1 - 2 * u.centre + u.plus1),
///                         v: 3 * u.centre - reaction + c * (v.minus1 - 2 * v.centre + v.plus1))
///     }
///     func pullback(at u: Neighbourhood, _ v: Neighbourhood, _ alpha: Double, seed: SitePair)
///         -> (Neighbourhood, Neighbourhood, Double) {
///         valueWithPullback(at: u, v, alpha) { u, v, alpha in self(u, v, alpha) }.pullback(seed)
///     }
/// }
/// ```
public protocol CoupledSiteFunction {
    /// The parameters p the function reads besides the two neighbourhoods.
    associatedtype Parameters: Differentiable

    /// (f_i, g_i) at one site.
    ///
    /// - Complexity: O(1), allocation-free in the sweeps.
    func callAsFunction(_ u: Neighbourhood, _ v: Neighbourhood, _ parameters: Parameters) -> SitePair

    /// The pullback of ``callAsFunction(_:_:_:)`` at (u, v, p) seeded with (s_f, s_g): the
    /// cotangents of both neighbourhoods and of the parameters.
    ///
    /// - Complexity: O(1).
    func pullback(at u: Neighbourhood, _ v: Neighbourhood, _ parameters: Parameters, seed: SitePair)
        -> (Neighbourhood, Neighbourhood, Parameters.TangentVector)
}
