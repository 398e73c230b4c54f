import CheckpointedAD

/// The block halo of a whole grid held by one process, wrapping periodically in both
/// directions: the same block step code runs on it without MPI. See ``BlockHaloExchanging``.
public struct SerialBlockHaloExchange: BlockHaloExchanging {
    /// One block: the whole grid.
    public let partition: BlockPartition
    /// Rows and columns in each halo side.
    public let width: Int
    /// Always 0.
    public var block: Int { 0 }

    /// The exchange of a `rows × columns` grid in one process.
    ///
    /// - Throws: ``DistributedError/gridTooSmall(rows:columns:ranks:minimumRows:)`` when the
    ///   grid is narrower than `width`.
    public init(rows: Int, columns: Int, width: Int = 1) throws(DistributedError) {
        self.width = width
        self.partition = try BlockPartition(rows: rows, columns: columns, rankRows: 1, rankColumns: 1, minimumWidth: width)
    }

    public func exchange(_ owned: Vector, sides: HaloSides) -> BlockHalo {
        let columns = ownedColumns, rowCount = width * columns
        return BlockHalo(
            above: sides.contains(.above) ? Array(owned.scalars[(owned.count - rowCount)...]) : [],
            below: sides.contains(.below) ? Array(owned.scalars[..<rowCount]) : [],
            left: sides.contains(.left) ? packColumns(owned, columns: columns, first: columns - width, width: width) : [],
            right: sides.contains(.right) ? packColumns(owned, columns: columns, first: 0, width: width) : [])
    }

    public func pullback(_ cotangent: BlockHalo, into owned: inout Vector) {
        let columns = ownedColumns
        addRows(cotangent.above, into: &owned, atRow: ownedRows - width, columns: columns)
        addRows(cotangent.below, into: &owned, atRow: 0, columns: columns)
        addColumns(cotangent.left, into: &owned, columns: columns, first: columns - width, width: width)
        addColumns(cotangent.right, into: &owned, columns: columns, first: 0, width: width)
    }
}
