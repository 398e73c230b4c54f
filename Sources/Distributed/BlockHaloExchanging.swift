import CheckpointedAD

/// The halo exchange H of a block-partitioned field and its adjoint Hᵀ (see
/// ``HaloExchanging`` for strips): H copies the neighbours' boundary rows and columns into a
/// block's halo; Hᵀ sends each halo cotangent to the rank that owns the cells and adds it
/// there. ``MPIBlockHaloExchange`` runs over MPI; ``SerialBlockHaloExchange`` is the whole
/// grid in one process with periodic wrap-around.
public protocol BlockHaloExchanging {
    /// The partition.
    var partition: BlockPartition { get }
    /// This process's block: its index (rank) in the partition.
    var block: Int { get }
    /// Rows and columns in each halo side.
    var width: Int { get }

    /// H: the halo of `owned` (this block, row-major) on the requested sides.
    func exchange(_ owned: Vector, sides: HaloSides) -> BlockHalo

    /// Hᵀ: adds to `owned` the cotangents that the neighbours' halos hold for its cells; the
    /// sides sent are those whose cotangent is non-empty (the same on every rank).
    func pullback(_ cotangent: BlockHalo, into owned: inout Vector)
}

extension BlockHaloExchanging {
    /// Rows of this block.
    public var ownedRows: Int { partition.rows(of: block) }
    /// Columns of this block.
    public var ownedColumns: Int { partition.columns(of: block) }
    /// The global index of this block's first row.
    public var firstRow: Int { partition.firstRow(of: block) }
    /// The global index of this block's first column.
    public var firstColumn: Int { partition.firstColumn(of: block) }
}

/// Columns `first ..< first + width` of every row of a row-major block, row by row.
func packColumns(_ values: Vector, columns: Int, first: Int, width: Int) -> [Double] {
    let rows = values.count / columns
    var packed = [Double]()
    packed.reserveCapacity(rows * width)
    let elements = values.scalars  // once: a rotated view copies on every read
    for r in 0..<rows { packed.append(contentsOf: elements[r * columns + first ..< r * columns + first + width]) }
    return packed
}

/// Adds `packed` (rows × width, row by row) to columns `first ..< first + width` of `owned`.
func addColumns(_ packed: [Double], into owned: inout Vector, columns: Int, first: Int, width: Int) {
    guard !packed.isEmpty else { return }
    let rows = owned.count / columns
    owned.scalars.withUnsafeMutableBufferPointer { target in
        for r in 0..<rows {
            for k in 0..<width { target[r * columns + first + k] += packed[r * width + k] }
        }
    }
}
