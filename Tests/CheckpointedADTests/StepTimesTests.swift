import Testing
@testable import CheckpointedAD

@Suite struct StepTimesTests {
    @Test func theMedianRunsAWarmUpThenUntilTheBudgetOrTheLimit() {
        var calls = 0
        // No budget: the warm-up and one timed run.
        #expect(medianSeconds(budget: 0, maxRepetitions: 15) { calls += 1 } > 0)
        #expect(calls == 2)
        // A budget no run can exhaust: the limit, warm-up included.
        calls = 0
        _ = medianSeconds(budget: 1e6, maxRepetitions: 7) { calls += 1 }
        #expect(calls == 7)
    }

    @Test func theFirstStepCarryingALoss() {
        #expect(LossSteps.final.first(steps: 40) == 40)
        #expect(LossSteps.all.first(steps: 40) == 0)
        #expect(LossSteps.every(10).first(steps: 40) == 10)
        #expect(LossSteps.every(50).first(steps: 40) == nil)
        #expect(LossSteps.at([-3, 41, 17, 5]).first(steps: 40) == 5)
        #expect(LossSteps.at([41]).first(steps: 40) == nil)
    }

    @Test func measuredTimesArePositiveAndOneLossGradientSeedsThePullbacks() {
        let x0 = Vector((0 ..< 256).map { Double($0) / 256 })
        let step = CheckpointedStep<Vector, Double, Vector, Double>(nonlinearStep)
        var pullbacks = 0
        let counting = CheckpointedLoss<Vector, Double, Vector, Double>(
            at: .final, value: { x, _, _ in x.halfSquaredNorm() },
            valueWithGradient: { x, _, _ in pullbacks += 1; return (x.halfSquaredNorm(), x, 0) })
        for losses in [[], [counting]] {
            let times = StepTimes.measure(step, at: x0, parameters: 1.3, losses: losses, steps: 40)
            #expect(times.advance > 0 && times.advance.isFinite && times.reverse > 0 && times.reverse.isFinite)
        }
        #expect(pullbacks == 1, "one loss gradient seeds the timed pullbacks")
    }
}
