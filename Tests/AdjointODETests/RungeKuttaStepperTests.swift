import Foundation
import Testing
@testable import AdjointODE

/// One step and its discrete adjoint, for every method, against finite differences.
@Suite struct RungeKuttaStepperTests {
    /// A scalar function of one step: ⟨w, y⁺⟩ + the running cost's quadrature.
    func stepLoss(_ stepper: RungeKuttaStepper, _ y: [Double], _ p: [Double], weights w: [Double], cost: RunningCost?) -> Double {
        var next = [Double](repeating: 0, count: y.count)
        let q = y.withUnsafeBufferPointer { yb in
            p.withUnsafeBufferPointer { pb in
                next.withUnsafeMutableBufferPointer { stepper.step(time: 0.3, size: 0.2, state: yb, parameters: pb, into: $0, runningCost: cost) }
            }
        }
        return zip(w, next).reduce(q) { $0 + $1.0 * $1.1 }
    }

    static let cost = RunningCost(
        value: { t, y, p in 0.5 * y[0] * y[0] + p[2] * sin(t) * y[1] },
        gradient: { t, y, p, scale, yBar, pBar in
            yBar[0] += scale * y[0]
            yBar[1] += scale * p[2] * sin(t)
            pBar[2] += scale * sin(t) * y[1]
        })

    @Test(arguments: ButcherTableau.all)
    func stepAdjointMatchesFiniteDifferences(method: ButcherTableau) {
        let stepper = RungeKuttaStepper(method: method, rightHandSide: TestProblems.forcedPendulum)
        let y = [0.7, -0.4]
        let p = [1.3, 0.2, 0.5]
        let w = [0.9, -1.7]
        for cost in [nil, Self.cost] {
            var lambda = w
            var pBar = [0.0, 0, 0]
            y.withUnsafeBufferPointer { yb in
                p.withUnsafeBufferPointer { pb in
                    lambda.withUnsafeMutableBufferPointer { l in
                        pBar.withUnsafeMutableBufferPointer { stepper.pullback(time: 0.3, size: 0.2, state: yb, parameters: pb, stateAdjoint: l, parameterAdjoint: $0, runningCost: cost) }
                    }
                }
            }
            let fdState = TestProblems.finiteDifferenceGradient(at: y) { stepLoss(stepper, $0, p, weights: w, cost: cost) }
            let fdParameters = TestProblems.finiteDifferenceGradient(at: p) { stepLoss(stepper, y, $0, weights: w, cost: cost) }
            #expect(TestProblems.relativeError(lambda, fdState) < 1e-8, "\(method.name) state, cost: \(cost != nil)")
            #expect(TestProblems.relativeError(pBar, fdParameters) < 1e-8, "\(method.name) parameters, cost: \(cost != nil)")
        }
    }

    @Test func endStateCallbackSeesTheForwardResultBitForBit() {
        let stepper = RungeKuttaStepper(method: .dormandPrince54, rightHandSide: TestProblems.forcedPendulum)
        let y = [0.7, -0.4]
        let p = [1.3, 0.2, 0.5]
        var next = [0.0, 0]
        var error = [0.0, 0]
        y.withUnsafeBufferPointer { yb in
            p.withUnsafeBufferPointer { pb in
                next.withUnsafeMutableBufferPointer { out in
                    error.withUnsafeMutableBufferPointer { _ = stepper.step(time: 0.3, size: 0.2, state: yb, parameters: pb, into: out, errorEstimate: $0) }
                }
            }
        }
        var seen: [Double] = []
        var lambda = [0.0, 0]
        var pBar = [0.0, 0, 0]
        y.withUnsafeBufferPointer { yb in
            p.withUnsafeBufferPointer { pb in
                lambda.withUnsafeMutableBufferPointer { l in
                    pBar.withUnsafeMutableBufferPointer {
                        stepper.pullback(time: 0.3, size: 0.2, state: yb, parameters: pb, stateAdjoint: l, parameterAdjoint: $0, endState: { yNext, _ in seen = Array(yNext) })
                    }
                }
            }
        }
        #expect(seen == next)
    }

    @Test func embeddedErrorEstimateShrinksAtTheEmbeddedOrderPlusOne() throws {
        // The local error of the embedded method is O(h^(q+1)).
        for method in ButcherTableau.all where method.isEmbedded {
            let stepper = RungeKuttaStepper(method: method, rightHandSide: TestProblems.forcedPendulum)
            func estimate(_ h: Double) -> Double {
                var next = [0.0, 0]
                var error = [0.0, 0]
                [0.7, -0.4].withUnsafeBufferPointer { yb in
                    [1.3, 0.2, 0.5].withUnsafeBufferPointer { pb in
                        next.withUnsafeMutableBufferPointer { out in
                            error.withUnsafeMutableBufferPointer { _ = stepper.step(time: 0.3, size: h, state: yb, parameters: pb, into: out, errorEstimate: $0) }
                        }
                    }
                }
                return error.map(abs).max()!
            }
            let q = Double(try #require(method.embeddedOrder))
            let observed = log2(estimate(0.02) / estimate(0.01))
            #expect(abs(observed - (q + 1)) < 0.3, "\(method.name): observed \(observed), expected \(q + 1)")
        }
    }
}
