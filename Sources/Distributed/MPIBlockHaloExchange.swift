import CheckpointedAD

/// The halo exchange of a block partition over MPI: rank r owns block r and trades its
/// boundary rows with the ranks above and below and its boundary columns (packed) with the
/// ranks left and right, periodically. See ``BlockHaloExchanging``.
///
/// - Complexity: per call and side, one `MPI_Sendrecv` of width × (the block's columns or
///   rows) doubles.
public struct MPIBlockHaloExchange: BlockHaloExchanging {
    /// The ranks.
    public let communicator: Communicator
    /// The partition: one block per rank.
    public let partition: BlockPartition
    /// Rows and columns in each halo side.
    public let width: Int

    /// This rank's block.
    public var block: Int { communicator.rank }

    /// The exchange of a grid split into `rankColumns` block columns (P_x, which must divide
    /// the number of ranks), or by default the most nearly square array of blocks for the
    /// communicator's ranks (``BlockPartition/balanced(rows:columns:ranks:minimumWidth:)``).
    ///
    /// - Throws: ``DistributedError/gridTooSmall(rows:columns:ranks:minimumRows:)``, or
    ///   ``DistributedError/blockColumnsDoNotDivideRanks(blockColumns:ranks:)``.
    public init(communicator: Communicator, rows: Int, columns: Int, width: Int = 1, rankColumns: Int? = nil) throws(DistributedError) {
        self.communicator = communicator
        self.width = width
        let ranks = communicator.size
        if let rankColumns {
            guard rankColumns >= 1, ranks % rankColumns == 0 else { throw .blockColumnsDoNotDivideRanks(blockColumns: rankColumns, ranks: ranks) }
            self.partition = try BlockPartition(
                rows: rows, columns: columns, rankRows: ranks / rankColumns, rankColumns: rankColumns, minimumWidth: width)
        } else {
            self.partition = try BlockPartition.balanced(rows: rows, columns: columns, ranks: ranks, minimumWidth: width)
        }
    }

    /// Message tags, one per direction of travel.
    private enum Tag: Int32 { case up = 7201, down, left, right }

    /// Sends `send` to `destination` and returns what `source` sends with the same tag.
    private func trade(_ send: [Double], to destination: Int, from source: Int, tag: Tag) -> [Double] {
        var received = [Double](repeating: 0, count: send.count)
        send.withUnsafeBufferPointer { out in
            received.withUnsafeMutableBufferPointer { into in
                communicator.sendReceive(out, to: destination, into: into, from: source, tag: tag.rawValue)
            }
        }
        return received
    }

    public func exchange(_ owned: Vector, sides: HaloSides) -> BlockHalo {
        let columns = ownedColumns, rowCount = width * columns
        precondition(owned.count == ownedRows * columns, "a block of \(owned.count) values, expected \(ownedRows) × \(columns)")
        let p = partition, me = block
        var halo = BlockHalo()
        if sides.contains(.above) {
            halo.above = trade(Array(owned.scalars[(owned.count - rowCount)...]), to: p.rankBelow(me), from: p.rankAbove(me), tag: .down)
        }
        if sides.contains(.below) {
            halo.below = trade(Array(owned.scalars[..<rowCount]), to: p.rankAbove(me), from: p.rankBelow(me), tag: .up)
        }
        if sides.contains(.left) {
            halo.left = trade(
                packColumns(owned, columns: columns, first: columns - width, width: width), to: p.rankRight(me), from: p.rankLeft(me),
                tag: .right)
        }
        if sides.contains(.right) {
            halo.right = trade(
                packColumns(owned, columns: columns, first: 0, width: width), to: p.rankLeft(me), from: p.rankRight(me), tag: .left)
        }
        return halo
    }

    public func pullback(_ cotangent: BlockHalo, into owned: inout Vector) {
        let columns = ownedColumns
        let p = partition, me = block
        if !cotangent.above.isEmpty {
            let received = trade(cotangent.above, to: p.rankAbove(me), from: p.rankBelow(me), tag: .up)
            addRows(received, into: &owned, atRow: ownedRows - width, columns: columns)
        }
        if !cotangent.below.isEmpty {
            let received = trade(cotangent.below, to: p.rankBelow(me), from: p.rankAbove(me), tag: .down)
            addRows(received, into: &owned, atRow: 0, columns: columns)
        }
        if !cotangent.left.isEmpty {
            let received = trade(cotangent.left, to: p.rankLeft(me), from: p.rankRight(me), tag: .left)
            addColumns(received, into: &owned, columns: columns, first: columns - width, width: width)
        }
        if !cotangent.right.isEmpty {
            let received = trade(cotangent.right, to: p.rankRight(me), from: p.rankLeft(me), tag: .right)
            addColumns(received, into: &owned, columns: columns, first: 0, width: width)
        }
    }
}
