import CheckpointedAD
import Distributed

/// How the heat equation's grid is cut among the ranks.
public enum HeatLayout: String, Hashable, Sendable, CaseIterable {
    /// Horizontal strips of whole rows (``MPIHaloExchange``); ν̄ kept per row.
    case strips
    /// The most nearly square array of blocks (``MPIBlockHaloExchange``); ν̄ kept per cell.
    case blocks

    /// State-sized buffers the step and its pullback hold at once: the captured state,
    /// t = a·ȳ, the gift arrays (2 for strips, 4 for blocks), x̄, and for blocks ν̄ per cell
    /// (``CheckpointingOptions/workspaceStates``, so that a byte budget counts them).
    public var workspaceStates: Int { self == .strips ? 5 : 8 }
}

/// One rank's share of ``Heat2D`` in a layout: its initial field, its step, and how the
/// gathered pieces are put in global order and summed.
///
/// The two layouts give the same loss and the same ∂L/∂u[0] bits; ∂L/∂ν is summed in a
/// different fixed order (strips: each step's row sums, added per row over the steps, then
/// over rows; blocks: each cell's terms added over the steps, then per row, then over
/// rows), so it is bitwise the same for every P *within* a layout and agrees across layouts
/// to rounding.
struct HeatShard {
    var layoutName: String
    var rows: Int
    var columns: Int
    var x0: Vector
    var step: CheckpointedStep<Vector, Double, Vector, Vector>
    /// How many parameter terms the step's ν̄ has (rows for strips, cells for blocks).
    var parameterTerms: Int
    /// State-sized buffers the step and its pullback hold at once (``HeatLayout/workspaceStates``).
    var workspaceStates: Int
    /// The gathered pieces (in rank order) in global row-major order.
    var globalOrder: ([Double]) -> [Double]
    /// ∂L/∂ν from the gathered parameter terms.
    var parameterTotal: ([Double]) -> Double

    /// This rank's shard (or with no communicator, the whole grid in one process); for
    /// blocks, `blockColumns` block columns (nil: the most nearly square array).
    init(_ problem: Heat2D, layout: HeatLayout, blockColumns: Int? = nil, communicator: Communicator?) throws {
        let globalColumns = problem.columns
        switch layout {
        case .strips:
            let halo: any HaloExchanging = try communicator.map { try MPIHaloExchange(communicator: $0, rows: problem.rows, columns: problem.columns) }
                ?? SerialHaloExchange(rows: problem.rows, columns: problem.columns)
            layoutName = "strips"
            rows = halo.ownedRows
            columns = problem.columns
            x0 = problem.initialBlock(firstRow: halo.firstRow, rows: rows, firstColumn: 0, columns: columns)
            step = problem.step(halo: halo)
            parameterTerms = rows
            workspaceStates = layout.workspaceStates
            globalOrder = { $0 }
            parameterTotal = { FixedOrderSum.sum($0) }
        case .blocks:
            let halo: any BlockHaloExchanging = try communicator.map {
                try MPIBlockHaloExchange(communicator: $0, rows: problem.rows, columns: problem.columns, rankColumns: blockColumns)
            }
                ?? SerialBlockHaloExchange(rows: problem.rows, columns: problem.columns)
            let partition = halo.partition
            layoutName = "blocks \(partition.rankRows) × \(partition.rankColumns)"
            rows = halo.ownedRows
            columns = halo.ownedColumns
            x0 = problem.initialBlock(firstRow: halo.firstRow, rows: rows, firstColumn: halo.firstColumn, columns: columns)
            step = problem.blockStep(halo: halo)
            parameterTerms = rows * columns
            workspaceStates = layout.workspaceStates
            globalOrder = { partition.globalOrder($0) }
            parameterTotal = { terms in
                let global = partition.globalOrder(terms)
                return FixedOrderSum.sum(stride(from: 0, to: global.count, by: globalColumns).map { start in
                    FixedOrderSum.sum(global[start..<start + globalColumns])
                })
            }
        }
    }
}
