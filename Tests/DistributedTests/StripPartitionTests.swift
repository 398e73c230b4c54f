import Distributed
import Testing

@Suite struct StripPartitionTests {
    /// Strips cover every row once, in rank order, and differ by at most one row.
    @Test(arguments: [(10, 1), (10, 3), (12, 4), (7, 7), (1024, 3)])
    func stripsTileTheGrid(rows: Int, ranks: Int) throws {
        let strips = try StripPartition(rows: rows, columns: 5, ranks: ranks)
        var next = 0
        for r in 0..<ranks {
            #expect(strips.firstRow(of: r) == next)
            next += strips.rows(of: r)
        }
        #expect(next == rows)
        let sizes = (0..<ranks).map { strips.rows(of: $0) }
        #expect(sizes.max()! - sizes.min()! <= 1)
        #expect(strips.largestCells == sizes.max()! * 5)
        #expect(strips.rankAbove(0) == ranks - 1 && strips.rankBelow(ranks - 1) == 0)
    }

    @Test func tooFewRowsIsATypedError() {
        #expect(throws: DistributedError.gridTooSmall(rows: 3, columns: 4, ranks: 4, minimumRows: 1)) {
            try StripPartition(rows: 3, columns: 4, ranks: 4)
        }
        let message = DistributedError.gridTooSmall(rows: 3, columns: 4, ranks: 4, minimumRows: 1).description
        #expect(message.contains("at most 3 ranks"))
    }
}
