import Synchronization
import Testing
@testable import OptimalControl
@testable import RewindExamples

@Suite struct VanDerPolTests {
    /// N = 20, k = 4 with the **default** L-BFGS-B settings: the optimum 2.933007288660799
    /// (CasADi 3.8.2, IPOPT with exact Hessian; SciPy's L-BFGS-B with complex-step gradients
    /// of a NumPy RK4 transcription gives 2.933007289243 at `gtol=1e-7`) within 1e-8
    /// relative, and the result says why it stopped and how small the projected gradient is.
    @Test func vanDerPolDefaultsConvergeInsideTheBounds() throws {
        let result = try VanDerPol.run(intervals: 20, substeps: 4)
        let solution = result.solution
        #expect(solution.stopReason.isConverged, "\(solution.stopReason)")
        #expect(abs(solution.objective - 2.933007288660799) <= 1e-8 * 2.933007288660799, "\(solution.objective)")
        #expect(solution.optimality == solution.optimization!.projectedGradientNorm && solution.optimality < 1e-4)
        #expect(solution.stopSummary.contains("projected gradient"))
        #expect(solution.controls.allSatisfy { -1 <= $0 && $0 <= 1 })
        #expect(solution.controls.contains { $0 == 1 }, "the upper bound on u is active at the optimum")
        #expect(solution.states.count == 21 && solution.states[0] == [0, 1])
    }

    @Test func dynamicsPullbackMatchesFiniteDifferences() {
        let x = [0.3, -0.7], u = [0.4], v = [1.3, -0.6]
        var xBar = [0.0, 0.0], uBar = [0.0]
        func f(_ x: [Double], _ u: [Double]) -> [Double] {
            var out = [0.0, 0.0]
            x.withUnsafeBufferPointer { xb in u.withUnsafeBufferPointer { ub in
                out.withUnsafeMutableBufferPointer { VanDerPol.dynamics.evaluate(0, xb, ub, UnsafeBufferPointer(start: nil, count: 0), $0) }
            } }
            return out
        }
        x.withUnsafeBufferPointer { xb in u.withUnsafeBufferPointer { ub in v.withUnsafeBufferPointer { vb in
            xBar.withUnsafeMutableBufferPointer { xo in uBar.withUnsafeMutableBufferPointer { uo in
                VanDerPol.dynamics.pullback(0, xb, ub, UnsafeBufferPointer(start: nil, count: 0), vb, xo, uo)
            } }
        } } }
        let h = 1e-6
        for i in 0..<2 {
            var up = x, down = x
            up[i] += h; down[i] -= h
            let fd = zip(zip(f(up, u), f(down, u)).map { ($0 - $1) / (2 * h) }, v).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(fd - xBar[i]) <= 1e-8)
        }
        let fdU = zip(zip(f(x, [u[0] + h]), f(x, [u[0] - h])).map { ($0 - $1) / (2 * h) }, v).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(fdU - uBar[0]) <= 1e-8)
    }

    /// Every control value the dynamics ever see during a solve lies in [−1, 1]: L-BFGS-B
    /// never evaluates outside the box, and piecewise-linear interpolation stays inside it.
    @Test(arguments: ControlParameterization.allCases)
    func dynamicsNeverSeeAControlOutsideTheBounds(_ parameterization: ControlParameterization) throws {
        let seen = Mutex((evaluations: 0, outside: 0))
        let inner = VanDerPol.dynamics
        var problem = VanDerPol.problem
        problem.dynamics = ControlDynamics(stateDimension: 2, controlDimension: 1, evaluate: { t, x, u, p, dxdt in
            seen.withLock { $0.evaluations += 1; if abs(u[0]) > 1 { $0.outside += 1 } }
            inner.evaluate(t, x, u, p, dxdt)
        }, pullback: inner.pullback)
        let solution = try SingleShooting(problem: problem, intervals: 10, substeps: 2, parameterization: parameterization)
            .solve(initialControls: Array(repeating: 3, count: parameterization.valueCount(intervals: 10)))
        let counts = seen.withLock { $0 }
        #expect(counts.evaluations > 1000 && counts.outside == 0, "\(counts)")
        #expect(solution.controls.contains { abs($0) == 1 })
    }
}
