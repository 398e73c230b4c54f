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

/// Nonlinear diffusion d·(u_{i−1} − 2u_i + u_{i+1}) − 0.1·u_i³ (radius 1).
struct NonlinearDiffusionSite: SiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: Neighbourhood, _ d: Double) -> Double {
        d * (u.minus1 - 2 * u.centre + u.plus1) - 0.1 * u.centre * u.centre * u.centre
    }
    func pullback(at u: Neighbourhood, _ d: Double, seed: Double) -> (Neighbourhood, Double) {
        valueWithPullback(at: u, d) { u, d in self(u, d) }.pullback(seed)
    }
}

/// Burgers-like advection with a fourth-order difference, −c·u_i·(u_{i−2} − 8u_{i−1} +
/// 8u_{i+1} − u_{i+2})/12 (radius 2).
struct AdvectionSite: SiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: Neighbourhood, _ c: Double) -> Double {
        -c * u.centre * (u.minus2 - 8 * u.minus1 + 8 * u.plus1 - u.plus2) / 12
    }
    func pullback(at u: Neighbourhood, _ c: Double, seed: Double) -> (Neighbourhood, Double) {
        valueWithPullback(at: u, c) { u, c in self(u, c) }.pullback(seed)
    }
}

/// A pointwise logistic map r·u·(1 − u) (radius 0).
struct LogisticSite: SiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: Neighbourhood, _ r: Double) -> Double { r * u.centre * (1 - u.centre) }
    func pullback(at u: Neighbourhood, _ r: Double, seed: Double) -> (Neighbourhood, Double) {
        valueWithPullback(at: u, r) { u, r in self(u, r) }.pullback(seed)
    }
}

/// A kernel with a scalar parameter, its site type erased so that kernels over different
/// site functions share one list of checks.
struct TestKernel {
    var name: String
    var apply: (Vector, Double) -> Vector
    var pullback: (Vector, Double, Vector) -> (Vector, Double)
    var rungeKutta4Step: (Vector, Double, Double) -> Vector
    var rungeKutta4: (Double) -> CheckpointedStep<Vector, Double, Vector, Double>

    init<Site: SiteFunction>(_ name: String, _ kernel: StencilKernel<Site>) where Site.Parameters == Double {
        self.name = name
        apply = { kernel.apply(to: $0, parameters: $1) }
        pullback = { kernel.pullback(at: $0, parameters: $1, cotangent: $2) }
        rungeKutta4Step = { kernel.rungeKutta4Step($0, parameters: $1, dt: $2) }
        rungeKutta4 = { kernel.rungeKutta4(dt: $0) }
    }
}

/// Small kernels, one per boundary kind and radius: nonlinear so that their Jacobians
/// depend on the state.
enum TestKernels {
    /// Every kernel, over every boundary kind.
    static var all: [TestKernel] {
        let boundaries: [(String, Boundary)] = [("periodic", .periodic), ("fixed", .fixed(0.7)), ("zero flux", .zeroFlux)]
        return boundaries.flatMap { name, boundary in
            [TestKernel("diffusion, \(name)", StencilKernel(NonlinearDiffusionSite(), radius: 1, boundary: boundary)),
             TestKernel("advection, \(name)", StencilKernel(AdvectionSite(), radius: 2, boundary: boundary))]
        } + [TestKernel("logistic", StencilKernel(LogisticSite(), radius: 0))]
    }
}
