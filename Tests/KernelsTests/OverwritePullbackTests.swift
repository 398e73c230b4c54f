import _Differentiation
import CheckpointedAD
import Kernels
import RewindExamples
import RewindTestSupport
import Testing

/// `overwritePullback` against its definition, bit for bit: `accumulatePullback` with the
/// fresh buffer cleared to +0.0 and the total holding `base` (or its own values) as a second
/// target; for a scattering kernel, the finished fresh buffer added to the total. The fresh
/// buffer starts full of NaNs, so an element the sweep fails to write, or adds to instead of
/// writing, shows. Every stencil radius and boundary kind, fields with no interior site, no
/// whole block of eight, blocks and blocks plus single sites; both seed kinds; no total, a
/// total and a total from a base; and the scattering kernels' default implementation.
@Suite struct OverwritePullbackTests {
    static let seeds = [false, true]
    static let totals = [Total.none, .added, .based]

    enum Total { case none, added, based }

    @Test(arguments: [4, 5, 9, 12, 18, 29, 64])
    func stencilKernelsOverwriteAsTheyWouldAccumulate(size: Int) {
        var generator = SplitMix64(seed: 41)
        let x = randomVector(size, &generator, around: 0.5), y = randomVector(size, &generator), z = randomVector(size, &generator)
        let total0 = randomVector(size, &generator), base = randomVector(size, &generator)
        for boundary in [Boundary.periodic, .fixed(0.3), .zeroFlux] {
            for hasZ in Self.seeds {
                for total in Self.totals {
                    let label = "N = \(size), \(boundary), z: \(hasZ), \(total)"
                    let zz = hasZ ? z : nil
                    check(StencilKernel(LogisticSite(), radius: 0, boundary: boundary), x, 1.7, y, zz, total, total0, base, label)
                    check(StencilKernel(NonlinearDiffusionSite(), radius: 1, boundary: boundary), x, 0.4, y, zz, total, total0, base, label)
                    check(StencilKernel(AdvectionSite(), radius: 2, boundary: boundary), x, 1.1, y, zz, total, total0, base, label)
                    check(StencilKernel(Lorenz96Site(), radius: 2, boundary: boundary), x, 8, y, zz, total, total0, base, label)
                }
            }
        }
    }

    @Test func radiusOneFieldOfTwoHasNoInteriorAndStillWritesEveryElement() {
        var generator = SplitMix64(seed: 43)
        let x = randomVector(2, &generator), y = randomVector(2, &generator), total0 = randomVector(2, &generator), base = randomVector(2, &generator)
        for total in Self.totals {
            check(StencilKernel(NonlinearDiffusionSite(), radius: 1, boundary: .periodic), x, 0.4, y, nil, total, total0, base, "N = 2, \(total)")
        }
    }

    @Test func scatteringKernelsOverwriteAsTheyWouldAccumulate() {
        var generator = SplitMix64(seed: 47)
        let (rows, columns) = (5, 11), n = rows * columns
        let x = randomVector(2 * n, &generator, around: 0.3), y = randomVector(2 * n, &generator), z = randomVector(2 * n, &generator)
        let total0 = randomVector(2 * n, &generator), base = randomVector(2 * n, &generator)
        func prefix(_ v: Vector, _ count: Int) -> Vector { Vector(Array(v.scalars[0..<count])) }
        for hasZ in Self.seeds {
            for total in Self.totals {
                let label = "z: \(hasZ), \(total)"
                check(GridKernel(AllenCahnSite(), rows: rows, columns: columns, boundary: .zeroFlux), prefix(x, n), 0.4, prefix(y, n),
                      hasZ ? prefix(z, n) : nil, total, prefix(total0, n), prefix(base, n), "grid, \(label)")
                check(CoupledGridKernel(CrossCoupledGridSite(), rows: rows, columns: columns, boundaries: (u: .periodic, v: .fixed(0.5))),
                      x, 0.6, y, hasZ ? z : nil, total, total0, base, "coupled grid, \(label)")
                check(CoupledStencilKernel(CrossCoupledSite(), radius: 2, boundaries: (u: .zeroFlux, v: .periodic)),
                      x, 0.6, y, hasZ ? z : nil, total, total0, base, "coupled line, \(label)")
            }
        }
    }

    /// `overwritePullback` with seed 0.7·y (+ 1.3·z) over a NaN-filled buffer against
    /// `accumulatePullback` into zeros and a copy of `base` (or of `total0`).
    func check<Kernel: FieldKernel>(
        _ kernel: Kernel, _ x: Vector, _ p: Double, _ y: Vector, _ z: Vector?,
        _ total: Total, _ total0: Vector, _ base: Vector, _ label: String
    ) where Kernel.Parameters == Double {
        let n = x.count
        let start = total == .none ? nil : (total == .based ? base : total0)
        var expected = sweptPullback(kernel, x, p, y, z, Vector(repeating: 0, count: n), kernel.scattersCotangents ? nil : start)
        if kernel.scattersCotangents, let start {
            expected.b = zip(start.scalars, expected.a).map { $0 + $1 }
        }
        var fresh = [Double](repeating: .nan, count: n), sum = total0.scalars
        let pbar = x.scalars.withUnsafeBufferPointer { xp in
            y.scalars.withUnsafeBufferPointer { yp in
                (z ?? y).scalars.withUnsafeBufferPointer { zp in
                    base.scalars.withUnsafeBufferPointer { bp in
                        fresh.withUnsafeMutableBufferPointer { fp in
                            sum.withUnsafeMutableBufferPointer { sp in
                                let seed = PullbackSeed(0.7, yp.baseAddress!, plus: z == nil ? 0 : 1.3, z == nil ? nil : zp.baseAddress!)
                                return kernel.overwritePullback(at: xp.baseAddress!, n, parameters: p, seed: seed, over: fp.baseAddress!,
                                                                addingTo: total == .none ? nil : sp.baseAddress!,
                                                                from: total == .based ? bp.baseAddress! : nil)
                            }
                        }
                    }
                }
            }
        }
        #expect(fresh.map(\.bitPattern) == expected.a.map(\.bitPattern), "\(label): the fresh buffer")
        if let expectedTotal = expected.b { #expect(sum.map(\.bitPattern) == expectedTotal.map(\.bitPattern), "\(label): the total") }
        #expect(pbar.bitPattern == expected.p.bitPattern, "\(label): p̄")
    }
}
