/// A 2-D grid of `rows × columns` cells split into a `rankRows × rankColumns` array of
/// blocks, one per rank, rank r at block row r / rankColumns and block column r %
/// rankColumns; each block stored row-major. Rows and columns are split as
/// ``StripPartition`` splits rows (the first blocks get one more).
///
/// ```swift
/// let blocks = try BlockPartition.balanced(rows: 1024, columns: 1024, ranks: 4)   // 2 × 2
/// blocks.rows(of: 3), blocks.columns(of: 3)   // 512, 512
/// ```
///
/// Blocks halve a rank's halo compared with strips once P is large (perimeter 2(r + c)
/// instead of 2·columns), at the price of packing the left and right halo columns.
public struct BlockPartition: Hashable, Sendable {
    /// How the rows are split among the block rows.
    public let rowSplit: StripPartition
    /// How the columns are split among the block columns.
    public let columnSplit: StripPartition

    /// Rows of the global grid.
    public var globalRows: Int { rowSplit.globalRows }
    /// Columns of the global grid.
    public var globalColumns: Int { columnSplit.globalRows }
    /// Blocks per column of blocks (the number of block rows), P_y.
    public var rankRows: Int { rowSplit.ranks }
    /// Blocks per row of blocks (the number of block columns), P_x.
    public var rankColumns: Int { columnSplit.ranks }
    /// The number of blocks, P = P_y · P_x.
    public var ranks: Int { rankRows * rankColumns }

    /// A `rankRows × rankColumns` partition whose blocks have at least `minimumWidth` rows
    /// and columns.
    ///
    /// - Throws: ``DistributedError/gridTooSmall(rows:columns:ranks:minimumRows:)``.
    public init(rows: Int, columns: Int, rankRows: Int, rankColumns: Int, minimumWidth: Int = 1) throws(DistributedError) {
        do throws(DistributedError) {
            rowSplit = try StripPartition(rows: rows, columns: 1, ranks: rankRows, minimumRows: minimumWidth)
            columnSplit = try StripPartition(rows: columns, columns: 1, ranks: rankColumns, minimumRows: minimumWidth)
        } catch {
            throw .gridTooSmall(rows: rows, columns: columns, ranks: rankRows * rankColumns, minimumRows: minimumWidth)
        }
    }

    /// The most nearly square arrangement of `ranks` blocks (P_y ≥ P_x, P_y · P_x = P),
    /// as `MPI_Dims_create` chooses.
    public static func balanced(rows: Int, columns: Int, ranks: Int, minimumWidth: Int = 1) throws(DistributedError) -> Self {
        guard ranks >= 1 else { throw .gridTooSmall(rows: rows, columns: columns, ranks: ranks, minimumRows: minimumWidth) }
        var rankColumns = 1
        for candidate in 1...ranks where ranks % candidate == 0 && candidate * candidate <= ranks { rankColumns = candidate }
        return try Self(rows: rows, columns: columns, rankRows: ranks / rankColumns, rankColumns: rankColumns, minimumWidth: minimumWidth)
    }

    /// Rank r's block row.
    public func blockRow(of r: Int) -> Int { r / rankColumns }
    /// Rank r's block column.
    public func blockColumn(of r: Int) -> Int { r % rankColumns }
    /// Rows of rank r's block.
    public func rows(of r: Int) -> Int { rowSplit.rows(of: blockRow(of: r)) }
    /// Columns of rank r's block.
    public func columns(of r: Int) -> Int { columnSplit.rows(of: blockColumn(of: r)) }
    /// The global index of rank r's first row.
    public func firstRow(of r: Int) -> Int { rowSplit.firstRow(of: blockRow(of: r)) }
    /// The global index of rank r's first column.
    public func firstColumn(of r: Int) -> Int { columnSplit.firstRow(of: blockColumn(of: r)) }

    /// The rank of the block at (block row, block column), periodically.
    public func rank(blockRow: Int, blockColumn: Int) -> Int {
        ((blockRow % rankRows + rankRows) % rankRows) * rankColumns + (blockColumn % rankColumns + rankColumns) % rankColumns
    }
    /// The rank whose block is above r's (periodically).
    public func rankAbove(_ r: Int) -> Int { rank(blockRow: blockRow(of: r) - 1, blockColumn: blockColumn(of: r)) }
    /// The rank whose block is below r's.
    public func rankBelow(_ r: Int) -> Int { rank(blockRow: blockRow(of: r) + 1, blockColumn: blockColumn(of: r)) }
    /// The rank whose block is left of r's.
    public func rankLeft(_ r: Int) -> Int { rank(blockRow: blockRow(of: r), blockColumn: blockColumn(of: r) - 1) }
    /// The rank whose block is right of r's.
    public func rankRight(_ r: Int) -> Int { rank(blockRow: blockRow(of: r), blockColumn: blockColumn(of: r) + 1) }

    /// Every rank's block, concatenated in rank order, rearranged into the global grid in
    /// row-major order.
    ///
    /// - Complexity: O(cells).
    public func globalOrder(_ concatenated: [Double]) -> [Double] {
        precondition(concatenated.count == globalRows * globalColumns, "\(concatenated.count) values for a \(globalRows) × \(globalColumns) grid")
        var global = [Double](repeating: 0, count: concatenated.count)
        var offset = 0
        for r in 0..<ranks {
            let rows = rows(of: r), columns = columns(of: r), top = firstRow(of: r), left = firstColumn(of: r)
            for i in 0..<rows {
                for j in 0..<columns { global[(top + i) * globalColumns + left + j] = concatenated[offset + i * columns + j] }
            }
            offset += rows * columns
        }
        return global
    }
}
