import Testing
import RewindExamples
@testable import OptimalControl

@Suite struct ControlParameterizationTests {
    /// x′ = u(t) on [0, 2] with x(0) = 0: RK4 integrates a piecewise-polynomial u of degree
    /// ≤ 1 exactly on each interval, so x(t_k) is the exact integral of the control (sum of
    /// rectangles or trapezoids), and ∂x(T)/∂u_j is Δ (constant) or Δ/2, Δ, …, Δ, Δ/2 (linear).
    static let integrator = ControlProblem(
        dynamics: ControlDynamics(stateDimension: 1, controlDimension: 1,
                                  evaluate: { _, _, u, _, dxdt in dxdt[0] = u[0] },
                                  pullback: { _, _, _, _, v, xBar, uBar in xBar[0] = 0; uBar[0] += v[0] }),
        initialState: [0], horizon: 0...2,
        terminalCost: TerminalCost(value: { x, _ in x[0] }, gradient: { _, _, xBar in xBar[0] += 1 }))

    @Test(arguments: ControlParameterization.allCases)
    func statesAreExactIntegralsOfTheControl(_ parameterization: ControlParameterization) throws {
        let n = 5
        let shooting = SingleShooting(problem: Self.integrator, intervals: n, substeps: 3, parameterization: parameterization)
        #expect(shooting.controlCount == parameterization.valueCount(intervals: n))
        let u = (0..<shooting.controlCount).map { Double($0 * $0) - 2 }
        let delta = 0.4
        var expected = [0.0]
        for k in 0..<n {
            let area = parameterization == .piecewiseConstant ? delta * u[k] : delta * (u[k] + u[k + 1]) / 2
            expected.append(expected.last! + area)
        }
        let states = shooting.states(controls: u).map { $0[0] }
        for k in 0...n { #expect(abs(states[k] - expected[k]) <= 1e-13, "node \(k)") }
        let (_, gradient) = try shooting.objectiveAndGradient(controls: u)
        let weights = parameterization == .piecewiseConstant
            ? Array(repeating: delta, count: n)
            : [delta / 2] + Array(repeating: delta, count: n - 1) + [delta / 2]
        for j in u.indices { #expect(abs(gradient[j] - weights[j]) <= 1e-14, "value \(j)") }
    }

    @Test func gridTimesAndBounds() throws {
        let linear = SingleShooting(problem: VanDerPol.problem, intervals: 4, parameterization: .piecewiseLinear)
        #expect(linear.nodeTimes == [0, 2.5, 5, 7.5, 10])
        #expect(linear.controlTimes == linear.nodeTimes)
        let constant = SingleShooting(problem: VanDerPol.problem, intervals: 4)
        #expect(constant.controlTimes == [0, 2.5, 5, 7.5])
        #expect(try constant.controlBounds == BoxBounds(count: 4, lower: -1, upper: 1))
        #expect(constant.defaultControls == [0, 0, 0, 0])
        #expect(ControlParameterization.piecewiseConstant.nodeValueIndex(node: 4, intervals: 4) == 3)
        #expect(ControlParameterization.piecewiseLinear.nodeValueIndex(node: 4, intervals: 4) == 4)
    }
}
