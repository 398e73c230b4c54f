import _Differentiation
import CheckpointedAD

/// A right-hand side of two coupled fields u and v on a 2-D grid (a reaction–diffusion system
/// such as Gray–Scott), written as a per-site function of both fields' nine-point
/// neighbourhoods and swept over the grid: one pass forward, one fused pass backward.
///
/// The state interleaves the fields cell by cell in row-major order: u[r][c] is element
/// 2·(r·columns + c), v[r][c] the next. Each field has its own boundary, applied along both
/// axes.
///
/// ```swift
/// let grayScott = CoupledGridKernel(GrayScottSite(), rows: 512, columns: 512,
///                                   boundaries: (u: .periodic, v: .periodic))
/// let rates = grayScott.apply(to: state, parameters: 0.035)
/// ```
///
/// Parameter cotangents are summed in row-major site order, so gradients are the same bit
/// for bit on every run.
///
/// - Complexity: ``FieldKernel/apply(to:parameters:)`` rows·columns site evaluations;
///   ``FieldKernel/pullback(at:parameters:cotangent:)`` rows·columns site pullbacks.
public struct CoupledGridKernel<Site: CoupledGridSiteFunction>: FieldKernel {
    /// The parameters of the site function.
    public typealias Parameters = Site.Parameters

    /// The number of rows (north to south).
    public let rows: Int
    /// The number of columns (west to east).
    public let columns: Int
    /// What the site function reads beyond the grid's edges, field by field.
    public let boundaries: (u: Boundary, v: Boundary)
    /// The per-site function and its pullback.
    public let site: Site

    /// A kernel sweeping `site` over two interleaved fields on a rows × columns grid.
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ site: Site, rows: Int, columns: Int, boundaries: (u: Boundary, v: Boundary) = (.periodic, .periodic)) {
        precondition(rows >= 1 && columns >= 1, "a grid needs at least one row and one column, got \(rows) × \(columns)")
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
        precondition(!overflow && cells <= Int.max / 2, "a \(rows) × \(columns) grid of two fields has more values than an Int counts")
        (self.rows, self.columns, self.boundaries, self.site) = (rows, columns, boundaries, site)
    }

    /// 2·columns + 3 (the reach of a nine-point neighbourhood of interleaved cells), or nil
    /// when a field's boundary is periodic.
    ///
    /// - Complexity: O(1).
    @inlinable
    public var jacobianBandwidth: Int? {
        boundaries.u == .periodic || boundaries.v == .periodic ? nil : 2 * columns + 3
    }

    /// True: the backward sweep scatters each site's cotangents.
    @inlinable
    public var scattersCotangents: Bool { true }

    /// Stops unless the state holds two values per cell.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func checkFieldCount(_ count: Int) {
        precondition(count == 2 * rows * columns,
                     "a \(rows) × \(columns) two-field grid kernel needs a state of \(2 * rows * columns) values (u and v interleaved), got \(count)")
    }

    /// Calls `body(j, f(x, p)_j)` for j = 0, 1, …, count − 1 in that order (u′, v′ of cell 0,
    /// then of cell 1, …).
    ///
    /// - Complexity: rows·columns site evaluations; allocates nothing.
    @inlinable
    public func forEachValue(of x: UnsafePointer<Double>, count: Int, parameters: Parameters, _ body: (Int, Double) -> Void) {
        checkFieldCount(count)
        func emit(_ j: Int, _ value: SitePair) {
            body(2 * j, value.u)
            body(2 * j + 1, value.v)
        }
        visitGrid(rows: rows, columns: columns) { r, c in
            emit(r * columns + c, site(edgeNeighbourhood(r, c, field: 0, x), edgeNeighbourhood(r, c, field: 1, x), parameters))
        } interior: { start, end in
            for j in start..<end {
                emit(j, site(interiorNeighbourhood(j, field: 0, x), interiorNeighbourhood(j, field: 1, x), parameters))
            }
        }
    }

    /// The neighbourhood of interior cell j in `field` (0 for u, 1 for v), read without
    /// index checks.
    @inlinable @inline(__always)
    func interiorNeighbourhood(_ j: Int, field: Int, _ x: UnsafePointer<Double>) -> GridNeighbourhood {
        let centre = 2 &* j &+ field, row = 2 &* columns
        let north = centre &- row, south = centre &+ row
        return GridNeighbourhood(
            northWest: x[north &- 2], north: x[north], northEast: x[north &+ 2],
            west: x[centre &- 2], centre: x[centre], east: x[centre &+ 2],
            southWest: x[south &- 2], south: x[south], southEast: x[south &+ 2])
    }

    /// The neighbourhood of cell (r, c) in `field`, ghosts from that field's boundary.
    @inlinable
    func edgeNeighbourhood(_ r: Int, _ c: Int, field: Int, _ x: UnsafePointer<Double>) -> GridNeighbourhood {
        var u = GridNeighbourhood.zero
        for dr in -1...1 {
            for dc in -1...1 { u[dr, dc] = value(atRow: r + dr, column: c + dc, field: field, x) }
        }
        return u
    }

    /// The boundary of `field`.
    @inlinable
    func boundary(of field: Int) -> Boundary { field == 0 ? boundaries.u : boundaries.v }

    /// The flat index the (possibly ghost) cell (r, c) of `field` reads, or nil for a fixed
    /// ghost.
    @inlinable
    func source(ofRow r: Int, column c: Int, field: Int) -> Int? {
        boundary(of: field).gridSource(row: r, column: c, rows: rows, columns: columns).map { 2 * $0 + field }
    }

    /// The value of cell (r, c) of `field`, a ghost outside the grid.
    @inlinable
    func value(atRow r: Int, column c: Int, field: Int, _ x: UnsafePointer<Double>) -> Double {
        if let j = source(ofRow: r, column: c, field: field) { return x[j] }
        if case let .fixed(value) = boundary(of: field) { return value }
        preconditionFailure("unreachable: only a fixed boundary has no source index")
    }
}

/// A kernel is sendable when its site function is.
extension CoupledGridKernel: Sendable where Site: Sendable {}
