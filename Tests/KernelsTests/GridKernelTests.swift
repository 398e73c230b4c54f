import _Differentiation
import CheckpointedAD
import Kernels
import RewindTestSupport
import Testing

/// A nonlinear nine-point site: d·(five-point Laplacian) + u − u³ + a corner term, so every
/// offset of the neighbourhood carries a derivative.
struct AllenCahnSite: GridSiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: GridNeighbourhood, _ d: Double) -> Double {
        d * (u.north + u.south + u.west + u.east - 4 * u.centre) + u.centre - u.centre * u.centre * u.centre
            + 0.3 * u.northEast * u.southWest - 0.2 * u.northWest * u.southEast
    }
    func pullback(at u: GridNeighbourhood, _ d: Double, seed: Double) -> (GridNeighbourhood, Double) {
        valueWithPullback(at: u, d) { u, d in self(u, d) }.pullback(seed)
    }
}

/// The 2-D kernel: values against an independent loop over (r, c) with the boundary written
/// out by hand, the pullback against finite differences and the dot-product test, a one-row
/// grid against the 1-D kernel, and the RK4 step through the driver.
@Suite struct GridKernelTests {
    static let boundaries: [Boundary] = [.periodic, .fixed(0.7), .zeroFlux]
    /// Shapes: single cells and lines, no interior, interiors shorter and longer than a block.
    static let shapes: [(Int, Int)] = [(1, 1), (1, 5), (4, 1), (2, 3), (3, 3), (5, 11), (6, 21)]

    /// x[r][c] with the boundary applied along each axis, written independently of the kernel.
    static func reference(_ x: [Double], _ rows: Int, _ columns: Int, _ boundary: Boundary, _ r: Int, _ c: Int) -> Double {
        func fold(_ k: Int, _ n: Int) -> Int? {
            if (0..<n).contains(k) { return k }
            switch boundary {
            case .periodic: return (k + n) % n
            case .fixed: return nil
            case .zeroFlux: return k < 0 ? 0 : n - 1        // radius 1: the mirror of −1 is 0, of n is n − 1
            }
        }
        guard let row = fold(r, rows), let column = fold(c, columns) else {
            if case let .fixed(value) = boundary { return value }
            fatalError("unreachable")
        }
        return x[row * columns + column]
    }

    @Test func valuesMatchAnIndependentLoopOnEveryBoundary() {
        var generator = SplitMix64(seed: 3)
        let site = AllenCahnSite()
        for (rows, columns) in Self.shapes {
            let x = (0..<(rows * columns)).map { _ in generator.uniform(-1...1) }
            for boundary in Self.boundaries {
                let kernel = GridKernel(site, rows: rows, columns: columns, boundary: boundary)
                let values = kernel.apply(to: Vector(x), parameters: 0.4).scalars
                for r in 0..<rows {
                    for c in 0..<columns {
                        var u = GridNeighbourhood.zero
                        for dr in -1...1 { for dc in -1...1 { u[dr, dc] = Self.reference(x, rows, columns, boundary, r + dr, c + dc) } }
                        #expect(values[r * columns + c] == site(u, 0.4), "\(rows)×\(columns) \(boundary) at (\(r), \(c))")
                    }
                }
            }
        }
    }

    @Test func zeroFluxDiffusionConservesTheSum() {
        let heat = GridKernel(rows: 7, columns: 12, boundary: .zeroFlux) { (u: GridNeighbourhood, d: Double) in
            d * (u.north + u.south + u.west + u.east - 4 * u.centre)
        }
        var generator = SplitMix64(seed: 11)
        let x = Vector((0..<84).map { _ in generator.uniform(0...1) })
        #expect(abs(heat.apply(to: x, parameters: 0.25).sum()) < 1e-13)
    }

    /// ⟨u, J v⟩ = ⟨Jᵀu, v⟩ with J v by central differences, and ∂⟨u, f⟩/∂d likewise.
    @Test func dotProductAndFiniteDifferenceTests() {
        var generator = SplitMix64(seed: 19)
        for (rows, columns) in Self.shapes {
            for boundary in Self.boundaries {
                let kernel = GridKernel(AllenCahnSite(), rows: rows, columns: columns, boundary: boundary)
                let n = rows * columns, d = 0.6, h = 1e-6
                let x = randomVector(n, &generator, around: 0.3), u = randomVector(n, &generator), v = randomVector(n, &generator)
                let jv = (kernel.apply(to: Vector.axpy(h, v, x), parameters: d) - kernel.apply(to: Vector.axpy(-h, v, x), parameters: d)) * (1 / (2 * h))
                let (xbar, dbar) = kernel.pullback(at: x, parameters: d, cotangent: u)
                #expect(relativeError(u.dot(jv), xbar.dot(v)) < 1e-8, "\(rows)×\(columns) \(boundary)")
                let fd = (kernel.apply(to: x, parameters: d + h) - kernel.apply(to: x, parameters: d - h)) * (1 / (2 * h))
                #expect(relativeError(u.dot(fd), dbar) < 1e-8, "\(rows)×\(columns) \(boundary)")
            }
        }
    }

    /// A site type and the same function as a closure: bitwise the same values and cotangents.
    @Test func siteTypeAndClosureAgreeBitwise() {
        var generator = SplitMix64(seed: 23)
        let x = randomVector(6 * 21, &generator), ybar = randomVector(6 * 21, &generator)
        let typed = GridKernel(AllenCahnSite(), rows: 6, columns: 21, boundary: .zeroFlux)
        let closure = GridKernel(rows: 6, columns: 21, boundary: .zeroFlux) { (u: GridNeighbourhood, d: Double) in AllenCahnSite()(u, d) }
        #expect(typed.apply(to: x, parameters: 0.2) == closure.apply(to: x, parameters: 0.2))
        let (a, pa) = typed.pullback(at: x, parameters: 0.2, cotangent: ybar), (b, pb) = closure.pullback(at: x, parameters: 0.2, cotangent: ybar)
        #expect(a == b && pa == pb)
    }

    /// A one-row grid reading west, centre and east is the radius-1 line kernel.
    @Test func oneRowIsTheLineKernel() {
        var generator = SplitMix64(seed: 29)
        let x = randomVector(29, &generator, around: 0.5), ybar = randomVector(29, &generator)
        for boundary in Self.boundaries {
            let line = StencilKernel(NonlinearDiffusionSite(), radius: 1, boundary: boundary)
            let grid = GridKernel(rows: 1, columns: 29, boundary: boundary) { (u: GridNeighbourhood, d: Double) in
                NonlinearDiffusionSite()(Neighbourhood(minus1: u.west, centre: u.centre, plus1: u.east), d)
            }
            #expect(grid.apply(to: x, parameters: 0.8) == line.apply(to: x, parameters: 0.8), "\(boundary)")
            let (a, pa) = grid.pullback(at: x, parameters: 0.8, cotangent: ybar), (b, pb) = line.pullback(at: x, parameters: 0.8, cotangent: ybar)
            #expect(relativeError(a, b) < 1e-15 && relativeError(pa, pb) < 1e-14, "\(boundary)")
        }
    }

    /// The grid's RK4 step through the driver: Revolve bitwise equal to store-all, and both
    /// equal (to rounding) Swift AD through four `apply` calls composed with `Vector` code.
    @Test func rungeKutta4GradientThroughTheDriver() throws {
        let kernel = GridKernel(AllenCahnSite(), rows: 9, columns: 13, boundary: .periodic)
        var generator = SplitMix64(seed: 31)
        let x0 = randomVector(9 * 13, &generator, around: 0.2), d = 0.15, dt = 0.05, steps = 40
        let revolve = try valueWithCheckpointedGradient(
            at: x0, parameters: d, steps: steps, checkpointing: .revolve(memory: .slots(4)),
            step: kernel.rungeKutta4(dt: dt), losses: [.final { $0.halfSquaredNorm() }])
        let storeAll = try valueWithCheckpointedGradient(
            at: x0, parameters: d, steps: steps, checkpointing: .storeAll,
            step: kernel.rungeKutta4(dt: dt), losses: [.final { $0.halfSquaredNorm() }])
        #expect(revolve.initialState == storeAll.initialState && revolve.parameters == storeAll.parameters)
        let (xbar, dbar) = gradient(at: x0, d) { x, d -> Double in
            var x = x
            for _ in 0..<steps {
                let k1 = kernel.apply(to: x, parameters: d)
                let k2 = kernel.apply(to: Vector.axpy(dt / 2, k1, x), parameters: d)
                let k3 = kernel.apply(to: Vector.axpy(dt / 2, k2, x), parameters: d)
                let k4 = kernel.apply(to: Vector.axpy(dt, k3, x), parameters: d)
                x = x + (k1 + k2 * 2 + k3 * 2 + k4) * (dt / 6)
            }
            return x.halfSquaredNorm()
        }
        #expect(relativeError(storeAll.initialState, xbar) < 1e-12)
        #expect(relativeError(storeAll.parameters, dbar) < 1e-12)
    }
}
