import CheckpointedAD

/// The halo exchange H of a strip-partitioned field and its adjoint Hᵀ.
///
/// H maps the owned rows v of every strip to (v, halo): each strip also receives copies of
/// its neighbours' boundary rows. Hᵀ maps (ū, halō) back to ū + (the halo cotangents each
/// neighbour holds for rows this strip owns): the *reverse exchange* sends every halo
/// cotangent to the rank that owns the row and adds it there. A step that reads its halo
/// has a pullback that calls ``pullback(_:into:)`` with the cotangents of the halo it read.
///
/// Two implementations: ``MPIHaloExchange`` (one strip per rank, over MPI) and
/// ``SerialHaloExchange`` (the whole grid in one process, periodic wrap-around); a step
/// written against this protocol runs unchanged on both.
///
/// Every rank must call ``exchange(_:sides:)`` and ``pullback(_:into:)`` the same number of
/// times in the same order with the same sides (the driver's identical schedules do that).
public protocol HaloExchanging {
    /// The partition of the grid (for the serial exchange, one strip).
    var partition: StripPartition { get }
    /// This process's strip: its index in the partition.
    var strip: Int { get }
    /// Rows in each halo side.
    var width: Int { get }

    /// H: the halo of `owned` (this strip's rows, row-major) on the requested sides.
    func exchange(_ owned: Vector, sides: HaloSides) -> HaloRows

    /// Hᵀ: adds to `owned` the cotangents that the neighbours' halos hold for its rows.
    /// The sides sent are those whose cotangent is non-empty (the same on every rank).
    func pullback(_ cotangent: HaloRows, into owned: inout Vector)
}

extension HaloExchanging {
    /// Columns of every row.
    public var columns: Int { partition.columns }
    /// Rows this strip owns.
    public var ownedRows: Int { partition.rows(of: strip) }
    /// The global index of this strip's first row.
    public var firstRow: Int { partition.firstRow(of: strip) }
}

/// Adds `rows` (width × columns values) to `owned`'s rows starting at `firstRow`.
@inlinable
func addRows(_ rows: [Double], into owned: inout Vector, atRow firstRow: Int, columns: Int) {
    guard !rows.isEmpty else { return }
    let start = firstRow * columns
    owned.scalars.withUnsafeMutableBufferPointer { target in
        for k in 0..<rows.count { target[start + k] += rows[k] }
    }
}
