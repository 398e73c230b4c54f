/// A 2-D grid of `rows × columns` cells split into P horizontal strips of whole rows, one per
/// rank, in rank order: rank r owns rows ``firstRow(of:)`` ..< ``firstRow(of:)`` +
/// ``rows(of:)``, stored row-major. The first `rows % P` ranks own one row more.
///
/// ```swift
/// let strips = try StripPartition(rows: 10, columns: 4, ranks: 3)
/// strips.rows(of: 0)       // 4
/// strips.firstRow(of: 2)   // 7
/// ```
///
/// Whole rows per rank is what makes row-wise partial sums independent of P: a row's sum is
/// computed on one rank, in column order, whatever the partition (see ``FixedOrderSum``).
public struct StripPartition: Hashable, Sendable {
    /// Rows of the global grid.
    public let globalRows: Int
    /// Columns of the global grid (every strip has all of them).
    public let columns: Int
    /// The number of strips, P.
    public let ranks: Int

    /// A partition of a `rows × columns` grid into `ranks` strips of at least `minimumRows`
    /// rows each (a halo of width w needs w rows on each neighbour).
    ///
    /// - Throws: ``DistributedError/gridTooSmall(rows:columns:ranks:minimumRows:)`` when a
    ///   strip would be thinner than `minimumRows` or the grid is empty.
    public init(rows: Int, columns: Int, ranks: Int, minimumRows: Int = 1) throws(DistributedError) {
        guard ranks >= 1, columns >= 1, rows >= ranks * Swift.max(1, minimumRows) else {
            throw .gridTooSmall(rows: rows, columns: columns, ranks: ranks, minimumRows: Swift.max(1, minimumRows))
        }
        self.globalRows = rows
        self.columns = columns
        self.ranks = ranks
    }

    /// The number of rows rank `r` owns: ⌈rows/P⌉ for the first rows mod P ranks, ⌊rows/P⌋ after.
    public func rows(of r: Int) -> Int {
        globalRows / ranks + (r < globalRows % ranks ? 1 : 0)
    }

    /// The global index of rank `r`'s first row.
    public func firstRow(of r: Int) -> Int {
        r * (globalRows / ranks) + Swift.min(r, globalRows % ranks)
    }

    /// The cells rank `r` owns: rows(of: r) × columns.
    public func cells(of r: Int) -> Int { rows(of: r) * columns }

    /// The most cells any rank owns (rank 0's).
    public var largestCells: Int { cells(of: 0) }

    /// The rank above `r` (owning the rows just before its first), periodically: P−1 above 0.
    public func rankAbove(_ r: Int) -> Int { (r + ranks - 1) % ranks }

    /// The rank below `r` (owning the rows just after its last), periodically: 0 below P−1.
    public func rankBelow(_ r: Int) -> Int { (r + 1) % ranks }
}
