import Foundation
import Testing
@testable import OptimalControl
@testable import RewindExamples
import RewindTestSupport

@Suite struct CartPoleSwingUpTests {
    /// Swift-AD dynamics through the RK4 adjoint: central differences agree.
    @Test func gradientMatchesFiniteDifferences() throws {
        let shooting = CartPoleSwingUp.shooting(intervals: 6, substeps: 2)
        var rng = SplitMix64(seed: 4)
        let u = (0..<shooting.controlCount).map { _ in rng.uniform(-15...15) }
        let (value, gradient) = try shooting.objectiveAndGradient(controls: u)
        #expect(value == shooting.makeModel().value(controls: u))
        for j in u.indices {
            var up = u, down = u
            up[j] += 1e-5; down[j] -= 1e-5
            let fd = (shooting.makeModel().value(controls: up) - shooting.makeModel().value(controls: down)) / 2e-5
            #expect(abs(fd - gradient[j]) <= 1e-6 * Swift.max(1, abs(fd)), "control \(j): \(fd) vs \(gradient[j])")
        }
    }

    /// A coarse swing-up (N = 20, 2 substeps): the pole ends near upright above x = d and the
    /// force never leaves ±u_max.
    @Test func swingsUp() throws {
        let result = try CartPoleSwingUp.run(intervals: 20, substeps: 2, optimizer: LBFGSB(maximumIterations: 600))
        let final = result.solution.states.last!
        #expect(abs(final[1] - Double.pi) <= 0.15 && abs(final[0] - 1) <= 0.15, "final state \(final)")
        #expect(result.solution.controls.allSatisfy { abs($0) <= CartPoleSwingUp.maximumForce })
        #expect(result.solution.constraintViolation <= 1e-6)
    }
}
