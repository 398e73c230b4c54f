import _Differentiation
import CheckpointedAD
import Kernels
import RewindTestSupport

/// n uniform numbers in −1…1 drawn from `generator`.
func randomVector(_ n: Int, _ generator: inout SplitMix64, around centre: Double = 0) -> Vector {
    Vector((0..<n).map { _ in centre + generator.uniform(-1...1) })
}

/// ‖a − b‖ / ‖b‖ (0 when both are zero-free and equal).
func relativeError(_ a: Vector, _ b: Vector) -> Double {
    let difference = a - b
    return (difference.dot(difference) / Swift.max(b.dot(b), 1e-300)).squareRoot()
}

/// |a − b| / max(|a|, |b|).
func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / Swift.max(abs(a), abs(b), 1e-300) }

/// Small kernels, one per boundary kind and radius: nonlinear so that their Jacobians
/// depend on the state.
enum TestKernels {
    /// Nonlinear diffusion d·(u_{i−1} − 2u_i + u_{i+1}) − 0.1·u_i³ (radius 1).
    static func diffusion(_ boundary: Boundary) -> StencilKernel<Double> {
        StencilKernel(radius: 1, boundary: boundary) { u, d in
            d * (u.minus1 - 2 * u.centre + u.plus1) - 0.1 * u.centre * u.centre * u.centre
        }
    }

    /// Burgers-like advection with a fourth-order difference, −c·u_i·(u_{i−2} − 8u_{i−1} +
    /// 8u_{i+1} − u_{i+2})/12 (radius 2).
    static func advection(_ boundary: Boundary) -> StencilKernel<Double> {
        StencilKernel(radius: 2, boundary: boundary) { u, c in
            -c * u.centre * (u.minus2 - 8 * u.minus1 + 8 * u.plus1 - u.plus2) / 12
        }
    }

    /// A pointwise logistic map r·u·(1 − u) (radius 0).
    static var logistic: StencilKernel<Double> {
        StencilKernel(radius: 0) { u, r in r * u.centre * (1 - u.centre) }
    }

    /// Every kernel above, with a name, over every boundary kind.
    static var all: [(String, StencilKernel<Double>)] {
        let boundaries: [(String, Boundary)] = [("periodic", .periodic), ("fixed", .fixed(0.7)), ("zero flux", .zeroFlux)]
        return boundaries.flatMap { name, boundary in
            [("diffusion, \(name)", diffusion(boundary)), ("advection, \(name)", advection(boundary))]
        } + [("logistic", logistic)]
    }
}
