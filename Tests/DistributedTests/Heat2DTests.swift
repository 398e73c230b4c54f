import CheckpointedAD
import Distributed
import DistributedExamples
import Foundation
import Testing

/// The heat step and its gradient in one process, against independent truths: the
/// dot-product test of the step's pullback, central finite differences, and store-all.
@Suite struct Heat2DTests {
    let problem = Heat2D(rows: 8, columns: 6, steps: 12, diffusion: 1.1, courant: 0.2)

    /// The step is linear in u, so J v = F(v): ⟨ȳ, F(v)⟩ = ⟨Jᵀȳ, v⟩.
    @Test func stepPullbackIsTheTransposeOfTheStep() throws {
        let halo = try SerialHaloExchange(rows: problem.rows, columns: problem.columns)
        let step = problem.step(halo: halo)
        let cells = problem.rows * problem.columns
        let v = Vector((0..<cells).map { sin(Double($0) * 0.37) })
        let ybar = Vector((0..<cells).map { cos(Double($0) * 0.91) })
        let (_, pullback) = step.valueWithPullback(problem.initialStrip(firstRow: 0, rows: problem.rows), problem.diffusion, 0)
        let xbar = pullback(ybar).0
        let lhs = zip(ybar.scalars, step.forward(v, problem.diffusion, 0).scalars).map { $0 * $1 }.reduce(0, +)
        let rhs = zip(xbar.scalars, v.scalars).map { $0 * $1 }.reduce(0, +)
        #expect(abs(lhs - rhs) <= 1e-13 * abs(lhs), "\(lhs) vs \(rhs)")
    }

    /// ∂L/∂ν and ∂L/∂u[0] at two cells against central differences.
    @Test func gradientMatchesFiniteDifferences() throws {
        let halo = try SerialHaloExchange(rows: problem.rows, columns: problem.columns)
        let x0 = problem.initialStrip(firstRow: 0, rows: problem.rows)
        func loss(_ x: Vector, _ nu: Double) throws -> Double {
            try valueWithCheckpointedGradient(
                at: x, parameters: nu, steps: problem.steps, checkpointing: .storeAll,
                step: problem.step(halo: halo), losses: [Heat2D.loss]).value
        }
        let g = try valueWithCheckpointedGradient(
            at: x0, parameters: problem.diffusion, steps: problem.steps, checkpointing: .storeAll,
            step: problem.step(halo: halo), losses: [Heat2D.loss])
        let h = 1e-5
        let nuDifference = (try loss(x0, problem.diffusion + h) - loss(x0, problem.diffusion - h)) / (2 * h)
        let nuGradient = g.parameters.scalars.reduce(0, +)
        #expect(abs(nuGradient - nuDifference) <= 1e-6 * abs(nuDifference), "\(nuGradient) vs \(nuDifference)")
        for cell in [0, 29] {
            var plus = x0, minus = x0
            plus.scalars[cell] += h
            minus.scalars[cell] -= h
            let difference = (try loss(plus, problem.diffusion) - loss(minus, problem.diffusion)) / (2 * h)
            #expect(abs(g.initialState.scalars[cell] - difference) <= 1e-6 * abs(difference))
        }
    }

    /// Revolve with three slots gives the store-all gradient bit for bit.
    @Test func checkpointedEqualsStoreAll() throws {
        let reference = try DistributedHeatRun.serialGradient(of: problem, checkpointing: .storeAll)
        let revolve = try DistributedHeatRun.serialGradient(of: problem, checkpointing: .revolve(memory: .slots(3)))
        #expect(revolve.loss.bitPattern == reference.loss.bitPattern)
        #expect(revolve.diffusionGradient.bitPattern == reference.diffusionGradient.bitPattern)
        #expect(revolve.initialGradientSHA256 == reference.initialGradientSHA256)
        #expect(revolve.advances > reference.advances)
    }

    @Test func unstableCoefficientIsRejected() {
        #expect(Heat2D(rows: 4, columns: 4, steps: 1, diffusion: 2, courant: 0.2).problem?.contains("stable") == true)
        #expect(problem.problem == nil)
    }

    /// The block step gives the strip step's loss and ∂L/∂u[0] bit for bit (the same
    /// expression per cell, the same order of each cell's five contributions); ∂L/∂ν is
    /// summed in another fixed order and agrees to rounding.
    @Test func blocksAndStripsAgree() throws {
        let strips = try DistributedHeatRun.serialGradient(of: problem, layout: .strips)
        let blocks = try DistributedHeatRun.serialGradient(of: problem, layout: .blocks)
        #expect(blocks.loss.bitPattern == strips.loss.bitPattern)
        #expect(blocks.initialGradientSHA256 == strips.initialGradientSHA256)
        #expect(abs(blocks.diffusionGradient - strips.diffusionGradient) <= 1e-12 * abs(strips.diffusionGradient))
    }
}
