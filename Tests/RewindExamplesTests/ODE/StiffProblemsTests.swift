import AdjointODE
import CheckpointedAD
import Foundation
import Testing
@testable import RewindExamples

/// Gradients of the stiff problems through the implicit methods' exact discrete adjoint:
/// finite differences on the recorded grid, bitwise equality of every schedule with
/// store-all, and the banded Brusselator against its dense Jacobian.
@Suite struct StiffProblemsTests {
    /// Central differences of `f` at `x` with relative step `step`.
    static func finiteDifferences(at x: [Double], step: Double, _ f: ([Double]) throws -> Double) rethrows -> [Double] {
        try x.indices.map { m in
            let h = step * Swift.max(abs(x[m]), 1e-3)
            var plus = x
            var minus = x
            plus[m] += h
            minus[m] -= h
            return (try f(plus) - f(minus)) / (2 * h)
        }
    }

    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let scale = Swift.max(b.map(abs).max() ?? 0, 1e-300)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    /// The gradient against central differences of ``ODESolution/value(of:initialState:parameters:)``
    /// (the recorded grid replayed), componentwise relative to each vector's largest entry.
    func expectFiniteDifferences(_ solution: ODESolution, loss: ODELoss, tolerance: Double, step: Double = 1e-6) throws {
        let g = try solution.gradient(of: loss, checkpointing: .revolve(memory: .slots(5)))
        let y0 = solution.problem.initialState.scalars
        let p = solution.problem.parameters.scalars
        let fdState = try Self.finiteDifferences(at: y0, step: step) { try solution.value(of: loss, initialState: Vector($0)) }
        let fdParameters = try Self.finiteDifferences(at: p, step: step) { try solution.value(of: loss, parameters: Vector($0)) }
        #expect(Self.relativeError(g.initialState.scalars, fdState) < tolerance, "∂L/∂y0 \(g.initialState) vs \(fdState)")
        #expect(Self.relativeError(g.parameters.scalars, fdParameters) < tolerance, "∂L/∂p \(g.parameters) vs \(fdParameters)")
    }

    @Test func robertsonGradientMatchesFiniteDifferences() throws {
        let solution = try solve(
            StiffProblems.robertson(), method: .kvaerno5, span: 0...40,
            step: .adaptive(Tolerances(relative: 1e-6, absolute: 1e-10)))
        #expect(solution.grid.isRecorded && solution.statistics.newtonIterations > 0)
        try expectFiniteDifferences(solution, loss: StiffProblems.robertsonLoss, tolerance: 1e-5)
    }

    @Test(arguments: [DiagonallyImplicitTableau.trBDF2, .kvaerno3])
    func vanDerPolGradientMatchesFiniteDifferences(method: DiagonallyImplicitTableau) throws {
        let solution = try solve(
            StiffProblems.vanDerPol(), method: method, span: 0...3,
            step: .adaptive(Tolerances(relative: 1e-5, absolute: 1e-7)))
        try expectFiniteDifferences(solution, loss: StiffProblems.halfSquaredNorm, tolerance: 1e-4, step: 1e-7)
    }

    @Test func brusselatorGradientMatchesFiniteDifferencesAndItsDenseJacobian() throws {
        let problem = StiffProblems.brusselator(points: 16)
        let loss = StiffProblems.brusselatorLoss(points: 16)
        let step = StepSize.adaptive(Tolerances(relative: 1e-6, absolute: 1e-8))
        let solution = try solve(problem, method: .kvaerno3, span: 0...1, step: step)
        try expectFiniteDifferences(solution, loss: loss, tolerance: 1e-5)
        var dense = problem
        dense.rightHandSide = problem.rightHandSide.withJacobianStructure(.dense)
        let denseSolution = try solve(dense, method: .kvaerno3, span: 0...1, step: step)
        let banded = try solution.gradient(of: loss, checkpointing: .storeAll)
        let full = try denseSolution.gradient(of: loss, checkpointing: .storeAll)
        #expect(solution.grid.count == denseSolution.grid.count)
        #expect(Self.relativeError(banded.initialState.scalars, full.initialState.scalars) < 1e-8)
        #expect(Self.relativeError(banded.parameters.scalars, full.parameters.scalars) < 1e-8)
    }

    @Test func everyScheduleIsBitwiseEqualToStoreAll() throws {
        let solution = try solve(
            StiffProblems.robertson(), method: .kvaerno5, span: 0...40,
            step: .adaptive(Tolerances(relative: 1e-5, absolute: 1e-9)))
        let loss = StiffProblems.robertsonLoss
        let reference = try solution.gradient(of: loss, checkpointing: .storeAll)
        let strategies: [(String, Checkpointing<Vector>)] = [
            ("revolve 1", .revolve(memory: .slots(1))), ("revolve 3", .revolve(memory: .slots(3))),
            ("online 4", .online(memory: .slots(4))),
        ]
        for (label, strategy) in strategies {
            let g = try solution.gradient(of: loss, checkpointing: strategy)
            #expect(g.value == reference.value && g.initialState == reference.initialState && g.parameters == reference.parameters, "\(label)")
        }
        let grouped = try solution.gradient(of: loss, checkpointing: .revolve(memory: .slots(2)), stepsPerCheckpoint: 4)
        #expect(grouped.initialState == reference.initialState, "4 steps per checkpoint")
    }
}

/// The Rosenbrock method's adjoint (with the Jacobian's derivative) on the stiff problems.
extension StiffProblemsTests {
    @Test func rosenbrockGradientsMatchFiniteDifferences() throws {
        let vanDerPol = try solve(StiffProblems.vanDerPol(), method: .ros3p, span: 0...3, step: .adaptive(Tolerances(relative: 1e-5, absolute: 1e-7)))
        try expectFiniteDifferences(vanDerPol, loss: StiffProblems.halfSquaredNorm, tolerance: 1e-4, step: 1e-7)
        let robertson = try solve(StiffProblems.robertson(), method: .ros3p, span: 0...40, step: .adaptive(Tolerances(relative: 1e-5, absolute: 1e-10)))
        try expectFiniteDifferences(robertson, loss: StiffProblems.robertsonLoss, tolerance: 1e-5)
        let brusselator = try solve(StiffProblems.brusselator(points: 8), method: .ros3p, span: 0...1, step: .adaptive(Tolerances(relative: 1e-6, absolute: 1e-8)))
        try expectFiniteDifferences(brusselator, loss: StiffProblems.brusselatorLoss(points: 8), tolerance: 1e-5)
    }

    /// A running cost asked of a Rosenbrock method is a typed error naming the fix, from the
    /// gradient and from the value alike, not a crash.
    @Test func rosenbrockRefusesARunningCost() throws {
        let solution = try solve(StiffProblems.vanDerPol(), method: .ros3p, span: 0...1, step: .fixed(0.1))
        let energy = ODELoss.running(RunningCost(value: { _, y, _ in y[0] * y[0] }, gradient: { _, y, _, scale, yBar, _ in yBar[0] += 2 * scale * y[0] }))
        #expect(throws: ODEError.methodCannotIntegrateRunningCost(method: solution.method.name)) {
            _ = try solution.gradient(of: energy, checkpointing: .storeAll)
        }
        #expect(throws: ODEError.methodCannotIntegrateRunningCost(method: solution.method.name)) {
            _ = try solution.value(of: energy + StiffProblems.halfSquaredNorm)
        }
        #expect(ODEError.methodCannotIntegrateRunningCost(method: "ROS3P").description.contains("use a diagonally implicit method"))
    }

    @Test func rosenbrockSchedulesAreBitwiseEqualToStoreAll() throws {
        let solution = try solve(StiffProblems.vanDerPol(), method: .ros3p, span: 0...3, step: .adaptive(Tolerances(relative: 1e-5, absolute: 1e-7)))
        let reference = try solution.gradient(of: StiffProblems.halfSquaredNorm, checkpointing: .storeAll)
        for strategy in [Checkpointing<Vector>.revolve(memory: .slots(2)), .online(memory: .slots(3))] {
            let g = try solution.gradient(of: StiffProblems.halfSquaredNorm, checkpointing: strategy)
            #expect(g.initialState == reference.initialState && g.parameters == reference.parameters, "\(strategy)")
        }
    }
}

extension StiffProblemsTests {
    /// As the tolerances tighten, the discrete gradient approaches the continuous sensitivity
    /// (estimated by a much tighter solve): the error falls with rtol.
    @Test func robertsonGradientConvergesAsTolerancesTighten() throws {
        func gradient(_ rtol: Double) throws -> [Double] {
            let g = try solve(
                StiffProblems.robertson(), method: .kvaerno5, span: 0...40,
                step: .adaptive(Tolerances(relative: rtol, absolute: rtol * 1e-4)),
                newton: NewtonOptions(relative: 1e-12, absolute: 1e-16, maximumIterations: 30))
                .gradient(of: StiffProblems.robertsonLoss, checkpointing: .revolve(memory: .slots(8)))
            return g.initialState.scalars + g.parameters.scalars
        }
        let truth = try gradient(1e-10)
        let errors = try [1e-3, 1e-5, 1e-7].map { Self.relativeError(try gradient($0), truth) }
        #expect(errors[0] > errors[1] && errors[1] > errors[2], "errors \(errors)")
        #expect(errors[2] < 1e-5, "errors \(errors)")
    }
}
