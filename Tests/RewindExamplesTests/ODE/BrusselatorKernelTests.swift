import AdjointODE
import CheckpointedAD
import Kernels
import RewindExamples
import RewindTestSupport
import Testing

/// The Brusselator written as a coupled per-site kernel (Swift AD derives its pullback)
/// against the hand-written right-hand side and VJP in StiffProblems: the same values and
/// cotangents, and the same implicit solve and discrete-adjoint gradient through `solve(…)`.
@Suite struct BrusselatorKernelTests {
    /// Sizes: no interior point (2), no block of eight (3), blocks and leftovers (37).
    @Test(arguments: [2, 3, 37])
    func kernelMatchesTheHandWrittenRightHandSideAndPullback(points n: Int) {
        let byHand = StiffProblems.brusselatorRightHandSide(points: n)
        let kernel = RightHandSide(kernel: StiffProblems.brusselatorKernel(points: n), dimension: 2 * n)
        var generator = SplitMix64(seed: 5)
        let y = (0..<(2 * n)).map { _ in 2 + generator.uniform(-1...1) }
        let w = (0..<(2 * n)).map { _ in generator.uniform(-1...1) }
        let alpha = [0.02]
        func evaluate(_ f: RightHandSide) -> [Double] {
            var out = [Double](repeating: .nan, count: 2 * n)
            y.withUnsafeBufferPointer { yp in alpha.withUnsafeBufferPointer { pp in
                out.withUnsafeMutableBufferPointer { f.evaluate(0, yp, pp, $0) } } }
            return out
        }
        func pullback(_ f: RightHandSide) -> ([Double], [Double]) {
            var yBar = [Double](repeating: .nan, count: 2 * n), pBar = [0.5]
            y.withUnsafeBufferPointer { yp in alpha.withUnsafeBufferPointer { pp in w.withUnsafeBufferPointer { wp in
                yBar.withUnsafeMutableBufferPointer { yb in pBar.withUnsafeMutableBufferPointer { f.pullback(0, yp, pp, wp, yb, $0) } } } } }
            return (yBar, pBar)
        }
        #expect(maxRelativeError(evaluate(kernel), evaluate(byHand)) < 1e-14)
        let (kernelY, kernelP) = pullback(kernel), (handY, handP) = pullback(byHand)
        #expect(maxRelativeError(kernelY, handY) < 1e-14)
        #expect(maxRelativeError(kernelP, handP) < 1e-14, "the parameter cotangent is added to what pBar held")
        #expect(kernel.jacobianStructure == (n > 2 ? .banded(lower: 3, upper: 3) : .dense))
    }

    /// Kvaerno 3 on a fixed grid with the kernel right-hand side (banded LU with half-bandwidth
    /// 3) against the hand-written one (half-bandwidth 2): the same solution and gradient up
    /// to Newton's tolerance, and a checkpointed gradient bitwise equal to store-all.
    @Test func implicitSolveAndGradientMatchTheHandWrittenProblem() throws {
        let n = 12
        let reference = StiffProblems.brusselator(points: n)
        var viaKernel = reference
        viaKernel.rightHandSide = RightHandSide(kernel: StiffProblems.brusselatorKernel(points: n), dimension: 2 * n)
        let loss = StiffProblems.brusselatorLoss(points: n)
        let a = try solve(reference, method: .kvaerno3, span: 0...1, step: .fixed(0.05))
        let b = try solve(viaKernel, method: .kvaerno3, span: 0...1, step: .fixed(0.05))
        #expect(maxRelativeError(b.finalState.scalars, a.finalState.scalars) < 1e-9)
        let ga = try a.gradient(of: loss, checkpointing: .storeAll)
        let gb = try b.gradient(of: loss, checkpointing: .storeAll)
        #expect(maxRelativeError(gb.initialState.scalars, ga.initialState.scalars) < 1e-8)
        #expect(maxRelativeError(gb.parameters.scalars, ga.parameters.scalars) < 1e-8)
        let checkpointed = try b.gradient(of: loss, checkpointing: .revolve(memory: .slots(3)))
        #expect(checkpointed.initialState == gb.initialState && checkpointed.parameters == gb.parameters)
    }

    /// max |a − b| / max |b|.
    func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
        let scale = Swift.max(b.map(abs).max() ?? 0, 1e-300)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }
}
