import Testing
@testable import AdjointODE

/// Every implicit tableau satisfies exactly the order conditions of its stated order.
@Suite struct DiagonallyImplicitTableauTests {
    @Test(arguments: DiagonallyImplicitTableau.all)
    func propagatedSolutionHasItsStatedOrder(method: DiagonallyImplicitTableau) {
        #expect(method.satisfiedOrder(limit: method.order + 1) == method.order, "\(method.name)")
    }

    @Test(arguments: DiagonallyImplicitTableau.all.filter(\.isEmbedded))
    func embeddedSolutionHasItsStatedOrder(method: DiagonallyImplicitTableau) throws {
        let weights = try #require(method.embeddedWeights)
        let order = try #require(method.embeddedOrder)
        #expect(method.satisfiedOrder(weights: weights, limit: order + 1) == order, "\(method.name)")
    }

    @Test(arguments: DiagonallyImplicitTableau.all)
    func nodesAreRowSums(method: DiagonallyImplicitTableau) {
        for i in 0..<method.stages {
            let rowSum = (0...i).reduce(0.0) { $0 + method.coefficient(i, $1) }
            #expect(abs(rowSum - method.c[i]) < 1e-14, "\(method.name) row \(i)")
        }
    }

    @Test func stifflyAccurateMethodsEndOnTheirLastStage() {
        for method in [DiagonallyImplicitTableau.implicitEuler, .trBDF2, .kvaerno3, .kvaerno5] {
            let last = (0..<method.stages).map { method.coefficient(method.stages - 1, $0) }
            #expect(last == method.b, "\(method.name)")
        }
    }

    @Test func explicitOrderConditionsAreUnchangedByTheSharedCode() {
        // RK4 still has order 4 exactly; the trapezoidal rule, as an implicit tableau, order 2.
        #expect(ButcherTableau.rk4.satisfiedOrder(limit: 5) == 4)
        #expect(DiagonallyImplicitTableau.trapezoidal.satisfiedOrder(limit: 3) == 2)
    }
}
