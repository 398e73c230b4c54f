import CheckpointedAD
import Foundation
import Testing
import _Differentiation
import RewindExamples
@testable import AdjointODE

/// A right-hand side differentiated by Swift AD gives the hand-written one's gradients.
@Suite struct RightHandSideDifferentiableTests {
    /// Lotka–Volterra written with differentiable vector operations.
    static let lotkaVolterraAD = RightHandSide(dimension: 2, parameterCount: 4) { y, p, _ in
        let (x, z) = (y.element(at: 0), y.element(at: 1))
        let (alpha, beta, delta, gamma) = (p.element(at: 0), p.element(at: 1), p.element(at: 2), p.element(at: 3))
        return Vector.stacking([alpha * x - beta * x * z, delta * x * z - gamma * z])
    }

    /// A time-dependent right-hand side: y′ = −p₀ y + sin(t) (elementwise).
    static let forcedDecayAD = RightHandSide(dimension: 3, parameterCount: 1) { y, p, t in
        -p.element(at: 0) * y + sin(t)
    }

    @Test func swiftADGradientEqualsTheHandWrittenOne() throws {
        let loss = ODELoss.observations(times: [1, 2], data: [[2, 1], [1, 2]]) + .finalState { y in y.halfSquaredNorm() }
        func gradient(_ rhs: RightHandSide) throws -> ODEGradient {
            let problem = ODEProblem(rightHandSide: rhs, initialState: [1, 1], parameters: [1.5, 1, 3, 1])
            return try solve(problem, method: .rk4, span: 0...2, step: .fixed(0.01))
                .gradient(of: loss, checkpointing: .revolve(memory: .slots(6)))
        }
        let automatic = try gradient(Self.lotkaVolterraAD)
        let handWritten = try gradient(.lotkaVolterra)
        #expect(TestProblems.relativeError(automatic.initialState.scalars, handWritten.initialState.scalars) < 1e-12)
        #expect(TestProblems.relativeError(automatic.parameters.scalars, handWritten.parameters.scalars) < 1e-12)
        #expect(abs(automatic.value - handWritten.value) < 1e-12)
    }

    @Test func timeDependentSwiftADRightHandSideMatchesFiniteDifferences() throws {
        let problem = ODEProblem(rightHandSide: Self.forcedDecayAD, initialState: [1, -1, 0.5], parameters: [0.8])
        let solution = try solve(problem, method: .bogackiShampine32, span: 0...3, tolerances: Tolerances(relative: 1e-7))
        let loss = ODELoss.finalState { y in y.halfSquaredNorm() }
        let g = try solution.gradient(of: loss)
        let fdParameters = try TestProblems.finiteDifferenceGradient(at: [0.8]) { try solution.value(of: loss, parameters: Vector($0)) }
        let fdState = try TestProblems.finiteDifferenceGradient(at: [1, -1, 0.5]) { try solution.value(of: loss, initialState: Vector($0)) }
        #expect(TestProblems.relativeError(g.parameters.scalars, fdParameters) < 1e-8)
        #expect(TestProblems.relativeError(g.initialState.scalars, fdState) < 1e-8)
    }
}
