import CheckpointSchedules
import CheckpointedAD
import Foundation
import Testing
import RewindExamples
@testable import AdjointODE

/// Gradients through the discrete adjoint: analytic sensitivities, finite differences,
/// bitwise equality with store-all, and convergence at the method's order.
@Suite struct ODESolutionGradientTests {
    static let halfSquaredNorm = ODELoss.finalState(
        value: { y in
            var sum = 0.0
            for m in 0..<y.count { sum += y[m] * y[m] }
            return 0.5 * sum
        },
        gradient: { y, scale, yBar in for m in 0..<y.count { yBar[m] += scale * y[m] } })

    /// A loss with every kind of term: final state, observations (t₀ included), running cost.
    static let mixedLoss: ODELoss = {
        let terminal = ODELoss.finalState(
            value: { y in y[0] * y[0] + sin(y[1]) },
            gradient: { y, scale, yBar in
                yBar[0] += scale * 2 * y[0]
                yBar[1] += scale * cos(y[1])
            })
        let observations = ODELoss.observations(
            times: [0, 0.5, 1, 1.5], data: [[0.6, -0.3], [0.5, 0.2], [0.1, 0.4], [-0.2, 0.1]], weights: [1, 2])
        let running = ODELoss.running(RunningCost(
            value: { t, y, p in 0.5 * y[0] * y[0] + p[2] * sin(t) * y[1] },
            gradient: { t, y, p, scale, yBar, pBar in
                yBar[0] += scale * y[0]
                yBar[1] += scale * p[2] * sin(t)
                pBar[2] += scale * sin(t) * y[1]
            }))
        return terminal + observations + running
    }()

    let pendulum = ODEProblem(rightHandSide: TestProblems.forcedPendulum, initialState: [0.7, -0.4], parameters: [1.3, 0.2, 0.5])

    // MARK: Analytic sensitivities

    @Test func exponentialDecayMatchesTheAnalyticSensitivities() throws {
        // L = y(T) = y0 e^{−kT}: ∂L/∂y0 = e^{−kT}, ∂L/∂k = −T y0 e^{−kT}.
        let (y0, k, T) = (2.0, 0.7, 2.0)
        let problem = ODEProblem(rightHandSide: TestProblems.decay, initialState: [y0], parameters: [k])
        let solution = try solve(problem, method: .rk4, span: 0...T, step: .fixed(1e-3))
        let g = try solution.gradient(of: .finalState(value: { $0[0] }, gradient: { _, s, yBar in yBar[0] += s }), checkpointing: .revolve(memory: .slots(10)))
        #expect(abs(g.value - y0 * exp(-k * T)) < 1e-12)
        #expect(abs(g.initialState.scalars[0] - exp(-k * T)) < 1e-12)
        #expect(abs(g.parameters.scalars[0] + T * y0 * exp(-k * T)) < 1e-11)
    }

    static func rotationScalingSensitivities(a: Double, b: Double, y0: [Double], T: Double) -> (state: [Double], matrix: [Double]) {
        let exact = AdjointConvergence.exactSensitivities(a: a, b: b, initialState: y0, horizon: T)
        return (exact.state, exact.parameters)
    }

    @Test func linearSystemMatchesTheAnalyticSensitivities() throws {
        let (a, b, T) = (-0.1, 2.0, 3.0)
        let y0 = [1.0, 0.5]
        let problem = ODEProblem(rightHandSide: AdjointConvergence.linear, initialState: Vector(y0), parameters: [a, b, -b, a])
        let solution = try solve(problem, method: .dormandPrince54, span: 0...T, step: .fixed(0.005))
        let g = try solution.gradient(of: Self.halfSquaredNorm, checkpointing: .revolve(memory: .slots(8)))
        let exact = Self.rotationScalingSensitivities(a: a, b: b, y0: y0, T: T)
        #expect(TestProblems.relativeError(g.initialState.scalars, exact.state) < 1e-10)
        #expect(TestProblems.relativeError(g.parameters.scalars, exact.matrix) < 1e-10)
    }

    @Test(arguments: ButcherTableau.all)
    func gradientErrorShrinksAtTheMethodsOrder(method: ButcherTableau) throws {
        // Pre-asymptotic rows first: the last ratio (n = 32 → 64, or 16 → 32 for order 5) decides.
        let rows = try AdjointConvergence.table(methods: [method], steps: method.order >= 5 ? 8 : 16, doublings: 2)
        let observed = try #require(rows.last?.observedOrder)
        #expect(abs(observed - Double(method.order)) < 0.3, "\(method.name): observed order \(observed), rows \(rows)")
        #expect(rows.last!.error < rows.first!.error)
    }

    // MARK: Finite differences

    func checkAgainstFiniteDifferences(
        _ solution: ODESolution, loss: ODELoss, checkpointing: Checkpointing<Vector>, tolerance: Double, label: String
    ) throws {
        let g = try solution.gradient(of: loss, checkpointing: checkpointing)
        #expect(g.value == (try solution.value(of: loss)), "\(label): value")
        let fdState = try TestProblems.finiteDifferenceGradient(at: solution.problem.initialState.scalars) {
            try solution.value(of: loss, initialState: Vector($0))
        }
        let fdParameters = try TestProblems.finiteDifferenceGradient(at: solution.problem.parameters.scalars) {
            try solution.value(of: loss, parameters: Vector($0))
        }
        #expect(TestProblems.relativeError(g.initialState.scalars, fdState) < tolerance, "\(label): ∂L/∂y0 \(g.initialState) vs \(fdState)")
        #expect(TestProblems.relativeError(g.parameters.scalars, fdParameters) < tolerance, "\(label): ∂L/∂p \(g.parameters) vs \(fdParameters)")
    }

    @Test(arguments: ButcherTableau.all)
    func fixedStepGradientMatchesFiniteDifferences(method: ButcherTableau) throws {
        let solution = try solve(pendulum, method: method, span: 0...2, step: .fixed(0.05))
        try checkAgainstFiniteDifferences(
            solution, loss: Self.mixedLoss, checkpointing: .revolve(memory: .slots(4)), tolerance: 1e-7, label: method.name)
    }

    @Test(arguments: ButcherTableau.all.filter(\.isEmbedded))
    func adaptiveGradientMatchesFiniteDifferencesOnTheRecordedGrid(method: ButcherTableau) throws {
        let solution = try solve(
            pendulum, method: method, span: 0...2, tolerances: Tolerances(relative: 1e-6, absolute: 1e-8),
            saveAt: [0.5, 1, 1.5])
        #expect(solution.grid.isRecorded && solution.grid.count > 5)
        try checkAgainstFiniteDifferences(
            solution, loss: Self.mixedLoss, checkpointing: .revolve(memory: .slots(4)), tolerance: 1e-7, label: method.name)
    }

    @Test func adaptiveGradientApproachesTheTrueSensitivityAsTolerancesTighten() throws {
        let (a, b, T) = (-0.1, 2.0, 3.0)
        let y0 = [1.0, 0.5]
        let exact = Self.rotationScalingSensitivities(a: a, b: b, y0: y0, T: T)
        let problem = ODEProblem(rightHandSide: AdjointConvergence.linear, initialState: Vector(y0), parameters: [a, b, -b, a])
        var previous = Double.infinity
        for rtol in [1e-4, 1e-7, 1e-10] {
            let g = try solve(problem, span: 0...T, tolerances: Tolerances(relative: rtol, absolute: rtol)).gradient(of: Self.halfSquaredNorm)
            let error = TestProblems.relativeError(g.parameters.scalars, exact.matrix)
            #expect(error < previous && error < 1e3 * rtol, "rtol \(rtol): error \(error)")
            previous = error
        }
    }

    // MARK: Checkpointing

    @Test func checkpointedGradientsAreBitwiseEqualToStoreAll() throws {
        for step in [StepSize.fixed(0.01), .adaptive(Tolerances(relative: 1e-8))] {
            let reference = try solve(pendulum, method: .tsitouras54, span: 0...2, step: step, saveAt: [0.5, 1, 1.5])
                .gradient(of: Self.mixedLoss, checkpointing: .storeAll)
            let stateBytes = 3 * 8
            for memory in [MemoryBudget.slots(1), .slots(2), .slots(7), .bytes(20_000 + 12 * stateBytes)] {
                let g = try solve(pendulum, method: .tsitouras54, span: 0...2, step: step, saveAt: [0.5, 1, 1.5])
                    .gradient(of: Self.mixedLoss, checkpointing: .revolve(memory: memory))
                #expect(g.value == reference.value, "\(step) \(memory)")
                #expect(g.initialState == reference.initialState, "\(step) \(memory)")
                #expect(g.parameters == reference.parameters, "\(step) \(memory)")
                #expect(g.finalState == reference.finalState, "\(step) \(memory)")
            }
        }
    }

    @Test(arguments: [2, 7, 64])
    func groupedStepsGiveTheSameGradient(stepsPerCheckpoint k: Int) throws {
        for step in [StepSize.fixed(0.01), .adaptive(Tolerances(relative: 1e-8))] {
            func gradient(_ checkpointing: Checkpointing<Vector>, stepsPerCheckpoint: Int = 1) throws -> ODEGradient {
                try solve(pendulum, method: .dormandPrince54, span: 0...2, step: step, saveAt: [0.5, 1, 1.5])
                    .gradient(of: Self.mixedLoss, checkpointing: checkpointing, stepsPerCheckpoint: stepsPerCheckpoint)
            }
            let single = try gradient(.revolve(memory: .slots(5)))
            let grouped = try gradient(.revolve(memory: .slots(5)), stepsPerCheckpoint: k)
            let groupedStoreAll = try gradient(.storeAll, stepsPerCheckpoint: k)
            #expect(grouped.value == single.value, "k = \(k), \(step)")
            #expect(grouped.initialState == single.initialState, "k = \(k), \(step)")
            #expect(TestProblems.relativeError(grouped.parameters.scalars, single.parameters.scalars) < 1e-13)
            #expect(grouped.parameters == groupedStoreAll.parameters && grouped.initialState == groupedStoreAll.initialState)
            #expect(grouped.statistics.steps == (single.statistics.steps + k - 1) / k)
        }
    }

    @Test func slotBudgetRunsRevolveWithItsMinimalAdvances() throws {
        let solution = try solve(pendulum, method: .rk4, span: 0...2, step: .fixed(0.01))
        let g = try solution.gradient(of: Self.halfSquaredNorm, checkpointing: .revolve(memory: .slots(5)))
        #expect(g.statistics.steps == 200)
        #expect(g.statistics.reverses == 200)
        #expect(g.statistics.advances == (try BinomialCheckpointing.minimalAdvances(steps: 200, slots: 5)))
    }

    @Test func byteBudgetCoversCheckpointsAndTheAdjointsWorkingSet() throws {
        let budget = 30_000
        let solution = try solve(
            pendulum, method: .dormandPrince54, span: 0...4, tolerances: Tolerances(relative: 1e-9))
        let g = try solution.gradient(of: Self.halfSquaredNorm, checkpointing: .revolve(memory: .bytes(budget)))
        #expect(g.statistics.reservedBytes >= solution.grid.recordedBytes && solution.grid.recordedBytes > 0)
        #expect(g.statistics.reservedBytes + g.statistics.peakCheckpointBytes + 3 * g.statistics.stateBytes <= budget)
        #expect(throws: ODEError.self) {
            try solve(pendulum, method: .dormandPrince54, span: 0...4, tolerances: Tolerances(relative: 1e-9))
                .gradient(of: Self.halfSquaredNorm, checkpointing: .revolve(memory: .bytes(500)))
        }
    }

    @Test func observationsOffTheGridAreATypedError() throws {
        let solution = try solve(pendulum, method: .rk4, span: 0...1, step: .fixed(0.1))
        #expect(throws: ODEError.timeNotOnGrid(time: 0.25)) {
            try solution.gradient(of: .observations(times: [0.25], data: [[0, 0]]))
        }
    }
}
