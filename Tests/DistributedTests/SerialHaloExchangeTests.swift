import CheckpointedAD
import Distributed
import Testing

/// The single-process halo: its reverse is its adjoint (dot-product test), on every side.
@Suite struct SerialHaloExchangeTests {
    @Test(arguments: [1, 2])
    func reverseIsTheAdjoint(width: Int) throws {
        let halo = try SerialHaloExchange(rows: 6, columns: 4, width: width)
        let count = 24, haloCount = width * 4
        func value(_ k: Int, _ salt: Double) -> Double { (Double(k) * 0.731 + salt).truncatingRemainder(dividingBy: 1.7) - 0.8 }
        for sides in [HaloSides.both, .above, .below] {
            let v = Vector((0..<count).map { value($0, 0.1) })
            let u = Vector((0..<count).map { value($0, 0.4) })
            let cotangent = HaloRows(
                above: sides.contains(.above) ? (0..<haloCount).map { value($0, 0.7) } : [],
                below: sides.contains(.below) ? (0..<haloCount).map { value($0, 0.9) } : [])
            let hv = halo.exchange(v, sides: sides)
            func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { $0 * $1 }.reduce(0, +) }
            let lhs = dot(u.scalars, v.scalars) + dot(cotangent.above, hv.above) + dot(cotangent.below, hv.below)
            var hTu = u
            halo.pullback(cotangent, into: &hTu)
            let rhs = dot(hTu.scalars, v.scalars)
            #expect(abs(lhs - rhs) <= 1e-13 * max(1, abs(lhs)), "sides \(sides.rawValue): \(lhs) vs \(rhs)")
        }
    }

    @Test func haloRowsAreTheWrappedRows() throws {
        let halo = try SerialHaloExchange(rows: 3, columns: 2)
        let rows = halo.exchange(Vector([1, 2, 3, 4, 5, 6]), sides: .both)
        #expect(rows.above == [5, 6])
        #expect(rows.below == [1, 2])
    }
}
