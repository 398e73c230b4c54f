import CheckpointedAD
import Foundation
import Testing
@testable import AdjointODE

/// GMRES and the Jacobian-free Newton–Krylov path against the banded LU.
@Suite struct MatrixFreeTests {
    @Test func gmresSolvesANonSymmetricSystemAndItsTranspose() throws {
        let n = 40
        // A = tridiag(−1, 4, −2) plus a coupling to m + 5: non-symmetric, well conditioned.
        func apply(_ v: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, transposed: Bool) {
            for m in 0..<n { out[m] = 4 * v[m] }
            for m in 0..<n {
                let pairs = [(m - 1, -1.0), (m + 1, -2.0), (m + 5, 0.5)]
                for (k, a) in pairs where k >= 0 && k < n {
                    if transposed { out[k] += a * v[m] } else { out[m] += a * v[k] }
                }
            }
        }
        let gmres = GMRES(dimension: n, restart: 8)
        for transposed in [false, true] {
            let b = (0..<n).map { cos(Double($0)) }
            var x = b
            let iterations = try x.withUnsafeMutableBufferPointer { xb in
                try gmres.solve(xb.baseAddress!, tolerance: 1e-12, maximumIterations: 200,
                                product: { apply($0, $1, transposed: transposed) }, preconditioner: nil)
            }
            var ax = [Double](repeating: 0, count: n)
            x.withUnsafeBufferPointer { xb in ax.withUnsafeMutableBufferPointer { apply(xb.baseAddress!, $0.baseAddress!, transposed: transposed) } }
            let residual = zip(ax, b).map { abs($0 - $1) }.max()!
            #expect(residual < 1e-10, "transposed \(transposed): residual \(residual) after \(iterations) iterations")
            #expect(iterations > 8, "a restart should have happened")
        }
    }

    @Test func gmresThatCannotConvergeIsATypedError() {
        let gmres = GMRES(dimension: 10, restart: 2)
        var x = [Double](repeating: 0, count: 10)
        x[0] = 1
        // A = the cyclic shift and b = e₀: GMRES(2) stagnates (the solution is e₁).
        #expect(throws: LinearAlgebraError.self) {
            try x.withUnsafeMutableBufferPointer { xb in
                try gmres.solve(xb.baseAddress!, tolerance: 1e-12, maximumIterations: 6,
                                product: { v, out in for m in 0..<10 { out[m] = v[(m + 1) % 10] } }, preconditioner: nil)
            }
        }
    }

    @Test func matrixFreeGradientMatchesTheBandedOne() throws {
        let banded = TestProblems.diffusion(points: 20)
        let y0 = Vector((0..<40).map { 1 + 0.5 * sin(Double($0) / 3) })
        let loss = ODELoss.finalState(
            value: { y in y.reduce(0) { $0 + $1 * $1 } / 2 },
            gradient: { y, s, yBar in for m in 0..<y.count { yBar[m] += s * y[m] } })
        func gradient(_ rhs: RightHandSide) throws -> ([Double], SolveStatistics) {
            let solution = try solve(ODEProblem(rightHandSide: rhs, initialState: y0, parameters: [30]), method: .kvaerno3, span: 0...0.5, step: .fixed(0.05))
            let g = try solution.gradient(of: loss, checkpointing: .revolve(memory: .slots(3)))
            return (g.initialState.scalars + g.parameters.scalars, solution.statistics)
        }
        let (reference, _) = try gradient(banded)
        let (free, statistics) = try gradient(banded.withJacobianStructure(.matrixFree(tolerance: 1e-12)))
        let (preconditioned, preconditionedStatistics) = try gradient(
            banded.withJacobianStructure(.matrixFree(tolerance: 1e-12)).withPreconditioner { _, _, p, sigma, v, _ in
                Self.solveDiffusion(v, points: 20, shift: sigma * p[0])  // the reaction-free part, exactly
            })
        let scale = reference.map(abs).max()!
        #expect(zip(free, reference).map { abs($0 - $1) }.max()! / scale < 1e-7)
        #expect(zip(preconditioned, reference).map { abs($0 - $1) }.max()! / scale < 1e-7)
        #expect(statistics.jacobianEvaluations == 0 && statistics.krylovIterations > 0)
        // GMRES's arithmetic is in a fixed order: the checkpointed gradient is store-all's, bit for bit.
        let matrixFree = ODEProblem(rightHandSide: banded.withJacobianStructure(.matrixFree(tolerance: 1e-12)), initialState: y0, parameters: [30])
        let solution = try solve(matrixFree, method: .kvaerno3, span: 0...0.5, step: .fixed(0.05))
        let storeAll = try solution.gradient(of: loss, checkpointing: .storeAll)
        let revolve = try solution.gradient(of: loss, checkpointing: .revolve(memory: .slots(2)))
        #expect(storeAll.initialState == revolve.initialState && storeAll.parameters == revolve.parameters)
        #expect(preconditionedStatistics.krylovIterations < statistics.krylovIterations)
    }

    /// v ← (I − σc Δ)⁻¹ v for each of the two interleaved species (Δ with zero boundaries),
    /// by the Thomas algorithm: the preconditioner of the diffusion problem (symmetric, so
    /// the transposed application is the same).
    static func solveDiffusion(_ v: UnsafeMutableBufferPointer<Double>, points n: Int, shift: Double) {
        for species in 0..<2 {
            var diagonal = [Double](repeating: 1 + 2 * shift, count: n)
            var rhs = (0..<n).map { v[2 * $0 + species] }
            for i in 1..<n {
                let factor = -shift / diagonal[i - 1]
                diagonal[i] -= factor * -shift
                rhs[i] -= factor * rhs[i - 1]
            }
            var x = [Double](repeating: 0, count: n)
            x[n - 1] = rhs[n - 1] / diagonal[n - 1]
            for i in stride(from: n - 2, through: 0, by: -1) { x[i] = (rhs[i] + shift * x[i + 1]) / diagonal[i] }
            for i in 0..<n { v[2 * i + species] = x[i] }
        }
    }
}
