import CheckpointedAD
import Testing
@testable import AdjointODE
@testable import RewindExamples

/// The examples run small, and every check they make passes.
@Suite struct ODEExamplesTests {
    func expectPassed(_ result: ODEExampleResult) {
        #expect(result.passed, "\(result)")
        #expect(!result.checks.isEmpty)
        #expect(result.loss.isFinite)
    }

    @Test func lorenz63Sensitivity() throws {
        let result = try ODEExamples.lorenz63Sensitivity(horizon: 1, step: .adaptive(Tolerances(relative: 1e-8, absolute: 1e-10)))
        expectPassed(result)
        #expect(result.parameterGradient.count == 3)
    }

    @Test func lorenz96SmallWithStoreAllComparison() throws {
        let result = try ODEExamples.lorenz96(sites: 40, steps: 400, horizon: 2, memory: .slots(8), compareWithStoreAll: true)
        expectPassed(result)
        #expect(result.checks.contains { $0.name.contains("store-all") })
        #expect(result.checkpointing.reverses == 400)
    }

    @Test func lorenz96AtTheChaoticHorizonComparesTwoSchedulesBitwise() throws {
        let result = try ODEExamples.lorenz96(sites: 40, steps: 1000, horizon: 10, memory: .slots(12))
        expectPassed(result)
        #expect(result.checks.count == 1 && result.checks[0].name.contains("Revolve(4 slots)"))
        #expect(abs(result.parameterGradient.scalars[0]) > 1e5)  // the chaotic growth the FD check cannot follow
    }

    @Test func viscousBurgersByTheMethodOfLines() throws {
        let result = try ODEExamples.viscousBurgers(cells: 200, horizon: 0.05, memory: .bytes(200_000), compareWithStoreAll: true)
        expectPassed(result)
    }

    @Test func lotkaVolterraParametersAreRecoveredFromSyntheticData() throws {
        let result = try ODEExamples.lotkaVolterraFit(horizon: 6, tolerances: Tolerances(relative: 1e-9, absolute: 1e-11))
        expectPassed(result)
        #expect(result.loss < 1e-12, "\(result)")
    }
}
