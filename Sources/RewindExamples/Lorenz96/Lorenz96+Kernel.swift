// Lorenz-96 as a stencil kernel: the per-site right-hand side in plain Swift on scalars,
// swept over the ring by the Kernels module, which takes the per-site pullback from Swift AD.
import _Differentiation
import CheckpointedAD
import Kernels

/// dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F at one site of the Lorenz-96 ring, the
/// parameter being the forcing F.
///
/// ```swift
/// let f = Lorenz96Site()
/// let dxdt = f(Neighbourhood(minus2: 8, minus1: 8, centre: 8, plus1: 8, plus2: 8), 8)   // 0
/// ```
public struct Lorenz96Site: SiteFunction {
    /// The Lorenz-96 site function.
    ///
    /// - Complexity: O(1).
    @inlinable
    public init() {}

    /// (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F.
    ///
    /// - Complexity: O(1).
    @differentiable(reverse)
    public func callAsFunction(_ u: Neighbourhood, _ forcing: Double) -> Double {
        (u.plus1 - u.minus2) * u.minus1 - u.centre + forcing
    }

    /// The pullback of ``callAsFunction(_:_:)`` from Swift AD.
    ///
    /// - Complexity: O(1), allocation-free.
    public func pullback(at u: Neighbourhood, _ forcing: Double, seed: Double) -> (Neighbourhood, Double) {
        valueWithPullback(at: u, forcing) { u, forcing in self(u, forcing) }.pullback(seed)
    }
}

extension Lorenz96 {
    /// The Lorenz-96 right-hand side on a periodic ring as a ``StencilKernel``.
    ///
    /// ```swift
    /// let dxdt = Lorenz96.kernel.apply(to: x, parameters: 8)
    /// ```
    ///
    /// The kernel's sweeps are specialised where they are called; ``kernelStep(_:_:_:)`` and
    /// ``kernelRungeKutta4(dt:)`` are specialised here, beside the site function (kernel-report
    /// measures both placements the same).
    ///
    /// - Complexity: a sweep is N site evaluations (one forward, one pullback per site backward).
    public static var kernel: StencilKernel<Lorenz96Site> {
        StencilKernel(Lorenz96Site(), radius: 2, boundary: .periodic)
    }

    /// One RK4 step of the kernel right-hand side (bitwise the step ``kernelRungeKutta4(dt:)``
    /// advances by).
    ///
    /// ```swift
    /// var x = Lorenz96.initialState(count: 4096, forcing: 8)
    /// for _ in 0..<100 { x = Lorenz96.kernelStep(x, 8, 0.01) }
    /// ```
    ///
    /// - Complexity: 4N site evaluations.
    public static func kernelStep(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
        kernel.rungeKutta4Step(x, parameters: forcing, dt: dt)
    }

    /// The kernel's RK4 step as the checkpointed driver runs it.
    ///
    /// ```swift
    /// let g = try valueWithCheckpointedGradient(at: Lorenz96.initialState(count: 40, forcing: 8),
    ///     parameters: 8.0, steps: 1000, checkpointing: .revolve(memory: .slots(32)),
    ///     step: Lorenz96.kernelRungeKutta4(dt: 0.01), losses: [.final { $0.halfSquaredNorm() }])
    /// ```
    ///
    /// - Complexity: an advance costs 4N site evaluations, a reverse 3N plus 4N site pullbacks.
    public static func kernelRungeKutta4(dt: Double) -> CheckpointedStep<Vector, Double, Vector, Double> {
        kernel.rungeKutta4(dt: dt)
    }
}
