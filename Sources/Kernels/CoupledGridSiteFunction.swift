import _Differentiation

/// A per-site function of two coupled fields on a 2-D grid, (f, g)(r, c) = f(u near (r, c),
/// v near (r, c), p), in plain Swift on scalars, and its pullback from Swift AD: what a
/// ``CoupledGridKernel`` sweeps (Gray–Scott, the 2-D Brusselator).
///
/// ```swift
/// struct GrayScottSite: CoupledGridSiteFunction {
///     @differentiable(reverse)
///     func callAsFunction(_ u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double) -> SitePair {
///         let reaction = u.centre * v.centre * v.centre
///         return SitePair(u: 0.2 * (u.north + u.south + u.west + u.east - 4 * u.centre) - reaction + feed * (1 - u.centre),
///                         v: 0.1 * (v.north + v.south + v.west + v.east - 4 * v.centre) + reaction - (feed + 0.062) * v.centre)
///     }
///     func pullback(at u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double, seed: SitePair)
///         -> (GridNeighbourhood, GridNeighbourhood, Double) {
///         valueWithPullback(at: u, v, feed) { u, v, feed in self(u, v, feed) }.pullback(seed)
///     }
/// }
/// ```
public protocol CoupledGridSiteFunction {
    /// The parameters p the function reads besides the two neighbourhoods.
    associatedtype Parameters: Differentiable

    /// (f, g) at one site.
    ///
    /// - Complexity: O(1), allocation-free in the sweeps.
    func callAsFunction(_ u: GridNeighbourhood, _ v: GridNeighbourhood, _ parameters: Parameters) -> SitePair

    /// The pullback of ``callAsFunction(_:_:_:)`` at (u, v, p) seeded with (s_f, s_g).
    ///
    /// - Complexity: O(1).
    func pullback(at u: GridNeighbourhood, _ v: GridNeighbourhood, _ parameters: Parameters, seed: SitePair)
        -> (GridNeighbourhood, GridNeighbourhood, Parameters.TangentVector)
}
