import _Differentiation
import CheckpointedAD

/// A right-hand side on a 2-D grid, f(x)[r][c] = site(nine-point neighbourhood of (r, c), p),
/// written as a per-site function in plain `@differentiable(reverse)` Swift on scalars and
/// swept over the whole grid: one pass forward, one fused pass backward.
///
/// The field is stored row by row: x[r][c] is element r·columns + c of a `Vector` of
/// rows·columns values. Ghost values beyond the edges come from `boundary`, applied along
/// each axis (a corner ghost is mirrored or wrapped in both).
///
/// ```swift
/// let heat = GridKernel(HeatSite(), rows: 128, columns: 128, boundary: .zeroFlux)   // see GridSiteFunction
/// let dudt = heat.apply(to: u, parameters: 0.1)
/// let g = try valueWithCheckpointedGradient(
///     at: u0, parameters: 0.1, steps: 1000, checkpointing: .revolve(memory: .slots(16)),
///     step: heat.rungeKutta4(dt: 0.5), losses: [.final { $0.halfSquaredNorm() }])
/// ```
///
/// The backward pass asks the site function for its Swift AD pullback at every site in row
/// order, scatters the nine cotangents and adds the parameter cotangents in that order, so
/// the gradient is the same bit for bit on every run.
///
/// - Complexity: ``FieldKernel/apply(to:parameters:)`` rows·columns site evaluations;
///   ``FieldKernel/pullback(at:parameters:cotangent:)`` rows·columns site pullbacks.
public struct GridKernel<Site: GridSiteFunction>: FieldKernel {
    /// The parameters of the site function.
    public typealias Parameters = Site.Parameters

    /// The number of rows (north to south).
    public let rows: Int
    /// The number of columns (west to east).
    public let columns: Int
    /// What the site function reads beyond the grid's edges, along both axes.
    public let boundary: Boundary
    /// The per-site function and its pullback.
    public let site: Site

    /// A kernel sweeping `site` over a rows × columns grid with ghost values from `boundary`.
    ///
    /// ```swift
    /// let heat = GridKernel(HeatSite(), rows: 64, columns: 64, boundary: .fixed(0))
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ site: Site, rows: Int, columns: Int, boundary: Boundary = .periodic) {
        precondition(rows >= 1 && columns >= 1, "a grid needs at least one row and one column, got \(rows) × \(columns)")
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        precondition(!overflow, "a \(rows) × \(columns) grid has more values than an Int counts (\(count) wrapped)")
        (self.rows, self.columns, self.boundary, self.site) = (rows, columns, boundary, site)
    }

    /// columns + 1 (the reach of a nine-point neighbourhood in row-major order), or nil for
    /// a periodic boundary.
    ///
    /// - Complexity: O(1).
    @inlinable
    public var jacobianBandwidth: Int? { boundary == .periodic ? nil : columns + 1 }

    /// True: the backward sweep scatters each site's cotangents.
    @inlinable
    public var scattersCotangents: Bool { true }

    /// Stops unless the field holds rows·columns values.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func checkFieldCount(_ count: Int) {
        precondition(count == rows * columns, "a \(rows) × \(columns) grid kernel needs a field of \(rows * columns) values, got \(count)")
    }

    /// Calls `body(j, f(x, p)_j)` for j = 0, 1, …, rows·columns − 1 in that order.
    ///
    /// - Complexity: rows·columns site evaluations; allocates nothing.
    @inlinable
    public func forEachValue(of x: UnsafePointer<Double>, count: Int, parameters: Parameters, _ body: (Int, Double) -> Void) {
        checkFieldCount(count)
        visitGrid(rows: rows, columns: columns) { r, c in
            body(r * columns + c, site(edgeNeighbourhood(r, c, x), parameters))
        } interior: { start, end in
            for j in start..<end { body(j, site(interiorNeighbourhood(j, x), parameters)) }
        }
    }

    /// The neighbourhood of an interior site j (not on an edge row or column), read without
    /// index checks.
    @inlinable @inline(__always)
    func interiorNeighbourhood(_ j: Int, _ x: UnsafePointer<Double>) -> GridNeighbourhood {
        let north = j &- columns, south = j &+ columns
        return GridNeighbourhood(
            northWest: x[north &- 1], north: x[north], northEast: x[north &+ 1],
            west: x[j &- 1], centre: x[j], east: x[j &+ 1],
            southWest: x[south &- 1], south: x[south], southEast: x[south &+ 1])
    }

    /// The neighbourhood of site (r, c), ghosts from the boundary.
    @inlinable
    func edgeNeighbourhood(_ r: Int, _ c: Int, _ x: UnsafePointer<Double>) -> GridNeighbourhood {
        var u = GridNeighbourhood.zero
        for dr in -1...1 {
            for dc in -1...1 { u[dr, dc] = value(atRow: r + dr, column: c + dc, x) }
        }
        return u
    }

    /// The flat index whose value the (possibly ghost) cell (r, c) reads, or nil for a fixed
    /// ghost.
    @inlinable
    func source(ofRow r: Int, column c: Int) -> Int? {
        boundary.gridSource(row: r, column: c, rows: rows, columns: columns)
    }

    /// The value of cell (r, c), a ghost outside the grid.
    @inlinable
    func value(atRow r: Int, column c: Int, _ x: UnsafePointer<Double>) -> Double {
        if let j = source(ofRow: r, column: c) { return x[j] }
        if case let .fixed(value) = boundary { return value }
        preconditionFailure("unreachable: only a fixed boundary has no source index")
    }
}

extension GridKernel {
    /// A grid kernel whose site function is a differentiable closure: quick to write, and
    /// slower to differentiate than a ``GridSiteFunction`` type.
    ///
    /// ```swift
    /// let heat = GridKernel<DifferentiableClosureGridSite<Double>>(rows: 8, columns: 8, boundary: .zeroFlux) { u, d in
    ///     d * (u.north + u.south + u.west + u.east - 4 * u.centre)
    /// }
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public init<P>(rows: Int, columns: Int, boundary: Boundary = .periodic,
                   _ body: @escaping @differentiable(reverse) (GridNeighbourhood, P) -> Double)
        where Site == DifferentiableClosureGridSite<P>
    {
        self.init(DifferentiableClosureGridSite(body), rows: rows, columns: columns, boundary: boundary)
    }
}

/// A kernel is sendable when its site function is.
extension GridKernel: Sendable where Site: Sendable {}
