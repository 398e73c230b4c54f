import _Differentiation
import CheckpointSchedules
import Testing
@testable import CheckpointedAD

/// Bad input gives typed errors that carry the values and say the fix.
@Suite struct CheckpointingErrorTests {
    @Test func negativeStepCount() {
        #expect(throws: CheckpointingError.negativeStepCount(-1)) {
            try valueWithCheckpointedPullback(at: Vector([1]), parameters: 1.0, steps: -1, checkpointing: .storeAll, step: CheckpointedStep(nonlinearStep))
        }
    }

    @Test func budgetTooSmallStatesTheMinimum() {
        let x0 = Vector(repeating: 0, count: 1000)   // 8000 bytes
        var options = CheckpointingOptions()
        options.workspaceStates = 1
        // 5 working copies + 1 slot = 48 000 bytes.
        #expect(throws: CheckpointingError.budgetTooSmall(budgetBytes: 47_999, minimumBytes: 48_000, stateBytes: 8000, reservedBytes: 0)) {
            try valueWithCheckpointedGradient(at: x0, parameters: 1.0, steps: 10,
                checkpointing: .revolve(memory: .bytes(47_999)), options: options, step: nonlinearStep,
                loss: { $0.sum() })
        }
        let error = CheckpointingError.budgetTooSmall(budgetBytes: 47_999, minimumBytes: 48_000, stateBytes: 8000, reservedBytes: 0)
        #expect(error.description.contains("48000"))
        #expect(throws: Never.self) {
            try valueWithCheckpointedGradient(at: x0, parameters: 1.0, steps: 10,
                checkpointing: .revolve(memory: .bytes(48_000)), options: options, step: nonlinearStep,
                loss: { $0.sum() })
        }
    }

    @Test func nonFiniteStateNamesTheStep() {
        var options = CheckpointingOptions()
        options.checksFiniteness = true
        // x[i+1] = x / (3 − i): step 3 divides by zero, so x4 is infinite.
        let step: @differentiable(reverse) (Vector, Double, @noDerivative Int) -> Vector = { x, _, i in x * (1 / Double(3 - i)) }
        #expect(throws: CheckpointingError.nonFiniteState(step: 4)) {
            try valueWithCheckpointedGradient(at: Vector([1, 2]), parameters: 0.0, steps: 8,
                checkpointing: .revolve(memory: .slots(3)), options: options, step: step, loss: { $0.sum() })
        }
    }

    @Test func nonDeterministicStepNamesTheStep() {
        final class Flaky { var calls = 0 }
        let flaky = Flaky()
        var options = CheckpointingOptions()
        options.checksDeterminism = true
        // Step 5 returns a different bit pattern on its second execution.
        let step = CheckpointedStep<Double, Double, Double, Double>(
            forward: { x, a, i in
                if i == 5 { flaky.calls += 1; return flaky.calls > 1 ? a * x + 1e-15 : a * x }
                return a * x
            },
            valueWithPullback: { x, a, _ in (a * x, { ($0 * a, $0 * x) }) })
        #expect(throws: CheckpointingError.nonDeterministicStep(step: 6)) {
            try valueWithCheckpointedGradient(at: 1.0, parameters: 1.5, steps: 20,
                checkpointing: .revolve(memory: .slots(2)), options: options, step: step,
                losses: [CheckpointedLoss(at: .final, value: { x, _, _ in x }, valueWithGradient: { x, _, _ in (x, 1, 0) })])
        }
    }

    @Test func scheduleForOtherStepCount() throws {
        #expect(throws: CheckpointingError.scheduleStepMismatch(scheduleSteps: 9, steps: 10)) {
            try valueWithCheckpointedGradient(at: Vector([1]), parameters: 1.0, steps: 10,
                checkpointing: .schedule(try Revolve(steps: 9, slots: 2)), step: nonlinearStep, loss: { $0.sum() })
        }
        #expect(throws: CheckpointingError.missingStore(level: .disk, slots: 3)) {
            try valueWithCheckpointedGradient(at: Vector([1]), parameters: 1.0, steps: 10,
                checkpointing: .schedule(try Revolve(steps: 10, slots: 3, level: .disk)), step: nonlinearStep,
                loss: { $0.sum() })
        }
    }

    @Test func unmeasurableStateWithByteBudget() {
        struct Opaque { var x: Double }
        let step = CheckpointedStep<Opaque, Double, Double, Double>(
            forward: { s, a, _ in Opaque(x: s.x * a) },
            valueWithPullback: { s, a, _ in (Opaque(x: s.x * a), { ($0 * a, $0 * s.x) }) })
        #expect(throws: CheckpointingError.unmeasurableState(type: "Opaque")) {
            try valueWithCheckpointedPullback(at: Opaque(x: 1), parameters: 2.0, steps: 3, checkpointing: .revolve(memory: .megabytes(1)), step: step)
        }
    }
}
