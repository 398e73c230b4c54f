import _Differentiation
import CheckpointedAD

/// A right-hand side of two coupled 1-D fields u and v (a reaction–diffusion system), written
/// as a per-site function of both fields' neighbourhoods and swept over the whole line: one
/// pass forward, one fused pass backward.
///
/// The state interleaves the fields, (u_0, v_0, u_1, v_1, …), so that the Jacobian is banded
/// with half-bandwidth 2·radius + 1 (an implicit method's banded factorisation uses it).
/// Each field has its own boundary: the Brusselator fixes u = 1 and v = 3 at both ends.
///
/// ```swift
/// let brusselator = CoupledStencilKernel(BrusselatorSite(scale: 101 * 101), radius: 1,
///                                        boundaries: (u: .fixed(1), v: .fixed(3)))
/// let rates = brusselator.apply(to: state, parameters: 0.02)      // (u′_0, v′_0, u′_1, …)
/// ```
///
/// Parameter cotangents are summed in site order, so gradients are the same bit for bit on
/// every run.
///
/// - Complexity: ``FieldKernel/apply(to:parameters:)`` N site evaluations for N points;
///   ``FieldKernel/pullback(at:parameters:cotangent:)`` N site pullbacks.
public struct CoupledStencilKernel<Site: CoupledSiteFunction>: FieldKernel {
    /// The parameters of the site function.
    public typealias Parameters = Site.Parameters

    /// How far the site function reads: 0, 1 or 2 neighbours on each side, in both fields.
    public let radius: Int
    /// What the site function reads beyond the ends, field by field.
    public let boundaries: (u: Boundary, v: Boundary)
    /// The per-site function and its pullback.
    public let site: Site

    /// A kernel sweeping `site` over two interleaved fields.
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ site: Site, radius: Int = 1, boundaries: (u: Boundary, v: Boundary) = (.periodic, .periodic)) {
        precondition((0...2).contains(radius), "a coupled stencil kernel reads 0, 1 or 2 neighbours on each side, not \(radius)")
        (self.site, self.radius, self.boundaries) = (site, radius, boundaries)
    }

    /// 2·radius + 1, or nil when a field's boundary is periodic.
    ///
    /// - Complexity: O(1).
    @inlinable
    public var jacobianBandwidth: Int? {
        boundaries.u == .periodic || boundaries.v == .periodic ? nil : 2 * radius + 1
    }

    /// True: the backward sweep scatters each site's cotangents.
    @inlinable
    public var scattersCotangents: Bool { true }

    /// Stops unless the state holds two values per point and at least max(1, 2·radius) points.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func checkFieldCount(_ count: Int) {
        precondition(count % 2 == 0, "a coupled kernel's state interleaves two fields (u_0, v_0, u_1, …), so its count is even, got \(count)")
        precondition(count / 2 >= max(1, 2 * radius),
                     "a radius-\(radius) coupled kernel needs at least \(max(1, 2 * radius)) points (\(2 * max(1, 2 * radius)) values), got \(count) values")
    }

    /// Calls `body(j, f(x, p)_j)` for j = 0, 1, …, count − 1 in that order (u′_0, v′_0, u′_1, …).
    ///
    /// - Complexity: count / 2 site evaluations; allocates nothing.
    @inlinable
    public func forEachValue(of x: UnsafePointer<Double>, count: Int, parameters: Parameters, _ body: (Int, Double) -> Void) {
        checkFieldCount(count)
        let n = count / 2, r = radius
        func emit(_ i: Int, _ value: SitePair) {
            body(2 * i, value.u)
            body(2 * i + 1, value.v)
        }
        for i in 0..<r { emit(i, site(edgeNeighbourhood(i, field: 0, x, n), edgeNeighbourhood(i, field: 1, x, n), parameters)) }
        for i in r..<(n - r) {
            emit(i, site(interiorNeighbourhood(i, field: 0, x), interiorNeighbourhood(i, field: 1, x), parameters))
        }
        for i in max(r, n - r)..<n where r > 0 {
            emit(i, site(edgeNeighbourhood(i, field: 0, x, n), edgeNeighbourhood(i, field: 1, x, n), parameters))
        }
    }

    /// The neighbourhood of point i in `field` (0 for u, 1 for v), read without index checks;
    /// offsets beyond the radius read 0.
    @inlinable @inline(__always)
    func interiorNeighbourhood(_ i: Int, field: Int, _ x: UnsafePointer<Double>) -> Neighbourhood {
        let j = 2 &* i &+ field
        switch radius {
        case 0: return Neighbourhood(centre: x[j])
        case 1: return Neighbourhood(minus1: x[j &- 2], centre: x[j], plus1: x[j &+ 2])
        default: return Neighbourhood(minus2: x[j &- 4], minus1: x[j &- 2], centre: x[j], plus1: x[j &+ 2], plus2: x[j &+ 4])
        }
    }

    /// The neighbourhood of edge point i in `field`, ghosts from that field's boundary.
    @inlinable
    func edgeNeighbourhood(_ i: Int, field: Int, _ x: UnsafePointer<Double>, _ n: Int) -> Neighbourhood {
        var u = Neighbourhood(centre: x[2 * i + field])
        if radius >= 1 { (u.minus1, u.plus1) = (value(i - 1, field: field, x, n), value(i + 1, field: field, x, n)) }
        if radius >= 2 { (u.minus2, u.plus2) = (value(i - 2, field: field, x, n), value(i + 2, field: field, x, n)) }
        return u
    }

    /// The boundary of `field`.
    @inlinable
    func boundary(of field: Int) -> Boundary { field == 0 ? boundaries.u : boundaries.v }

    /// The flat index point i of `field` reads (a ghost's source), or nil for a fixed ghost.
    @inlinable
    func source(of i: Int, field: Int, count n: Int) -> Int? {
        boundary(of: field).source(of: i, count: n).map { 2 * $0 + field }
    }

    /// The value of point i of `field`, a ghost beyond the ends.
    @inlinable
    func value(_ i: Int, field: Int, _ x: UnsafePointer<Double>, _ n: Int) -> Double {
        if let j = source(of: i, field: field, count: n) { return x[j] }
        if case let .fixed(value) = boundary(of: field) { return value }
        preconditionFailure("unreachable: only a fixed boundary has no source index")
    }
}

/// A kernel is sendable when its site function is.
extension CoupledStencilKernel: Sendable where Site: Sendable {}
