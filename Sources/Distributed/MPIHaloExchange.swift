import CheckpointedAD

/// The halo exchange of a strip partition over MPI: rank r owns strip r and trades its
/// boundary rows with the ranks above and below (periodically: rank 0's upper neighbour is
/// rank P−1; with one rank, the strip is its own neighbour). See ``HaloExchanging``.
///
/// ```swift
/// let halo = try MPIHaloExchange(communicator: .world, rows: 1024, columns: 1024)
/// let rows = halo.exchange(u, sides: .both)        // H
/// halo.pullback(HaloRows(above: ā, below: b̄), into: &ū)   // Hᵀ
/// ```
///
/// - Complexity: per call and side, one `MPI_Sendrecv` of width × columns doubles.
public struct MPIHaloExchange: HaloExchanging {
    /// The ranks.
    public let communicator: Communicator
    /// The partition: one strip per rank.
    public let partition: StripPartition
    /// Rows in each halo side.
    public let width: Int

    /// This rank's strip.
    public var strip: Int { communicator.rank }

    /// The exchange of a `rows × columns` grid split over the communicator's ranks.
    ///
    /// - Throws: ``DistributedError/gridTooSmall(rows:columns:ranks:minimumRows:)`` when a
    ///   strip would have fewer than `width` rows.
    public init(communicator: Communicator, rows: Int, columns: Int, width: Int = 1) throws(DistributedError) {
        self.communicator = communicator
        self.width = width
        self.partition = try StripPartition(rows: rows, columns: columns, ranks: communicator.size, minimumRows: width)
    }

    /// Message tags: rows travelling to the rank above, and to the rank below.
    private static let upwardTag: Int32 = 7101
    private static let downwardTag: Int32 = 7102

    public func exchange(_ owned: Vector, sides: HaloSides) -> HaloRows {
        let count = width * columns
        precondition(owned.count == ownedRows * columns, "a strip of \(owned.count) values, expected \(ownedRows) × \(columns)")
        var halo = HaloRows()
        let above = partition.rankAbove(strip), below = partition.rankBelow(strip)
        owned.scalars.withUnsafeBufferPointer { rows in
            if sides.contains(.above) {
                // Everyone sends its last rows down and receives the rows above it.
                halo.above = [Double](repeating: 0, count: count)
                halo.above.withUnsafeMutableBufferPointer { receive in
                    communicator.sendReceive(
                        UnsafeBufferPointer(rebasing: rows[(owned.count - count)...]), to: below,
                        into: receive, from: above, tag: Self.downwardTag)
                }
            }
            if sides.contains(.below) {
                // Everyone sends its first rows up and receives the rows below it.
                halo.below = [Double](repeating: 0, count: count)
                halo.below.withUnsafeMutableBufferPointer { receive in
                    communicator.sendReceive(
                        UnsafeBufferPointer(rebasing: rows[..<count]), to: above,
                        into: receive, from: below, tag: Self.upwardTag)
                }
            }
        }
        return halo
    }

    public func pullback(_ cotangent: HaloRows, into owned: inout Vector) {
        let count = width * columns
        let above = partition.rankAbove(strip), below = partition.rankBelow(strip)
        if !cotangent.above.isEmpty {
            // The cotangents of my upper halo belong to the last rows of the rank above;
            // those the rank below holds for my last rows arrive from below.
            precondition(cotangent.above.count == count, "an upper halo cotangent of \(cotangent.above.count) values, expected \(count)")
            var received = [Double](repeating: 0, count: count)
            cotangent.above.withUnsafeBufferPointer { send in
                received.withUnsafeMutableBufferPointer { receive in
                    communicator.sendReceive(send, to: above, into: receive, from: below, tag: Self.upwardTag)
                }
            }
            addRows(received, into: &owned, atRow: ownedRows - width, columns: columns)
        }
        if !cotangent.below.isEmpty {
            precondition(cotangent.below.count == count, "a lower halo cotangent of \(cotangent.below.count) values, expected \(count)")
            var received = [Double](repeating: 0, count: count)
            cotangent.below.withUnsafeBufferPointer { send in
                received.withUnsafeMutableBufferPointer { receive in
                    communicator.sendReceive(send, to: below, into: receive, from: above, tag: Self.downwardTag)
                }
            }
            addRows(received, into: &owned, atRow: 0, columns: columns)
        }
    }
}
