import Testing
@testable import AdjointODE

/// Every tableau satisfies exactly the order conditions of its stated order.
@Suite struct ButcherTableauTests {
    @Test func rootedTreeCountsMatchTheLiterature() {
        // OEIS A000081: 1, 1, 2, 4, 9, 20, 48, 115 rooted trees with 1…8 vertices.
        let trees = RootedTrees(maximumOrder: 8)
        let counts = (1...8).map { n in trees.order.filter { $0 == n }.count }
        #expect(counts == [1, 1, 2, 4, 9, 20, 48, 115])
        // γ of the tall tree with 4 vertices is 4·3·2·1 = 24, of the bushy one 4.
        let fourVertexDensities = zip(trees.order, trees.density).filter { $0.0 == 4 }.map(\.1).sorted()
        #expect(fourVertexDensities == [4, 8, 12, 24])
    }

    @Test(arguments: ButcherTableau.all)
    func propagatedSolutionHasItsStatedOrder(method: ButcherTableau) {
        #expect(method.satisfiedOrder(limit: method.order + 1) == method.order, "\(method.name)")
    }

    @Test(arguments: ButcherTableau.all.filter(\.isEmbedded))
    func embeddedSolutionHasItsStatedOrder(method: ButcherTableau) throws {
        let weights = try #require(method.embeddedWeights)
        let order = try #require(method.embeddedOrder)
        #expect(method.satisfiedOrder(weights: weights, limit: order + 1) == order, "\(method.name)")
    }

    @Test(arguments: ButcherTableau.all)
    func nodesAreRowSums(method: ButcherTableau) {
        for i in 0..<method.stages {
            let rowSum = (0..<i).reduce(0.0) { $0 + method.coefficient(i, $1) }
            #expect(abs(rowSum - method.c[i]) < 1e-14, "\(method.name) row \(i)")
        }
    }

    @Test func errorWeightsSumToZero() throws {
        for method in ButcherTableau.all where method.isEmbedded {
            let weights = try #require(method.errorWeights)
            #expect(abs(weights.reduce(0, +)) < 1e-15, "\(method.name)")
        }
    }
}
