import _Differentiation

/// A per-site function f(r, c) = f(nine-point neighbourhood of (r, c), p) on a 2-D grid, in
/// plain Swift on scalars, and its pullback from Swift AD: what a ``GridKernel`` sweeps.
///
/// As for ``SiteFunction``, write the function once and give its pullback as one line, so
/// that Swift AD specialises it where the concrete function is visible and the sweeps
/// allocate nothing per site:
///
/// ```swift
/// struct HeatSite: GridSiteFunction {
///     @differentiable(reverse)
///     func callAsFunction(_ u: GridNeighbourhood, _ d: Double) -> Double {
///         d * (u.north + u.south + u.west + u.east - 4 * u.centre)
///     }
///     func pullback(at u: GridNeighbourhood, _ d: Double, seed: Double) -> (GridNeighbourhood, Double) {
///         valueWithPullback(at: u, d) { u, d in self(u, d) }.pullback(seed)
///     }
/// }
/// ```
///
/// `pullback(at:_:seed:)` must be the pullback of `callAsFunction(_:_:)`.
public protocol GridSiteFunction {
    /// The parameters p the function reads besides the neighbourhood.
    associatedtype Parameters: Differentiable

    /// f(u, p) at one site.
    ///
    /// - Complexity: O(1), allocation-free in the sweeps.
    func callAsFunction(_ u: GridNeighbourhood, _ parameters: Parameters) -> Double

    /// (seed·∂f/∂u, seed·∂f/∂p) at (u, p), from Swift AD on the concrete function.
    ///
    /// - Complexity: O(1).
    func pullback(at u: GridNeighbourhood, _ parameters: Parameters, seed: Double) -> (GridNeighbourhood, Parameters.TangentVector)
}

/// A ``GridSiteFunction`` made from a differentiable closure: quick to try, and slower to
/// differentiate (Swift AD allocates the closure's pullback contexts at every site).
///
/// ```swift
/// let decay = DifferentiableClosureGridSite<Double> { u, rate in -rate * u.centre }
/// ```
///
/// - Complexity: a pullback makes short-lived heap allocations; conform a type to
///   ``GridSiteFunction`` for the allocation-free path.
public struct DifferentiableClosureGridSite<Parameters: Differentiable>: GridSiteFunction {
    /// The per-site function.
    public let body: @differentiable(reverse) (GridNeighbourhood, Parameters) -> Double

    /// Wraps `body`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ body: @escaping @differentiable(reverse) (GridNeighbourhood, Parameters) -> Double) {
        self.body = body
    }

    /// `body(u, p)`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func callAsFunction(_ u: GridNeighbourhood, _ parameters: Parameters) -> Double { body(u, parameters) }

    /// The pullback of `body` at (u, p), seeded with `seed`.
    ///
    /// - Complexity: O(1), with Swift AD's closure allocations.
    @inlinable
    public func pullback(at u: GridNeighbourhood, _ parameters: Parameters, seed: Double) -> (GridNeighbourhood, Parameters.TangentVector) {
        valueWithPullback(at: u, parameters, of: body).pullback(seed)
    }
}
