import CheckpointedAD
import Distributed
import Testing

@Suite struct BlockPartitionTests {
    /// Blocks tile the grid, and `globalOrder` puts every rank's block where it belongs.
    @Test(arguments: [(1, 1), (2, 1), (1, 3), (2, 2), (3, 2)])
    func blocksTileTheGrid(rankRows: Int, rankColumns: Int) throws {
        let blocks = try BlockPartition(rows: 7, columns: 9, rankRows: rankRows, rankColumns: rankColumns)
        var concatenated: [Double] = []
        for r in 0..<blocks.ranks {
            for i in 0..<blocks.rows(of: r) {
                for j in 0..<blocks.columns(of: r) {
                    concatenated.append(Double((blocks.firstRow(of: r) + i) * 9 + blocks.firstColumn(of: r) + j))
                }
            }
        }
        #expect(blocks.globalOrder(concatenated) == (0..<63).map(Double.init))
    }

    @Test func neighboursWrapAround() throws {
        let blocks = try BlockPartition(rows: 8, columns: 8, rankRows: 2, rankColumns: 3)
        #expect(blocks.rankAbove(1) == 4 && blocks.rankBelow(4) == 1)
        #expect(blocks.rankLeft(3) == 5 && blocks.rankRight(5) == 3)
    }

    @Test(arguments: [(1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 2, 2), (6, 3, 2), (12, 4, 3)])
    func balancedIsNearlySquare(ranks: Int, rankRows: Int, rankColumns: Int) throws {
        let blocks = try BlockPartition.balanced(rows: 100, columns: 100, ranks: ranks)
        #expect(blocks.rankRows == rankRows && blocks.rankColumns == rankColumns)
    }
}

/// The single-process block halo: its reverse is its adjoint on every side.
@Suite struct SerialBlockHaloExchangeTests {
    @Test func reverseIsTheAdjoint() throws {
        let halo = try SerialBlockHaloExchange(rows: 5, columns: 4)
        func value(_ k: Int, _ salt: Double) -> Double { (Double(k) * 0.731 + salt).truncatingRemainder(dividingBy: 1.7) - 0.8 }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { $0 * $1 }.reduce(0, +) }
        for sides in [HaloSides.all, .above, .below, .left, .right] {
            let v = Vector((0..<20).map { value($0, 0.1) }), u = Vector((0..<20).map { value($0, 0.4) })
            let cotangent = BlockHalo(
                above: sides.contains(.above) ? (0..<4).map { value($0, 0.7) } : [],
                below: sides.contains(.below) ? (0..<4).map { value($0, 0.9) } : [],
                left: sides.contains(.left) ? (0..<5).map { value($0, 0.2) } : [],
                right: sides.contains(.right) ? (0..<5).map { value($0, 0.3) } : [])
            let hv = halo.exchange(v, sides: sides)
            let lhs = dot(u.scalars, v.scalars) + dot(cotangent.above, hv.above) + dot(cotangent.below, hv.below)
                + dot(cotangent.left, hv.left) + dot(cotangent.right, hv.right)
            var hTu = u
            halo.pullback(cotangent, into: &hTu)
            #expect(abs(lhs - dot(hTu.scalars, v.scalars)) <= 1e-13 * max(1, abs(lhs)), "sides \(sides.rawValue)")
        }
    }
}
