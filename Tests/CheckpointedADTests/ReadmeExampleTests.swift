import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import Foundation
import Testing

/// The README's library example, compiled and checked: a gradient under a memory budget
/// equals the store-all gradient bit for bit.
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleMatchesStoreAll() throws {
        // --- README example (keep in sync with README.md) ---
        // Heat equation u' = ν·Δu (periodic, explicit Euler): 5 000 steps of a 500-cell state.
        @differentiable(reverse)
        func heatStep(_ u: Vector, _ nu: Double, _ i: Int) -> Vector {
            let laplacian = u.rolled(by: 1) + u.rolled(by: -1) - 2 * u
            return u + (0.2 * nu) * laplacian
        }
        @differentiable(reverse)
        func loss(_ u: Vector) -> Double { u.halfSquaredNorm() }

        let u0 = Vector((0..<500).map { i in 1 + sin(Double(i) * 2 * .pi / 100) })
        let result = try valueWithCheckpointedGradient(
            at: u0, parameters: 1.0, steps: 5_000,
            checkpointing: .revolve(memory: .megabytes(1)),   // storing all 5 001 states: 20 MB
            step: heatStep, loss: loss)
        print(result.value, result.parameters, result.initialState.count)   // L, dL/dν, dL/du0
        print(result.statistics.advances, result.statistics.peakCheckpointBytes)
        // --- end of README example ---

        let storeAll = try valueWithCheckpointedGradient(at: u0, parameters: 1.0, steps: 5_000,
            checkpointing: .schedule(try StoreAll(steps: 5_000)), step: heatStep, loss: loss)
        #expect(result.value == storeAll.value)
        #expect(result.parameters == storeAll.parameters)
        #expect(result.initialState == storeAll.initialState)
        #expect(result.statistics.peakCheckpointBytes <= 1_000_000)
        #expect(result.statistics.advances > 5_000 - 1)
    }
}
