// Lorenz-96 as a stencil kernel: the per-site right-hand side in plain Swift on scalars,
// swept over the ring by the Kernels module, which derives the fused pullback from Swift AD.
import _Differentiation
import CheckpointedAD
import Kernels

extension Lorenz96 {
    /// dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F on a periodic ring, as a
    /// ``StencilKernel`` whose parameter is the forcing F.
    ///
    /// ```swift
    /// let dt = 0.01
    /// let step = Lorenz96.kernel.rungeKutta4(dt: dt)      // a CheckpointedStep
    /// let g = try valueWithCheckpointedGradient(at: Lorenz96.initialState(count: 40, forcing: 8),
    ///     parameters: 8.0, steps: 1000, checkpointing: .revolve(memory: .slots(32)), step: step,
    ///     losses: [.final { $0.halfSquaredNorm() }])
    /// ```
    ///
    /// - Complexity: a sweep is N site evaluations (one forward, one pullback per site backward).
    public static var kernel: StencilKernel<Double> {
        StencilKernel(radius: 2, boundary: .periodic) { u, forcing in
            (u.plus1 - u.minus2) * u.minus1 - u.centre + forcing
        }
    }
}
