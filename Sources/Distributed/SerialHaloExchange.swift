import CheckpointedAD

/// The halo exchange of a whole grid held by one process, with periodic wrap-around: the
/// rows above the first are the last, those below the last are the first. The same step
/// code runs on it without MPI, which is how a distributed run is compared with the
/// single-process driver. See ``HaloExchanging``.
public struct SerialHaloExchange: HaloExchanging {
    /// One strip: the whole grid.
    public let partition: StripPartition
    /// Rows in each halo side.
    public let width: Int
    /// Always 0.
    public var strip: Int { 0 }

    /// The exchange of a `rows × columns` grid in one process.
    ///
    /// - Throws: ``DistributedError/gridTooSmall(rows:columns:ranks:minimumRows:)`` when the
    ///   grid has fewer than `width` rows.
    public init(rows: Int, columns: Int, width: Int = 1) throws(DistributedError) {
        self.width = width
        self.partition = try StripPartition(rows: rows, columns: columns, ranks: 1, minimumRows: width)
    }

    public func exchange(_ owned: Vector, sides: HaloSides) -> HaloRows {
        let count = width * columns
        return HaloRows(
            above: sides.contains(.above) ? Array(owned.scalars[(owned.count - count)...]) : [],
            below: sides.contains(.below) ? Array(owned.scalars[..<count]) : [])
    }

    public func pullback(_ cotangent: HaloRows, into owned: inout Vector) {
        addRows(cotangent.above, into: &owned, atRow: ownedRows - width, columns: columns)
        addRows(cotangent.below, into: &owned, atRow: 0, columns: columns)
    }
}
