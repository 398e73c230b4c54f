import CheckpointedAD
import Foundation
import Testing
import RewindExamples
@testable import AdjointODE

/// Forward solves: accuracy at the method's order, adaptive control, and its typed errors.
@Suite struct SolveTests {
    let decay = ODEProblem(rightHandSide: TestProblems.decay, initialState: [2], parameters: [0.7])

    @Test(arguments: ButcherTableau.all)
    func fixedStepGlobalErrorShrinksAtTheMethodsOrder(method: ButcherTableau) throws {
        // y(T) = y0 e^{−kT}; the global error is O(h^p).
        let exact = 2 * exp(-0.7 * 2)
        func error(_ n: Int) throws -> Double {
            abs(try solve(decay, method: method, span: 0...2, step: .fixed(2 / Double(n))).finalState.scalars[0] - exact)
        }
        let n = 32  // asymptotic for every method here (Tsitouras's small error constant needs it)
        let observed = log2(try error(n) / error(2 * n))
        #expect(abs(observed - Double(method.order)) < 0.25, "\(method.name): observed order \(observed)")
    }

    @Test func fixedStepIsShortenedToFitTheSpan() throws {
        let solution = try solve(decay, method: .rk4, span: 0...1, step: .fixed(0.3))
        #expect(solution.grid.count == 4)
        #expect(solution.grid.size(0) == 0.25)
        let exact = try solve(decay, method: .rk4, span: 0...1, step: .fixed(0.1))
        #expect(exact.grid.count == 10)
    }

    @Test(arguments: [ButcherTableau.bogackiShampine32, .dormandPrince54, .tsitouras54])
    func adaptiveSolveMeetsItsTolerance(method: ButcherTableau) throws {
        let problem = ODEProblem(rightHandSide: AdjointConvergence.linear, initialState: [1, 0], parameters: [-0.1, 2, -2, -0.1])
        let exact = [exp(-0.5) * cos(10), -exp(-0.5) * sin(10)]  // A = [[a, b], [−b, a]] at T = 5
        var previousError = Double.infinity
        for rtol in [1e-4, 1e-7, 1e-10] {
            let solution = try solve(problem, method: method, span: 0...5, tolerances: Tolerances(relative: rtol, absolute: rtol))
            let error = TestProblems.relativeError(solution.finalState.scalars, exact)
            #expect(error < 1000 * rtol, "\(method.name) rtol \(rtol): error \(error)")
            #expect(error < previousError)
            previousError = error
            #expect(solution.grid.isRecorded)
            #expect(solution.grid.time(solution.grid.count) == 5)
        }
    }

    @Test func adaptiveSolveLandsExactlyOnSaveTimes() throws {
        let times = [0.0, 0.3, 1.7, 2.0, 4.999]
        let solution = try solve(decay, span: 0...5, tolerances: Tolerances(relative: 1e-8), saveAt: times)
        #expect(solution.savedStates.count == times.count)
        for (time, state) in zip(times, solution.savedStates) {
            #expect(solution.grid.index(of: time) != nil, "t = \(time)")
            #expect(abs(state.scalars[0] - 2 * exp(-0.7 * time)) < 1e-6)
        }
    }

    @Test func tooManyStepsIsATypedError() {
        #expect(throws: ODEError.self) {
            try solve(decay, span: 0...100, tolerances: Tolerances(relative: 1e-12, absolute: 1e-14, maximumSteps: 10))
        }
        do {
            _ = try solve(decay, span: 0...100, tolerances: Tolerances(relative: 1e-12, absolute: 1e-14, maximumSteps: 10))
        } catch {
            guard case let .tooManySteps(limit, _, end) = error else { Issue.record("wrong error \(error)"); return }
            #expect(limit == 10 && end == 100)
            #expect(error.description.contains("maximumSteps"))
        }
    }

    @Test func minimumStepIsEnforced() {
        // y′ = y² from y0 = 1 blows up at t = 1.
        let blowUp = RightHandSide(
            dimension: 1, parameterCount: 0, evaluate: { _, y, _, d in d[0] = y[0] * y[0] },
            pullback: { _, y, _, v, yBar, _ in yBar[0] = 2 * y[0] * v[0] })
        let problem = ODEProblem(rightHandSide: blowUp, initialState: [1])
        #expect {
            try solve(problem, span: 0...2, tolerances: Tolerances(minimumStep: 1e-6))
        } throws: { error in
            guard let error = error as? ODEError, case .stepSizeTooSmall = error else { return false }
            return true
        }
    }

    @Test func maximumStepBoundsEveryStep() throws {
        let solution = try solve(decay, span: 0...5, tolerances: Tolerances(relative: 1e-3, maximumStep: 0.05))
        #expect(solution.grid.count >= 100)
        #expect((0..<solution.grid.count).allSatisfy { solution.grid.size($0) <= 0.05 })
    }

    @Test func adaptiveStepsNeedAnEmbeddedPair() {
        #expect(throws: ODEError.methodHasNoErrorEstimate(method: "RK4")) {
            try solve(decay, method: .rk4, span: 0...1, tolerances: Tolerances())
        }
    }

    @Test func fixedSaveTimesMustBeOnTheGrid() {
        #expect(throws: ODEError.timeNotOnGrid(time: 0.15)) {
            try solve(decay, method: .rk4, span: 0...1, step: .fixed(0.1), saveAt: [0.15])
        }
    }

    @Test func controllerFactorsAreClamped() {
        let controller = PIController()
        #expect(controller.acceptedFactor(error: 0, previousError: 1, embeddedOrder: 4) == 10)
        #expect(controller.acceptedFactor(error: 1e6, previousError: 1e-4, embeddedOrder: 4) == 0.2)
        #expect(controller.rejectedFactor(error: 1e9, embeddedOrder: 4) == 0.2)
        // A step exactly at tolerance with a steady history shrinks by the safety factor.
        #expect(abs(controller.acceptedFactor(error: 1, previousError: 1, embeddedOrder: 4) - 0.9) < 1e-15)
    }
}
