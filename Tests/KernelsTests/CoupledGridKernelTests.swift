import _Differentiation
import CheckpointedAD
import Kernels
import RewindExamples
import RewindTestSupport
import Testing

/// Two fields on a grid, each output reading the other field off-centre and at a corner.
struct CrossCoupledGridSite: CoupledGridSiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: GridNeighbourhood, _ v: GridNeighbourhood, _ d: Double) -> SitePair {
        SitePair(u: AllenCahnSite()(u, d) + 0.3 * v.east * u.centre - 0.1 * v.northWest,
                 v: d * d * (v.north + v.south - 2 * v.centre) + u.southEast * v.centre - 0.2 * u.west * u.north)
    }
    func pullback(at u: GridNeighbourhood, _ v: GridNeighbourhood, _ d: Double, seed: SitePair)
        -> (GridNeighbourhood, GridNeighbourhood, Double)
    {
        valueWithPullback(at: u, v, d) { u, v, d in self(u, v, d) }.pullback(seed)
    }
}

/// The two-field grid kernel: values against an independent loop, the pullback against finite
/// differences and the dot-product test for every pair of boundaries, its RK4 step through
/// the driver, and the Gray–Scott example.
@Suite struct CoupledGridKernelTests {
    static let boundaryPairs: [(u: Boundary, v: Boundary)] = [(.periodic, .periodic), (.zeroFlux, .fixed(0.5)), (.fixed(-1), .zeroFlux)]

    @Test func valuesMatchAnIndependentLoop() {
        var generator = SplitMix64(seed: 53)
        for (rows, columns) in GridKernelTests.shapes {
            let x = (0..<(2 * rows * columns)).map { _ in generator.uniform(-1...1) }
            let u = stride(from: 0, to: x.count, by: 2).map { x[$0] }, v = stride(from: 1, to: x.count, by: 2).map { x[$0] }
            for boundaries in Self.boundaryPairs {
                let kernel = CoupledGridKernel(CrossCoupledGridSite(), rows: rows, columns: columns, boundaries: boundaries)
                let values = kernel.apply(to: Vector(x), parameters: 0.4).scalars
                for r in 0..<rows {
                    for c in 0..<columns {
                        var nu = GridNeighbourhood.zero, nv = GridNeighbourhood.zero
                        for dr in -1...1 {
                            for dc in -1...1 {
                                nu[dr, dc] = GridKernelTests.reference(u, rows, columns, boundaries.u, r + dr, c + dc)
                                nv[dr, dc] = GridKernelTests.reference(v, rows, columns, boundaries.v, r + dr, c + dc)
                            }
                        }
                        let expected = CrossCoupledGridSite()(nu, nv, 0.4), j = r * columns + c
                        #expect(values[2 * j] == expected.u && values[2 * j + 1] == expected.v, "\(rows)×\(columns) at (\(r), \(c))")
                    }
                }
            }
        }
    }

    /// ⟨w, J v⟩ = ⟨Jᵀw, v⟩ with J v by central differences, and ∂⟨w, f⟩/∂d likewise.
    @Test func dotProductAndFiniteDifferenceTests() {
        var generator = SplitMix64(seed: 59)
        for (rows, columns) in GridKernelTests.shapes {
            for boundaries in Self.boundaryPairs {
                let kernel = CoupledGridKernel(CrossCoupledGridSite(), rows: rows, columns: columns, boundaries: boundaries)
                let n = 2 * rows * columns, d = 0.6, h = 1e-6
                let x = randomVector(n, &generator, around: 0.3), w = randomVector(n, &generator), v = randomVector(n, &generator)
                let jv = (kernel.apply(to: Vector.axpy(h, v, x), parameters: d) - kernel.apply(to: Vector.axpy(-h, v, x), parameters: d)) * (1 / (2 * h))
                let (xbar, dbar) = kernel.pullback(at: x, parameters: d, cotangent: w)
                #expect(relativeError(w.dot(jv), xbar.dot(v)) < 1e-8, "\(rows)×\(columns) \(boundaries)")
                let fd = (kernel.apply(to: x, parameters: d + h) - kernel.apply(to: x, parameters: d - h)) * (1 / (2 * h))
                #expect(relativeError(w.dot(fd), dbar) < 1e-8, "\(rows)×\(columns) \(boundaries)")
            }
        }
    }

    /// Gray–Scott on a 16 × 16 grid: Revolve bitwise equal to store-all, and the gradient
    /// against central differences of the whole run along a direction and in F.
    @Test func grayScottGradientThroughTheDriver() throws {
        let side = 16, steps = 40, kernel = GrayScott.kernel(side: side), x0 = GrayScott.initialState(side: side)
        let storeAll = try valueWithCheckpointedGradient(at: x0, parameters: GrayScott.feed, steps: steps, checkpointing: .storeAll,
                                                         step: kernel.rungeKutta4(dt: GrayScott.dt), losses: [GrayScott.loss])
        let revolve = try valueWithCheckpointedGradient(at: x0, parameters: GrayScott.feed, steps: steps, checkpointing: .revolve(memory: .slots(3)),
                                                        step: kernel.rungeKutta4(dt: GrayScott.dt), losses: [GrayScott.loss])
        #expect(revolve.initialState == storeAll.initialState && revolve.parameters == storeAll.parameters)
        // The example's step specialised in its own module is the same step, bit for bit.
        let examplesStep = try valueWithCheckpointedGradient(at: x0, parameters: GrayScott.feed, steps: steps, checkpointing: .revolve(memory: .slots(3)),
                                                             step: GrayScott.rungeKutta4(side: side), losses: [GrayScott.loss])
        #expect(examplesStep.initialState == storeAll.initialState && examplesStep.parameters == storeAll.parameters)
        func value(_ x: Vector, _ feed: Double) -> Double {
            var x = x
            for _ in 0..<steps { x = kernel.rungeKutta4Step(x, parameters: feed, dt: GrayScott.dt) }
            return x.scalars.enumerated().reduce(0) { $0 + ($1.offset % 2 == 1 ? 0.5 * $1.element * $1.element : 0) }
        }
        #expect(relativeError(storeAll.value, value(x0, GrayScott.feed)) < 1e-13)
        var generator = SplitMix64(seed: 61)
        let direction = randomVector(2 * side * side, &generator), h = 1e-6
        let directional = (value(Vector.axpy(h, direction, x0), GrayScott.feed) - value(Vector.axpy(-h, direction, x0), GrayScott.feed)) / (2 * h)
        #expect(relativeError(storeAll.initialState.dot(direction), directional) < 1e-7)
        let feedDerivative = (value(x0, GrayScott.feed + h) - value(x0, GrayScott.feed - h)) / (2 * h)
        #expect(relativeError(storeAll.parameters, feedDerivative) < 1e-6)
    }
}
