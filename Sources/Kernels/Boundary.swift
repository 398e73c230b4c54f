/// What a 1-D stencil kernel reads beyond the ends of its field: the ghost values x_{−1},
/// x_{−2}, x_N, x_{N+1}.
///
/// ```swift
/// let heat = StencilKernel<Double>(radius: 1, boundary: .zeroFlux) { u, d in
///     d * (u.minus1 - 2 * u.centre + u.plus1)
/// }
/// ```
///
/// - ``periodic``: x_{j} = x_{j mod N} (a ring, as Lorenz-96).
/// - ``fixed(_:)``: every ghost is the given constant (Dirichlet); its cotangent is dropped.
/// - ``zeroFlux``: mirror about the end faces of a cell-centred grid, x_{−1−k} = x_k and
///   x_{N+k} = x_{N−1−k}, so that the difference across an end face is zero (Neumann).
public enum Boundary: Hashable, Sendable {
    /// Indices wrap around: x_{−1} = x_{N−1}, x_N = x_0.
    case periodic
    /// Every ghost value is `value` (Dirichlet), a constant: no derivative flows to it.
    case fixed(Double)
    /// Ghosts mirror the field about its end faces (homogeneous Neumann).
    case zeroFlux

    /// The index whose value the ghost at `j` (j < 0 or j ≥ n) reads, or nil for a fixed
    /// ghost. Interior indices map to themselves. `j` lies within one field length of the
    /// field, −n ≤ j < 2n, as every kernel's ghosts do (a radius of at most 2 on a field of
    /// at least 2·radius values), so the periodic wrap is one add, not a division.
    ///
    /// - Complexity: O(1).
    @inlinable
    func source(of j: Int, count n: Int) -> Int? {
        if j >= 0 && j < n { return j }
        assert(j >= -n && j < 2 * n, "ghost \(j) lies beyond one field length of a field of \(n)")
        switch self {
        case .periodic: return j < 0 ? j + n : j - n
        case .fixed: return nil
        case .zeroFlux: return j < 0 ? -1 - j : 2 * n - 1 - j
        }
    }

    /// The value of the ghost at `j` (or of x_j inside the field).
    ///
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    func value(at j: Int, _ x: UnsafePointer<Double>, count n: Int) -> Double {
        if let source = source(of: j, count: n) { return x[source] }
        if case let .fixed(value) = self { return value }
        preconditionFailure("unreachable: only a fixed boundary has no source index")
    }
}

extension Boundary {
    /// The row-major site index whose value the (possibly ghost) cell (r, c) of a rows ×
    /// columns grid reads, the boundary applied along each axis, or nil for a fixed ghost.
    ///
    /// - Complexity: O(1).
    @inlinable
    func gridSource(row r: Int, column c: Int, rows: Int, columns: Int) -> Int? {
        guard let row = source(of: r, count: rows), let column = source(of: c, count: columns) else { return nil }
        return row * columns + column
    }
}
