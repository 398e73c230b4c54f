import Testing
@testable import OptimalControl
import RewindTestSupport

@Suite struct DenseMatrixTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func solvesAndInverts(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let n = 7
        var a = DenseMatrix(order: n)
        for e in a.entries.indices { a.entries[e] = rng.uniform(-1...1) }
        let b = (0..<n).map { _ in rng.uniform(-1...1) }
        let x = try #require(a.solve([b])?.first)
        let residual = zip(a.times(x), b).map { abs($0 - $1) }.max()!
        #expect(residual <= 1e-12, "seed \(seed)")
        let identity = a.times(try #require(a.inverse()))
        for i in 0..<n { for j in 0..<n { #expect(abs(identity[i, j] - (i == j ? 1 : 0)) <= 1e-11, "seed \(seed)") } }
    }

    @Test func singularMatrixHasNoInverse() {
        var a = DenseMatrix(order: 2)
        a.entries = [1, 2, 2, 4]
        #expect(a.inverse() == nil)
        #expect(DenseMatrix(order: 3).solve([[1, 2, 3]]) == nil)
    }
}
