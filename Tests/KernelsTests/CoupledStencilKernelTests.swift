import _Differentiation
import CheckpointedAD
import Kernels
import RewindTestSupport
import Testing

/// A radius-2 coupled site whose each output reads the other field off-centre, so that a
/// cotangent sent to the wrong field or offset shows.
struct CrossCoupledSite: CoupledSiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: Neighbourhood, _ v: Neighbourhood, _ k: Double) -> SitePair {
        SitePair(u: k * (u.minus1 - 2 * u.centre + u.plus1) - u.centre * v.plus2 + 0.5 * v.minus1,
                 v: k * k * (v.minus2 - v.centre) + u.plus1 * v.centre - 0.25 * u.minus2 * u.centre)
    }
    func pullback(at u: Neighbourhood, _ v: Neighbourhood, _ k: Double, seed: SitePair) -> (Neighbourhood, Neighbourhood, Double) {
        valueWithPullback(at: u, v, k) { u, v, k in self(u, v, k) }.pullback(seed)
    }
}

/// The coupled kernel: values against the site function applied by hand, the pullback
/// against finite differences and the dot-product test for every pair of boundaries, and its
/// RK4 step through the driver.
@Suite struct CoupledStencilKernelTests {
    static let boundaryPairs: [(u: Boundary, v: Boundary)] = [(.periodic, .periodic), (.zeroFlux, .fixed(2)), (.fixed(-1), .zeroFlux)]

    @Test func valuesInterleaveTheSiteFunctionsOutputs() {
        var generator = SplitMix64(seed: 41)
        let n = 13, x = randomVector(2 * n, &generator).scalars
        let kernel = CoupledStencilKernel(CrossCoupledSite(), radius: 2, boundaries: (u: .fixed(3), v: .periodic))
        let values = kernel.apply(to: Vector(x), parameters: 0.7).scalars
        func u(_ i: Int) -> Double { (0..<n).contains(i) ? x[2 * i] : 3 }
        func v(_ i: Int) -> Double { x[2 * ((i + n) % n) + 1] }
        for i in 0..<n {
            let pair = CrossCoupledSite()(Neighbourhood(minus2: u(i - 2), minus1: u(i - 1), centre: u(i), plus1: u(i + 1), plus2: u(i + 2)),
                                          Neighbourhood(minus2: v(i - 2), minus1: v(i - 1), centre: v(i), plus1: v(i + 1), plus2: v(i + 2)), 0.7)
            #expect(values[2 * i] == pair.u && values[2 * i + 1] == pair.v, "point \(i)")
        }
    }

    /// Sizes: edges only (4), no whole block (5, 13), blocks and leftovers (30).
    @Test(arguments: [4, 5, 13, 30])
    func dotProductAndFiniteDifferenceTests(points n: Int) {
        var generator = SplitMix64(seed: 43)
        for boundaries in Self.boundaryPairs {
            let kernel = CoupledStencilKernel(CrossCoupledSite(), radius: 2, boundaries: boundaries)
            let x = randomVector(2 * n, &generator, around: 0.4), w = randomVector(2 * n, &generator), v = randomVector(2 * n, &generator)
            let k = 0.9, h = 1e-6
            let jv = (kernel.apply(to: Vector.axpy(h, v, x), parameters: k) - kernel.apply(to: Vector.axpy(-h, v, x), parameters: k)) * (1 / (2 * h))
            let (xbar, kbar) = kernel.pullback(at: x, parameters: k, cotangent: w)
            #expect(relativeError(w.dot(jv), xbar.dot(v)) < 1e-8, "N = \(n), \(boundaries)")
            let fk = (kernel.apply(to: x, parameters: k + h) - kernel.apply(to: x, parameters: k - h)) * (1 / (2 * h))
            #expect(relativeError(w.dot(fk), kbar) < 1e-8, "N = \(n), \(boundaries)")
        }
    }

    @Test func rungeKutta4GradientThroughTheDriver() throws {
        let kernel = CoupledStencilKernel(CrossCoupledSite(), radius: 2, boundaries: (u: .zeroFlux, v: .periodic))
        var generator = SplitMix64(seed: 47)
        let x0 = randomVector(2 * 21, &generator, around: 0.3), steps = 30, dt = 0.02
        let loss = CheckpointedLoss<Vector, Double, Vector, Double>.final { $0.halfSquaredNorm() }
        let storeAll = try valueWithCheckpointedGradient(at: x0, parameters: 0.6, steps: steps, checkpointing: .storeAll,
                                                         step: kernel.rungeKutta4(dt: dt), losses: [loss])
        let revolve = try valueWithCheckpointedGradient(at: x0, parameters: 0.6, steps: steps, checkpointing: .revolve(memory: .slots(3)),
                                                        step: kernel.rungeKutta4(dt: dt), losses: [loss])
        #expect(revolve.initialState == storeAll.initialState && revolve.parameters == storeAll.parameters)
        func value(_ x: Vector, _ k: Double) -> Double {
            var x = x
            for _ in 0..<steps { x = kernel.rungeKutta4Step(x, parameters: k, dt: dt) }
            return x.halfSquaredNorm()
        }
        let direction = randomVector(2 * 21, &generator), h = 1e-6
        let directional = (value(Vector.axpy(h, direction, x0), 0.6) - value(Vector.axpy(-h, direction, x0), 0.6)) / (2 * h)
        #expect(relativeError(storeAll.initialState.dot(direction), directional) < 1e-7)
        #expect(relativeError(storeAll.parameters, (value(x0, 0.6 + h) - value(x0, 0.6 - h)) / (2 * h)) < 1e-7)
    }
}
