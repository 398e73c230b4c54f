import _Differentiation
import Foundation
import Rewind

/// One RK4 step of Lorenz-96, dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F with periodic
/// indices, written with `Vector`'s differentiable operations so that Swift AD derives the
/// pullback: the step the disk demo hands to the planned, checkpointed driver.
enum Lorenz96Step {
    /// The right-hand side. `rolled(by: k)[i]` is x[i − k].
    @differentiable(reverse)
    static func rate(_ x: Vector, _ forcing: Double) -> Vector {
        (x.rolled(by: -1) - x.rolled(by: 2)) * x.rolled(by: 1) - x + forcing
    }

    /// x(t + dt) by the classical fourth-order Runge–Kutta method.
    @differentiable(reverse)
    static func rk4(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
        let k1 = rate(x, forcing)
        let k2 = rate(Vector.axpy(0.5 * dt, k1, x), forcing)
        let k3 = rate(Vector.axpy(0.5 * dt, k2, x), forcing)
        let k4 = rate(Vector.axpy(dt, k3, x), forcing)
        return x + (dt / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    }

    /// x0_i = F + 0.01·sin(i + 1), the usual perturbed equilibrium.
    static func initialState(sites: Int, forcing: Double) -> Vector {
        Vector((0..<sites).map { forcing + 0.01 * sin(Double($0 + 1)) })
    }

    /// ½‖x(T)‖² after `steps` steps, run forward without taping (for finite differences).
    static func loss(sites: Int, forcing: Double, steps: Int, dt: Double, initialForcing: Double) -> Double {
        var x = initialState(sites: sites, forcing: initialForcing)
        for _ in 0..<steps { x = rk4(x, forcing, dt) }
        return x.halfSquaredNorm()
    }
}
