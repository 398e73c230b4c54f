import Foundation
import Testing
@testable import AdjointODE
import RewindExamples

/// One implicit step and its exact discrete adjoint: finite differences, the dot-product
/// test, the banded Jacobian against the dense one, and typed Newton failures.
@Suite struct DiagonallyImplicitStepperTests {
    static let cost = RunningCost(
        value: { t, y, p in 0.5 * y[0] * y[0] + p[2] * sin(t) * y[1] },
        gradient: { t, y, p, scale, yBar, pBar in
            yBar[0] += scale * y[0]
            yBar[1] += scale * p[2] * sin(t)
            pBar[2] += scale * sin(t) * y[1]
        })

    /// ⟨w, y⁺⟩ + q, the step's output seen through a fixed cotangent.
    func stepLoss(_ stepper: DiagonallyImplicitStepper, _ y: [Double], _ p: [Double], weights w: [Double], cost: RunningCost?) throws -> Double {
        var next = [Double](repeating: 0, count: y.count)
        let q = try y.withUnsafeBufferPointer { yb in
            try p.withUnsafeBufferPointer { pb in
                try next.withUnsafeMutableBufferPointer { out in
                    try stepper.step(time: 0.3, size: 0.4, state: yb, parameters: pb, into: out, runningCost: cost)
                }
            }
        }
        return zip(w, next).reduce(q) { $0 + $1.0 * $1.1 }
    }

    @Test(arguments: DiagonallyImplicitTableau.all)
    func stepAdjointMatchesFiniteDifferences(method: DiagonallyImplicitTableau) throws {
        let stepper = DiagonallyImplicitStepper(method: method, rightHandSide: TestProblems.forcedPendulum)
        let y = [0.7, -0.4]
        let p = [1.3, 0.2, 0.5]
        let w = [0.8, -1.1]
        var lambda = w
        var pBar = [0.0, 0, 0]
        try y.withUnsafeBufferPointer { yb in
            try p.withUnsafeBufferPointer { pb in
                try lambda.withUnsafeMutableBufferPointer { l in
                    try pBar.withUnsafeMutableBufferPointer { pbar in
                        try stepper.pullback(time: 0.3, size: 0.4, state: yb, parameters: pb, stateAdjoint: l, parameterAdjoint: pbar, runningCost: Self.cost)
                    }
                }
            }
        }
        let fdState = try TestProblems.finiteDifferenceGradient(at: y) { try stepLoss(stepper, $0, p, weights: w, cost: Self.cost) }
        let fdParameters = try TestProblems.finiteDifferenceGradient(at: p) { try stepLoss(stepper, y, $0, weights: w, cost: Self.cost) }
        #expect(TestProblems.relativeError(lambda, fdState) < 1e-7, "\(method.name): \(lambda) vs \(fdState)")
        #expect(TestProblems.relativeError(pBar, fdParameters) < 1e-7, "\(method.name): \(pBar) vs \(fdParameters)")
    }

    /// ⟨λ⁺, (∂y⁺/∂y) v⟩ = ⟨(∂y⁺/∂y)ᵀ λ⁺, v⟩, with the tangent by central differences of the
    /// step along v, for a stiff step (hλ ≈ −300) of Van der Pol.
    @Test(arguments: [DiagonallyImplicitTableau.kvaerno5, .trBDF2])
    func dotProductTestOnAStiffStep(method: DiagonallyImplicitTableau) throws {
        let rhs = StiffProblems.vanDerPolRightHandSide
        let stepper = DiagonallyImplicitStepper(method: method, rightHandSide: rhs, newton: NewtonOptions(relative: 1e-13, absolute: 1e-14))
        let y = [2.0, -0.66]
        let p = [1000.0]
        let h = 0.1
        func advance(_ y: [Double]) throws -> [Double] {
            var next = [0.0, 0]
            _ = try y.withUnsafeBufferPointer { yb in
                try p.withUnsafeBufferPointer { pb in
                    try next.withUnsafeMutableBufferPointer { try stepper.step(time: 0, size: h, state: yb, parameters: pb, into: $0) }
                }
            }
            return next
        }
        let v = [0.3, -0.7]
        let u = [1.1, 0.4]
        let epsilon = 1e-6
        let plus = try advance(zip(y, v).map { $0 + epsilon * $1 })
        let minus = try advance(zip(y, v).map { $0 - epsilon * $1 })
        let tangent = zip(plus, minus).map { ($0 - $1) / (2 * epsilon) }
        var lambda = u
        var pBar = [0.0]
        try y.withUnsafeBufferPointer { yb in
            try p.withUnsafeBufferPointer { pb in
                try lambda.withUnsafeMutableBufferPointer { l in
                    try pBar.withUnsafeMutableBufferPointer { try stepper.pullback(time: 0, size: h, state: yb, parameters: pb, stateAdjoint: l, parameterAdjoint: $0) }
                }
            }
        }
        let forward = zip(u, tangent).reduce(0) { $0 + $1.0 * $1.1 }
        let reverse = zip(lambda, v).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(forward - reverse) <= 1e-6 * Swift.max(1, abs(forward)), "\(method.name): ⟨u, Jv⟩ = \(forward), ⟨Jᵀu, v⟩ = \(reverse)")
    }

    /// A banded Jacobian assembled by coloured VJPs equals the dense one: the same step.
    @Test func bandedAndDenseIterationMatricesGiveTheSameStep() throws {
        let banded = TestProblems.diffusion(points: 12)
        let dense = banded.withJacobianStructure(.dense)
        let y = (0..<24).map { 1 + 0.5 * sin(Double($0)) }
        let p = [0.7]
        func step(_ rhs: RightHandSide) throws -> [Double] {
            let stepper = DiagonallyImplicitStepper(method: .kvaerno3, rightHandSide: rhs)
            var next = [Double](repeating: 0, count: 24)
            _ = try y.withUnsafeBufferPointer { yb in
                try p.withUnsafeBufferPointer { pb in
                    try next.withUnsafeMutableBufferPointer { try stepper.step(time: 0, size: 0.05, state: yb, parameters: pb, into: $0) }
                }
            }
            return next
        }
        let a = try step(banded)
        let b = try step(dense)
        #expect(TestProblems.relativeError(a, b) < 1e-12)
    }

    @Test func newtonFailureNamesTheStepAndTime() throws {
        let problem = ODEProblem(rightHandSide: TestProblems.forcedPendulum, initialState: [0.7, -0.4], parameters: [1.3, 0.2, 0.5])
        let newton = NewtonOptions(relative: 1e-14, absolute: 1e-16, maximumIterations: 1)
        #expect(throws: ODEError.newtonDidNotConverge(step: 0, time: 0, size: 0.5, stage: 1, iterations: 1)) {
            try solve(problem, method: .kvaerno5, span: 0...1, step: .fixed(0.5), newton: newton)
        }
    }

    @Test func adaptiveSolveRetriesAStepWhoseNewtonFails() throws {
        let problem = ODEProblem(rightHandSide: TestProblems.forcedPendulum, initialState: [0.7, -0.4], parameters: [1.3, 0.2, 0.5])
        let newton = NewtonOptions(relative: 1e-12, absolute: 1e-14, maximumIterations: 3)
        let solution = try solve(problem, method: .kvaerno3, span: 0...2, step: .adaptive(Tolerances(initialStep: 1.5)), newton: newton)
        #expect(solution.statistics.newtonFailures >= 1)
        #expect(solution.statistics.rejectedSteps >= solution.statistics.newtonFailures)
    }
}
