import _Differentiation

/// A per-site function f_i = f(neighbourhood of i, p) in plain Swift on scalars, and its
/// pullback from Swift AD: what a ``StencilKernel`` sweeps over a field.
///
/// Write the function once, mark it `@differentiable(reverse)`, and give its pullback as one
/// line that hands the concrete function to Swift AD:
///
/// ```swift
/// struct Lorenz96Site: SiteFunction {
///     @differentiable(reverse)
///     func callAsFunction(_ u: Neighbourhood, _ forcing: Double) -> Double {
///         (u.plus1 - u.minus2) * u.minus1 - u.centre + forcing
///     }
///     func pullback(at u: Neighbourhood, _ forcing: Double, seed: Double) -> (Neighbourhood, Double) {
///         valueWithPullback(at: u, forcing) { u, forcing in self(u, forcing) }.pullback(seed)
///     }
/// }
/// let lorenz = StencilKernel(Lorenz96Site(), radius: 2, boundary: .periodic)
/// ```
///
/// **Why the one line.** Swift AD builds a pullback from closures. Where the compiler sees
/// the concrete function, in the conforming type, it specialises those closures and keeps
/// their contexts on the stack, as long as the call sits in straight-line code: the sweeps
/// call it in out-of-line blocks of eight sites, and the per-site pullback allocates
/// nothing (kernel-report counts 0 malloc calls per site). Write it with the closure
/// `{ u, forcing in self(u, forcing) }`, not the method `of: callAsFunction`: on a site type
/// with stored properties (coefficients) the method reference captures `self`, and Swift AD
/// then allocates 2 blocks per site (`kernel-report fields`: a 2-D Gray–Scott gradient 3.4 →
/// 16× its forward). Differentiating the function
/// through a stored closure instead allocates 2 blocks per site (kernel-report), inlined
/// into a loop 4; and differentiating a generic `@differentiable` requirement from library
/// code crashes Swift 6.3.1's optimiser (Papers/CheapGradient.md). So the library asks the
/// conforming type for the pullback.
/// ``DifferentiableClosureSite`` wraps a closure for quick experiments, at that cost.
///
/// `pullback(at:_:seed:)` must be the pullback of `callAsFunction(_:_:)`: seed ↦
/// (seed·∂f/∂u, seed·∂f/∂p). The tests of a kernel check it against finite differences.
public protocol SiteFunction {
    /// The parameters p the function reads besides the neighbourhood.
    associatedtype Parameters: Differentiable

    /// f(u, p) at one site.
    ///
    /// - Complexity: O(1), allocation-free in the sweeps.
    func callAsFunction(_ u: Neighbourhood, _ parameters: Parameters) -> Double

    /// (seed·∂f/∂u, seed·∂f/∂p) at (u, p), from Swift AD on the concrete function.
    ///
    /// - Complexity: O(1): one forward and one backward evaluation of the site function.
    func pullback(at u: Neighbourhood, _ parameters: Parameters, seed: Double) -> (Neighbourhood, Parameters.TangentVector)
}

/// A ``SiteFunction`` made from a differentiable closure: the quickest way to try a kernel,
/// and the slow one, since Swift AD allocates the closure's pullback contexts at every site.
///
/// ```swift
/// let heat = StencilKernel(radius: 1, boundary: .zeroFlux) { u, d in d * (u.minus1 - 2 * u.centre + u.plus1) }
/// ```
///
/// - Complexity: a pullback makes 2 short-lived heap allocations; conform a type to
///   ``SiteFunction`` for the allocation-free path.
public struct DifferentiableClosureSite<Parameters: Differentiable>: SiteFunction {
    /// The per-site function.
    public let body: @differentiable(reverse) (Neighbourhood, Parameters) -> Double

    /// Wraps `body`.
    ///
    /// ```swift
    /// let decay = DifferentiableClosureSite<Double> { u, rate in -rate * u.centre }
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ body: @escaping @differentiable(reverse) (Neighbourhood, Parameters) -> Double) {
        self.body = body
    }

    /// `body(u, p)`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func callAsFunction(_ u: Neighbourhood, _ parameters: Parameters) -> Double { body(u, parameters) }

    /// The pullback of `body` at (u, p), seeded with `seed`.
    ///
    /// - Complexity: O(1), with Swift AD's closure allocations.
    @inlinable
    public func pullback(at u: Neighbourhood, _ parameters: Parameters, seed: Double) -> (Neighbourhood, Parameters.TangentVector) {
        valueWithPullback(at: u, parameters, of: body).pullback(seed)
    }
}
