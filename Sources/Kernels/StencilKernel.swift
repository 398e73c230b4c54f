import _Differentiation
import CheckpointedAD

/// A right-hand side f(x)_i = site(x_{i−2…i+2}, p) written as a per-site function of a few
/// neighbours and the parameters, in plain `@differentiable(reverse)` Swift on scalars, which
/// the kernel sweeps over a whole 1-D field: one pass forward, one fused pass backward.
///
/// ```swift
/// // Lorenz-96: dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F, on a ring.
/// let lorenz = StencilKernel(Lorenz96Site(), radius: 2, boundary: .periodic)   // see SiteFunction
/// let dxdt = lorenz.apply(to: x, parameters: 8)                               // one pass
/// let (xbar, Fbar) = lorenz.pullback(at: x, parameters: 8, cotangent: ybar)   // one pass
/// let g = gradient(at: x, 8.0) { x, F in lorenz.apply(to: x, parameters: F).sum() }
/// ```
///
/// The backward pass asks the site function for its Swift AD pullback at every site i,
/// seeds it with ȳ_i, scatters the five cotangents, x̄_{i+k} += ∂f_i/∂x_{i+k}·ȳ_i, and adds
/// the parameter cotangents in site order (0, 1, …, N−1; each interior block of eight sites
/// summed pairwise first), so the result is the same bit for bit on every run. ``apply(to:parameters:)`` is differentiable with respect to the field
/// and the parameters, so a kernel composes with `Vector` code under Swift AD;
/// ``rungeKutta4(dt:)`` turns it into a checkpointed RK4 step whose pullback runs the fused
/// kernel pullbacks stage by stage.
///
/// With a ``SiteFunction`` type the sweeps allocate nothing per site; with a closure
/// (``init(radius:boundary:_:)``) Swift AD allocates 2 blocks per site.
///
/// - Complexity: ``apply(to:parameters:)`` O(N) site evaluations, one result buffer;
///   ``pullback(at:parameters:cotangent:)`` O(N) site pullbacks, one result buffer.
public struct StencilKernel<Site: SiteFunction>: FieldKernel {
    /// The parameters of the site function.
    public typealias Parameters = Site.Parameters

    /// How far the site function reads: 0 (pointwise), 1 or 2 neighbours on each side.
    public let radius: Int
    /// What the site function reads beyond the ends of the field.
    public let boundary: Boundary
    /// The per-site function and its pullback.
    public let site: Site

    /// A kernel sweeping `site` over a field, reading `radius` neighbours on each side and
    /// ghost values from `boundary`.
    ///
    /// ```swift
    /// let lorenz = StencilKernel(Lorenz96Site(), radius: 2, boundary: .periodic)
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ site: Site, radius: Int = 2, boundary: Boundary = .periodic) {
        precondition((0...2).contains(radius), "a 1-D stencil kernel reads 0, 1 or 2 neighbours on each side, not \(radius)")
        self.radius = radius
        self.boundary = boundary
        self.site = site
    }

    /// The radius, or nil for a periodic boundary (which couples the two ends).
    ///
    /// - Complexity: O(1).
    @inlinable
    public var jacobianBandwidth: Int? { boundary == .periodic ? nil : radius }

    /// False: the backward sweep gathers, writing each element once.
    @inlinable
    public var scattersCotangents: Bool { false }

    /// Stops unless the field holds at least max(1, 2·radius) values.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func checkFieldCount(_ count: Int) {
        precondition(count >= max(1, 2 * radius), "a radius-\(radius) kernel needs a field of at least \(max(1, 2 * radius)) values, got \(count)")
    }

    /// Calls `body(j, f(x, p)_j)` for j = 0, 1, …, count − 1 in that order.
    ///
    /// - Complexity: O(count) site evaluations; allocates nothing.
    @inlinable
    public func forEachValue(of x: UnsafePointer<Double>, count: Int, parameters: Parameters, _ body: (Int, Double) -> Void) {
        forEachSite(x, count) { i, u in body(i, site(u, parameters)) }
    }

    // MARK: The sweep

    /// Calls `body(i, neighbourhood of i)` for i = 0, 1, …, n−1 in that order: the edge sites
    /// through the boundary, the interior without any index check.
    @inlinable @inline(__always)
    func forEachSite(_ x: UnsafePointer<Double>, _ n: Int, _ body: (Int, Neighbourhood) -> Void) {
        checkFieldCount(n)
        let r = radius
        for i in 0..<r { body(i, edgeNeighbourhood(i, x, n)) }
        switch r {
        case 0: for i in 0..<n { body(i, Neighbourhood(centre: x[i])) }
        case 1: for i in 1..<(n - 1) { body(i, Neighbourhood(minus1: x[i - 1], centre: x[i], plus1: x[i + 1])) }
        default:
            for i in 2..<(n - 2) {
                body(i, Neighbourhood(minus2: x[i - 2], minus1: x[i - 1], centre: x[i], plus1: x[i + 1], plus2: x[i + 2]))
            }
        }
        for i in max(r, n - r)..<n where r > 0 { body(i, edgeNeighbourhood(i, x, n)) }
    }

    /// The neighbourhood of an edge site, ghosts from the boundary; offsets beyond the
    /// radius read 0. Inlined: at N = 40 the edges are a tenth of the sites.
    @inlinable @inline(__always)
    func edgeNeighbourhood(_ i: Int, _ x: UnsafePointer<Double>, _ n: Int) -> Neighbourhood {
        var u = Neighbourhood(centre: x[i])
        if radius >= 1 {
            u.minus1 = boundary.value(at: i - 1, x, count: n)
            u.plus1 = boundary.value(at: i + 1, x, count: n)
        }
        if radius >= 2 {
            u.minus2 = boundary.value(at: i - 2, x, count: n)
            u.plus2 = boundary.value(at: i + 2, x, count: n)
        }
        return u
    }
}

extension StencilKernel {
    /// A kernel whose site function is a differentiable closure: quick to write, and slow to
    /// differentiate (Swift AD allocates the closure's pullback contexts at every site; a
    /// ``SiteFunction`` type does not).
    ///
    /// ```swift
    /// let decay = StencilKernel<DifferentiableClosureSite<Double>>(radius: 0) { u, rate in -rate * u.centre }
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public init<P>(radius: Int = 2, boundary: Boundary = .periodic,
                   _ body: @escaping @differentiable(reverse) (Neighbourhood, P) -> Double)
        where Site == DifferentiableClosureSite<P>
    {
        self.init(DifferentiableClosureSite(body), radius: radius, boundary: boundary)
    }
}

/// A kernel is sendable when its site function is.
extension StencilKernel: Sendable where Site: Sendable {}
