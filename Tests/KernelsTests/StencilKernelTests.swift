import _Differentiation
import CheckpointedAD
import Kernels
import RewindExamples
import RewindTestSupport
import Testing

/// The sweeps of ``StencilKernel``: the forward values against closed forms, the pullback
/// against finite differences and the dot-product test on every boundary kind, and the
/// registered derivative inside Swift AD code.
@Suite struct StencilKernelTests {
    @Test func lorenz96KernelMatchesTheVectorRightHandSide() {
        let x = Lorenz96.initialState(count: 37, forcing: 8)
        #expect(Lorenz96.kernel.apply(to: x, parameters: 8) == Lorenz96.rhs(x, 8))
    }

    @Test func boundariesSupplyTheGhostValues() {
        let x: Vector = [1, 2, 3, 4, 5]
        let ghosts = { (boundary: Boundary) in
            let kernel = StencilKernel(radius: 2, boundary: boundary) { (u: Neighbourhood, _: Double) -> Double in
                1000 * u.minus2 + 100 * u.minus1 + 10 * u.plus1 + u.plus2
            }
            return kernel.apply(to: x, parameters: 0).scalars
        }
        // Site 0 reads x_{−2}, x_{−1}, x_1, x_2; site 4 reads x_2, x_3, x_5, x_6.
        #expect(ghosts(.periodic)[0] == 4000 + 500 + 20 + 3 && ghosts(.periodic)[4] == 3000 + 400 + 10 + 2)
        #expect(ghosts(.fixed(9))[0] == 9000 + 900 + 20 + 3 && ghosts(.fixed(9))[4] == 3000 + 400 + 90 + 9)
        #expect(ghosts(.zeroFlux)[0] == 2000 + 100 + 20 + 3 && ghosts(.zeroFlux)[4] == 3000 + 400 + 50 + 4)
        // Zero flux conserves the sum under linear diffusion.
        let heat = StencilKernel(radius: 1, boundary: .zeroFlux) { (u: Neighbourhood, d: Double) in d * (u.minus1 - 2 * u.centre + u.plus1) }
        #expect(abs(heat.apply(to: [3, 1, 4, 1, 5, 9, 2, 6], parameters: 0.5).sum()) < 1e-14)
    }

    /// ⟨u, J v⟩ = ⟨Jᵀu, v⟩ with J v by central differences, and ∂⟨u, f⟩/∂p likewise.
    /// Sizes cover no interior site (4), interior sites without a whole block of eight (5,
    /// 11), and blocks plus leftover sites (29, 64).
    @Test(arguments: [4, 5, 11, 29, 64])
    func dotProductAndFiniteDifferenceTests(size: Int) {
        var generator = SplitMix64(seed: 13)
        for kernel in TestKernels.all {
            let x = randomVector(size, &generator, around: 0.5), u = randomVector(size, &generator), v = randomVector(size, &generator)
            let p = 0.8, h = 1e-6
            let jv = (kernel.apply(Vector.axpy(h, v, x), p) - kernel.apply(Vector.axpy(-h, v, x), p)) * (1 / (2 * h))
            let (xbar, pbar) = kernel.pullback(x, p, u)
            #expect(relativeError(u.dot(jv), xbar.dot(v)) < 1e-8, "\(kernel.name), N = \(size)")
            let fp = (kernel.apply(x, p + h) - kernel.apply(x, p - h)) * (1 / (2 * h))
            #expect(relativeError(u.dot(fp), pbar) < 1e-8, "\(kernel.name), N = \(size)")
        }
    }

    /// The pullback's columns, one unit cotangent at a time, against the site function's
    /// own derivatives summed by hand: every element of J_xᵀ exactly where it belongs.
    @Test(arguments: [5, 29])
    func pullbackIsTheTransposedJacobian(size: Int) {
        var generator = SplitMix64(seed: 17)
        let x = randomVector(size, &generator, around: 0.5), site = AdvectionSite(), p = 1.1
        for boundary in [Boundary.periodic, .fixed(0.3), .zeroFlux] {
            let kernel = StencilKernel(site, radius: 2, boundary: boundary)
            for i in 0..<size {
                var e = [Double](repeating: 0, count: size)
                e[i] = 1
                let (column, pbar) = kernel.pullback(at: x, parameters: p, cotangent: Vector(e))
                // Row i of J: ∂f_i/∂x_j, through the ghosts the boundary maps back.
                var expected = [Double](repeating: 0, count: size)
                let u = Neighbourhood(minus2: ghost(x, i - 2, boundary), minus1: ghost(x, i - 1, boundary), centre: x.scalars[i],
                                      plus1: ghost(x, i + 1, boundary), plus2: ghost(x, i + 2, boundary))
                let (g, gp) = site.pullback(at: u, p, seed: 1)
                for k in -2...2 {
                    if let j = source(i + k, size, boundary) { expected[j] += g[k] }
                }
                #expect(relativeError(column, Vector(expected)) < 1e-15, "\(boundary), site \(i)")
                #expect(pbar == gp, "\(boundary), site \(i)")
            }
        }
    }

    @Test func siteTypeAndClosureGiveTheSameBits() {
        var generator = SplitMix64(seed: 23)
        let x = randomVector(41, &generator, around: 0.5), u = randomVector(41, &generator)
        let typed = StencilKernel(NonlinearDiffusionSite(), radius: 1, boundary: .zeroFlux)
        let closure = StencilKernel(radius: 1, boundary: .zeroFlux) { (u: Neighbourhood, d: Double) in
            d * (u.minus1 - 2 * u.centre + u.plus1) - 0.1 * u.centre * u.centre * u.centre
        }
        #expect(typed.apply(to: x, parameters: 0.4) == closure.apply(to: x, parameters: 0.4))
        let (a, pa) = typed.pullback(at: x, parameters: 0.4, cotangent: u), (b, pb) = closure.pullback(at: x, parameters: 0.4, cotangent: u)
        #expect(a == b && pa == pb)
    }

    @Test func pullbackIsReproducibleAndAcceptsTheZeroCotangent() {
        var generator = SplitMix64(seed: 5)
        let x = randomVector(64, &generator), u = randomVector(64, &generator)
        let kernel = StencilKernel(AdvectionSite(), radius: 2, boundary: .zeroFlux)
        let first = kernel.pullback(at: x, parameters: 1.3, cotangent: u), second = kernel.pullback(at: x, parameters: 1.3, cotangent: u)
        #expect(first.0 == second.0 && first.1 == second.1)
        let zero = kernel.pullback(at: x, parameters: 1.3, cotangent: .zero)
        #expect(zero.0.count == 0 && zero.1 == 0)
    }

    /// The registered derivative inside Swift AD: an RK4 step written with `Vector.axpy`,
    /// `+` and the kernel agrees with the Lorenz-96 `Vector` step to rounding.
    @Test func composesWithSwiftAD() {
        let kernel = Lorenz96.kernel, dt = 0.01
        @differentiable(reverse)
        func step(_ x: Vector, _ F: Double) -> Vector {
            let k1 = kernel.apply(to: x, parameters: F)
            let k2 = kernel.apply(to: Vector.axpy(dt / 2, k1, x), parameters: F)
            let k3 = kernel.apply(to: Vector.axpy(dt / 2, k2, x), parameters: F)
            let k4 = kernel.apply(to: Vector.axpy(dt, k3, x), parameters: F)
            return x + (dt / 6) * (k1 + 2 * (k2 + k3) + k4)
        }
        var generator = SplitMix64(seed: 7)
        let x = Lorenz96.initialState(count: 40, forcing: 8), ybar = randomVector(40, &generator)
        let (value, pullback) = valueWithPullback(at: x, 8.0, of: step)
        let (reference, referencePullback) = valueWithPullback(at: x, 8.0) { x, F in Lorenz96.composedStep(x, F, dt) }
        #expect(value == reference)
        let (xbar, Fbar) = pullback(ybar), (referenceX, referenceF) = referencePullback(ybar)
        #expect(relativeError(xbar, referenceX) < 1e-12 && relativeError(Fbar, referenceF) < 1e-12)
    }
}

/// x_j or its ghost under `boundary` (tests' own reading of the boundary rules).
func ghost(_ x: Vector, _ j: Int, _ boundary: Boundary) -> Double {
    if let s = source(j, x.count, boundary) { return x.scalars[s] }
    if case let .fixed(value) = boundary { return value }
    fatalError("unreachable")
}

/// The element a ghost at j reads, or nil for a fixed value.
func source(_ j: Int, _ n: Int, _ boundary: Boundary) -> Int? {
    if (0..<n).contains(j) { return j }
    switch boundary {
    case .periodic: return (j + n) % n
    case .fixed: return nil
    case .zeroFlux: return j < 0 ? -1 - j : 2 * n - 1 - j
    }
}
