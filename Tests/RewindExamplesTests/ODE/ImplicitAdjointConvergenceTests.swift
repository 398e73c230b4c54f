import AdjointODE
import Testing
@testable import RewindExamples

/// Each implicit method's discrete-adjoint gradient converges at the method's order on a
/// nonlinear, time-dependent problem.
@Suite struct ImplicitAdjointConvergenceTests {
    @Test(arguments: DiagonallyImplicitTableau.all)
    func gradientErrorShrinksAtTheMethodsOrder(method: DiagonallyImplicitTableau) throws {
        let rows = try ImplicitAdjointConvergence.table(methods: [method], steps: method.order >= 5 ? 8 : 16, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - Double(method.order)) < 0.3, "\(method.name): observed order \(observed), rows \(rows)")
        #expect(rows.last!.error < rows.first!.error)
    }
}

extension ImplicitAdjointConvergenceTests {
    @Test func rosenbrockGradientErrorShrinksAtTheMethodsOrder() throws {
        let rows = try ImplicitAdjointConvergence.rosenbrockTable(method: .ros3p, steps: 16, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - 3) < 0.3, "ROS3P: observed order \(observed), rows \(rows)")
    }
}

extension ImplicitAdjointConvergenceTests {
    /// The explicit methods' adjoints too converge at their order on the nonlinear,
    /// time-dependent problem (not only on the linear one of `AdjointConvergence`).
    @Test(arguments: ButcherTableau.all)
    func explicitGradientErrorShrinksAtTheMethodsOrder(method: ButcherTableau) throws {
        let rows = try ImplicitAdjointConvergence.explicitTable(methods: [method], steps: method.order >= 5 ? 16 : 32, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - Double(method.order)) < 0.35, "\(method.name): observed order \(observed), rows \(rows)")
    }
}
