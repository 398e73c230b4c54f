import AdjointODE
import CheckpointedAD
import Foundation

/// The stiff test problems of issue 14, each with a hand-written vector-Jacobian product and
/// the loss whose gradient other solvers are compared on.
///
/// ```swift
/// let problem = StiffProblems.robertson()
/// let solution = try solve(problem, method: .kvaerno5, span: 0...40,
///                          step: .adaptive(Tolerances(relative: 1e-6, absolute: 1e-10)))
/// let g = try solution.gradient(of: StiffProblems.robertsonLoss, checkpointing: .storeAll)
/// ```
public enum StiffProblems {
    // MARK: Robertson

    /// Robertson's chemical kinetics (Robertson 1966; Hairer & Wanner, *Solving ODEs II*,
    /// §IV.1, eq. (1.3)), p = (k1, k2, k3):
    /// y1′ = −k1 y1 + k3 y2 y3, y2′ = k1 y1 − k3 y2 y3 − k2 y2², y3′ = k2 y2².
    public static let robertsonRightHandSide = RightHandSide(
        dimension: 3, parameterCount: 3,
        evaluate: { _, y, k, dydt in
            let slow = k[0] * y[0]
            let fast = k[2] * y[1] * y[2]
            let square = k[1] * y[1] * y[1]
            dydt[0] = -slow + fast
            dydt[1] = slow - fast - square
            dydt[2] = square
        },
        pullback: { _, y, k, v, yBar, kBar in
            yBar[0] = k[0] * (v[1] - v[0])
            yBar[1] = k[2] * y[2] * (v[0] - v[1]) + 2 * k[1] * y[1] * (v[2] - v[1])
            yBar[2] = k[2] * y[1] * (v[0] - v[1])
            kBar[0] += y[0] * (v[1] - v[0])
            kBar[1] += y[1] * y[1] * (v[2] - v[1])
            kBar[2] += y[1] * y[2] * (v[0] - v[1])
        }
    ).withSecondOrderPullback { _, y, k, u, w, yBar, kBar in
        // wᵀJu = k1 u1 (w2 − w1) + k3 (y3 u2 + y2 u3)(w1 − w2) + 2 k2 y2 u2 (w3 − w2)
        yBar[1] += k[2] * u[2] * (w[0] - w[1]) + 2 * k[1] * u[1] * (w[2] - w[1])
        yBar[2] += k[2] * u[1] * (w[0] - w[1])
        kBar[0] += u[0] * (w[1] - w[0])
        kBar[1] += 2 * y[1] * u[1] * (w[2] - w[1])
        kBar[2] += (y[2] * u[1] + y[1] * u[2]) * (w[0] - w[1])
    }

    /// Robertson with k = (0.04, 3·10⁷, 10⁴) and y0 = (1, 0, 0), unless given.
    public static func robertson(rates: Vector = [0.04, 3e7, 1e4], initialState: Vector = [1, 0, 0]) -> ODEProblem {
        ODEProblem(rightHandSide: robertsonRightHandSide, initialState: initialState, parameters: rates)
    }

    /// L = ½(y1(T)² + (10⁴·y2(T))² + y3(T)²).
    public static let robertsonLoss = ODELoss.finalState(
        value: { y in 0.5 * (y[0] * y[0] + 1e8 * y[1] * y[1] + y[2] * y[2]) },
        gradient: { y, scale, yBar in
            yBar[0] += scale * y[0]
            yBar[1] += scale * 1e8 * y[1]
            yBar[2] += scale * y[2]
        })

    // MARK: Van der Pol

    /// Van der Pol in the scaled form y1′ = y2, y2′ = μ((1 − y1²) y2 − y1), p = (μ).
    public static let vanDerPolRightHandSide = RightHandSide(
        dimension: 2, parameterCount: 1,
        evaluate: { _, y, p, dydt in
            dydt[0] = y[1]
            dydt[1] = p[0] * ((1 - y[0] * y[0]) * y[1] - y[0])
        },
        pullback: { _, y, p, v, yBar, pBar in
            yBar[0] = p[0] * (-2 * y[0] * y[1] - 1) * v[1]
            yBar[1] = v[0] + p[0] * (1 - y[0] * y[0]) * v[1]
            pBar[0] += ((1 - y[0] * y[0]) * y[1] - y[0]) * v[1]
        }
    ).withSecondOrderPullback { _, y, p, u, w, yBar, pBar in
        // wᵀJu = w1 u2 + w2 μ((−2 y1 y2 − 1) u1 + (1 − y1²) u2)
        yBar[0] += w[1] * p[0] * (-2 * y[1] * u[0] - 2 * y[0] * u[1])
        yBar[1] += w[1] * p[0] * (-2 * y[0] * u[0])
        pBar[0] += w[1] * ((-2 * y[0] * y[1] - 1) * u[0] + (1 - y[0] * y[0]) * u[1])
    }

    /// Stiff Van der Pol: μ = 1000, y0 = (2, 0), unless given.
    public static func vanDerPol(stiffness mu: Double = 1000, initialState: Vector = [2, 0]) -> ODEProblem {
        ODEProblem(rightHandSide: vanDerPolRightHandSide, initialState: initialState, parameters: [mu])
    }

    /// L = ½‖y(T)‖².
    public static let halfSquaredNorm = ODELoss.finalState(
        value: { y in
            var sum = 0.0
            for m in 0..<y.count { sum += y[m] * y[m] }
            return 0.5 * sum
        },
        gradient: { y, scale, yBar in for m in 0..<y.count { yBar[m] += scale * y[m] } })

    // MARK: Brusselator

    /// The 1-D Brusselator with N interior points x_i = i/(N + 1) (Hairer & Wanner,
    /// *Solving ODEs II*, §IV.1, eq. (1.6)), p = (α):
    /// u_i′ = 1 + u_i² v_i − 4u_i + α(N+1)²(u_{i−1} − 2u_i + u_{i+1}),
    /// v_i′ = 3u_i − u_i² v_i + α(N+1)²(v_{i−1} − 2v_i + v_{i+1}), with u = 1, v = 3 on the
    /// boundary. The state is interleaved (u1, v1, u2, v2, …), so ∂f/∂y is banded with two
    /// sub- and two super-diagonals, declared as ``JacobianStructure/banded(lower:upper:)``.
    public static func brusselatorRightHandSide(points n: Int) -> RightHandSide {
        precondition(n >= 1, "the Brusselator needs at least one interior point, got \(n)")
        let scale = Double((n + 1) * (n + 1))
        return RightHandSide(
            dimension: 2 * n, parameterCount: 1,
            evaluate: { _, y, p, dydt in
                let c = p[0] * scale
                for i in 0..<n {
                    let u = y[2 * i], v = y[2 * i + 1]
                    let uLeft = i > 0 ? y[2 * i - 2] : 1, uRight = i < n - 1 ? y[2 * i + 2] : 1
                    let vLeft = i > 0 ? y[2 * i - 1] : 3, vRight = i < n - 1 ? y[2 * i + 3] : 3
                    dydt[2 * i] = 1 + u * u * v - 4 * u + c * (uLeft - 2 * u + uRight)
                    dydt[2 * i + 1] = 3 * u - u * u * v + c * (vLeft - 2 * v + vRight)
                }
            },
            pullback: { _, y, p, w, yBar, pBar in
                let c = p[0] * scale
                var alphaBar = 0.0
                for i in 0..<n {
                    let u = y[2 * i], v = y[2 * i + 1]
                    let a = w[2 * i], b = w[2 * i + 1]
                    let aNeighbours = (i > 0 ? w[2 * i - 2] : 0) + (i < n - 1 ? w[2 * i + 2] : 0)
                    let bNeighbours = (i > 0 ? w[2 * i - 1] : 0) + (i < n - 1 ? w[2 * i + 3] : 0)
                    yBar[2 * i] = a * (2 * u * v - 4 - 2 * c) + b * (3 - 2 * u * v) + c * aNeighbours
                    yBar[2 * i + 1] = a * u * u - b * (u * u + 2 * c) + c * bNeighbours
                    let uLeft = i > 0 ? y[2 * i - 2] : 1, uRight = i < n - 1 ? y[2 * i + 2] : 1
                    let vLeft = i > 0 ? y[2 * i - 1] : 3, vRight = i < n - 1 ? y[2 * i + 3] : 3
                    alphaBar += a * (uLeft - 2 * u + uRight) + b * (vLeft - 2 * v + vRight)
                }
                pBar[0] += scale * alphaBar
            }
        )
        .withJacobianStructure(.banded(lower: 2, upper: 2))
        .withSecondOrderPullback { _, y, _, d, w, yBar, pBar in
            // The reaction's curvature, and ∂/∂α of the (linear) diffusion: wᵀ Δ d.
            var alphaBar = 0.0
            for i in 0..<n {
                let u = y[2 * i], v = y[2 * i + 1]
                let du = d[2 * i], dv = d[2 * i + 1]
                let difference = w[2 * i] - w[2 * i + 1]
                yBar[2 * i] += 2 * difference * (v * du + u * dv)
                yBar[2 * i + 1] += 2 * difference * u * du
                let duLaplacian = (i > 0 ? d[2 * i - 2] : 0) - 2 * du + (i < n - 1 ? d[2 * i + 2] : 0)
                let dvLaplacian = (i > 0 ? d[2 * i - 1] : 0) - 2 * dv + (i < n - 1 ? d[2 * i + 3] : 0)
                alphaBar += w[2 * i] * duLaplacian + w[2 * i + 1] * dvLaplacian
            }
            pBar[0] += scale * alphaBar
        }
    }

    /// The Brusselator with N points, α = 1/50 (unless given), u_i(0) = 1 + sin(2πx_i), v_i(0) = 3.
    public static func brusselator(points n: Int, alpha: Double = 1.0 / 50) -> ODEProblem {
        var y0 = [Double](repeating: 3, count: 2 * n)
        for i in 0..<n { y0[2 * i] = 1 + sin(2 * Double.pi * Double(i + 1) / Double(n + 1)) }
        return ODEProblem(rightHandSide: brusselatorRightHandSide(points: n), initialState: Vector(y0), parameters: [alpha])
    }

    /// L = Σ u_i(T)² / (2N) over the N points of an interleaved Brusselator state.
    public static func brusselatorLoss(points n: Int) -> ODELoss {
        .finalState(
            value: { y in
                var sum = 0.0
                for i in 0..<n { sum += y[2 * i] * y[2 * i] }
                return sum / Double(2 * n)
            },
            gradient: { y, scale, yBar in for i in 0..<n { yBar[2 * i] += scale * y[2 * i] / Double(n) } })
    }
}
