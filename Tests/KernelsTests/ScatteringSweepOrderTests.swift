import _Differentiation
import CheckpointedAD
import Kernels
import RewindTestSupport
import Testing

/// The scattering kernels' backward sweeps (2-D, two-field 2-D, two-field 1-D) against a
/// site-by-site reference written here from the documented order, bit for bit: every
/// boundary kind, both seed kinds (α·y, α·y + β·z), one target and two, and sizes whose
/// interior runs hold no block of eight, exactly one, and blocks plus single sites.
///
/// The order: sites in row-major (1-D: point) order; each site adds its cotangents through
/// the boundary, offsets in row-major order (1-D: −r … r), the u field's before the v
/// field's at each offset; the parameter cotangent sums the sites' in the same order, from 0.
/// The sweeps add every element of a site at most once except where a small periodic or
/// mirrored grid folds two offsets onto one element, where the offset order decides the bits.
@Suite struct ScatteringSweepOrderTests {
    static let withZ = [false, true], withB = [false, true]

    @Test func gridKernelSweepsInTheDocumentedOrder() {
        var generator = SplitMix64(seed: 71)
        for (rows, columns) in GridKernelTests.shapes + [(3, 10)] {
            let n = rows * columns
            let x = randomVector(n, &generator, around: 0.3), y = randomVector(n, &generator), z = randomVector(n, &generator)
            let a0 = randomVector(n, &generator), b0 = randomVector(n, &generator)
            for boundary in GridKernelTests.boundaries {
                let kernel = GridKernel(AllenCahnSite(), rows: rows, columns: columns, boundary: boundary)
                for hasZ in Self.withZ {
                    for hasB in Self.withB {
                        let zz = hasZ ? z : nil, bb = hasB ? b0 : nil
                        let swept = sweptPullback(kernel, x, 0.4, y, zz, a0, bb)
                        let expected = ScatterReference(x: x, y: y, z: zz, a: a0.scalars, b: bb?.scalars).grid(kernel, 0.4)
                        expectBitwise(swept, expected, "\(rows)×\(columns), \(boundary), z: \(hasZ), two targets: \(hasB)")
                    }
                }
            }
        }
    }

    @Test func coupledGridKernelSweepsInTheDocumentedOrder() {
        var generator = SplitMix64(seed: 73)
        for (rows, columns) in GridKernelTests.shapes + [(3, 10)] {
            let n = 2 * rows * columns
            let x = randomVector(n, &generator, around: 0.3), y = randomVector(n, &generator), z = randomVector(n, &generator)
            let a0 = randomVector(n, &generator), b0 = randomVector(n, &generator)
            for boundaries in CoupledGridKernelTests.boundaryPairs {
                let kernel = CoupledGridKernel(CrossCoupledGridSite(), rows: rows, columns: columns, boundaries: boundaries)
                for hasZ in Self.withZ {
                    for hasB in Self.withB {
                        let zz = hasZ ? z : nil, bb = hasB ? b0 : nil
                        let swept = sweptPullback(kernel, x, 0.6, y, zz, a0, bb)
                        let expected = ScatterReference(x: x, y: y, z: zz, a: a0.scalars, b: bb?.scalars).coupledGrid(kernel, 0.6)
                        expectBitwise(swept, expected, "\(rows)×\(columns), \(boundaries), z: \(hasZ), two targets: \(hasB)")
                    }
                }
            }
        }
    }

    /// Points: edges only, no whole block, one block, blocks and single points.
    @Test(arguments: [4, 5, 12, 13, 30])
    func coupledStencilKernelSweepsInTheDocumentedOrder(points: Int) {
        var generator = SplitMix64(seed: 79)
        let n = 2 * points
        let x = randomVector(n, &generator, around: 0.4), y = randomVector(n, &generator), z = randomVector(n, &generator)
        let a0 = randomVector(n, &generator), b0 = randomVector(n, &generator)
        for radius in 0...2 {
            for boundaries in CoupledStencilKernelTests.boundaryPairs {
                let kernel = CoupledStencilKernel(CrossCoupledSite(), radius: radius, boundaries: boundaries)
                for hasZ in Self.withZ {
                    for hasB in Self.withB {
                        let zz = hasZ ? z : nil, bb = hasB ? b0 : nil
                        let swept = sweptPullback(kernel, x, 0.9, y, zz, a0, bb)
                        let expected = ScatterReference(x: x, y: y, z: zz, a: a0.scalars, b: bb?.scalars).coupledLine(kernel, 0.9)
                        expectBitwise(swept, expected, "N = \(points), radius \(radius), \(boundaries), z: \(hasZ), two targets: \(hasB)")
                    }
                }
            }
        }
    }

    func expectBitwise(_ swept: (a: [Double], b: [Double]?, p: Double), _ expected: ScatterReference, _ label: String) {
        #expect(swept.a.map(\.bitPattern) == expected.a.map(\.bitPattern), "\(label): x̄")
        #expect(swept.b?.map(\.bitPattern) == expected.b?.map(\.bitPattern), "\(label): second target")
        #expect(swept.p.bitPattern == expected.p.bitPattern, "\(label): p̄")
    }
}

/// The documented scatter order, site by site, with the boundary read by the tests' own
/// ``source(_:_:_:)`` along each axis.
struct ScatterReference {
    let x: Vector, y: Vector, z: Vector?
    var a: [Double], b: [Double]?, p = 0.0

    init(x: Vector, y: Vector, z: Vector?, a: [Double], b: [Double]?) {
        (self.x, self.y, self.z, self.a, self.b) = (x, y, z, a, b)
    }

    /// s_j = 0.7·y_j (+ 1.3·z_j).
    func seed(_ j: Int) -> Double {
        if let z { return 0.7 * y.scalars[j] + 1.3 * z.scalars[j] }
        return 0.7 * y.scalars[j]
    }

    mutating func send(_ e: Double, to j: Int?) {
        guard let j else { return }
        a[j] += e
        b?[j] += e
    }

    /// The flat index cell (r, c) of a `fields`-field grid's field `field` reads, or nil.
    static func gridSource(_ r: Int, _ c: Int, rows: Int, columns: Int, _ boundary: Boundary, fields: Int = 1, field: Int = 0) -> Int? {
        guard let row = source(r, rows, boundary), let column = source(c, columns, boundary) else { return nil }
        return fields * (row * columns + column) + field
    }

    /// A field's value at cell (r, c), ghosts included.
    func gridValue(_ r: Int, _ c: Int, rows: Int, columns: Int, _ boundary: Boundary, fields: Int = 1, field: Int = 0) -> Double {
        if let j = Self.gridSource(r, c, rows: rows, columns: columns, boundary, fields: fields, field: field) { return x.scalars[j] }
        if case let .fixed(value) = boundary { return value }
        fatalError("unreachable")
    }

    consuming func grid<Site: GridSiteFunction>(_ kernel: GridKernel<Site>, _ parameters: Double) -> Self where Site.Parameters == Double {
        let (rows, columns, boundary) = (kernel.rows, kernel.columns, kernel.boundary)
        for r in 0..<rows {
            for c in 0..<columns {
                var u = GridNeighbourhood.zero
                for dr in -1...1 { for dc in -1...1 { u[dr, dc] = gridValue(r + dr, c + dc, rows: rows, columns: columns, boundary) } }
                let (g, gp) = kernel.site.pullback(at: u, parameters, seed: seed(r * columns + c))
                for dr in -1...1 {
                    for dc in -1...1 { send(g[dr, dc], to: Self.gridSource(r + dr, c + dc, rows: rows, columns: columns, boundary)) }
                }
                p += gp
            }
        }
        return self
    }

    consuming func coupledGrid<Site: CoupledGridSiteFunction>(_ kernel: CoupledGridKernel<Site>, _ parameters: Double) -> Self
        where Site.Parameters == Double
    {
        let (rows, columns, boundaries) = (kernel.rows, kernel.columns, [kernel.boundaries.u, kernel.boundaries.v])
        for r in 0..<rows {
            for c in 0..<columns {
                var u = GridNeighbourhood.zero, v = GridNeighbourhood.zero
                for dr in -1...1 {
                    for dc in -1...1 {
                        u[dr, dc] = gridValue(r + dr, c + dc, rows: rows, columns: columns, boundaries[0], fields: 2, field: 0)
                        v[dr, dc] = gridValue(r + dr, c + dc, rows: rows, columns: columns, boundaries[1], fields: 2, field: 1)
                    }
                }
                let j = 2 * (r * columns + c)
                let (gu, gv, gp) = kernel.site.pullback(at: u, v, parameters, seed: SitePair(u: seed(j), v: seed(j + 1)))
                for dr in -1...1 {
                    for dc in -1...1 {
                        send(gu[dr, dc], to: Self.gridSource(r + dr, c + dc, rows: rows, columns: columns, boundaries[0], fields: 2, field: 0))
                        send(gv[dr, dc], to: Self.gridSource(r + dr, c + dc, rows: rows, columns: columns, boundaries[1], fields: 2, field: 1))
                    }
                }
                p += gp
            }
        }
        return self
    }

    consuming func coupledLine<Site: CoupledSiteFunction>(_ kernel: CoupledStencilKernel<Site>, _ parameters: Double) -> Self
        where Site.Parameters == Double
    {
        let n = x.count / 2, r = kernel.radius, boundaries = [kernel.boundaries.u, kernel.boundaries.v]
        func index(_ i: Int, _ field: Int) -> Int? { source(i, n, boundaries[field]).map { 2 * $0 + field } }
        func value(_ i: Int, _ k: Int, _ field: Int) -> Double {
            guard abs(k) <= r else { return 0 }
            if let j = index(i + k, field) { return x.scalars[j] }
            if case let .fixed(value) = boundaries[field] { return value }
            fatalError("unreachable")
        }
        func neighbourhood(_ i: Int, _ field: Int) -> Neighbourhood {
            Neighbourhood(minus2: value(i, -2, field), minus1: value(i, -1, field), centre: value(i, 0, field),
                          plus1: value(i, 1, field), plus2: value(i, 2, field))
        }
        for i in 0..<n {
            let (gu, gv, gp) = kernel.site.pullback(at: neighbourhood(i, 0), neighbourhood(i, 1), parameters,
                                                    seed: SitePair(u: seed(2 * i), v: seed(2 * i + 1)))
            for k in -r...r {
                send(gu[k], to: index(i + k, 0))
                send(gv[k], to: index(i + k, 1))
            }
            p += gp
        }
        return self
    }
}

/// `accumulatePullback` with seed 0.7·y (+ 1.3·z) into a copy of `a0` (and of `b0`).
func sweptPullback<Kernel: FieldKernel>(
    _ kernel: Kernel, _ x: Vector, _ p: Double, _ y: Vector, _ z: Vector?, _ a0: Vector, _ b0: Vector?
) -> (a: [Double], b: [Double]?, p: Double) where Kernel.Parameters == Double {
    var a = a0.scalars, b = (b0 ?? a0).scalars
    let pbar = x.scalars.withUnsafeBufferPointer { xp in
        y.scalars.withUnsafeBufferPointer { yp in
            (z ?? y).scalars.withUnsafeBufferPointer { zp in
                a.withUnsafeMutableBufferPointer { ap in
                    b.withUnsafeMutableBufferPointer { bp in
                        let seed = PullbackSeed(0.7, yp.baseAddress!, plus: z == nil ? 0 : 1.3, z == nil ? nil : zp.baseAddress!)
                        return kernel.accumulatePullback(at: xp.baseAddress!, x.count, parameters: p, seed: seed,
                                                         into: ap.baseAddress!, alsoInto: b0 == nil ? nil : bp.baseAddress!)
                    }
                }
            }
        }
    }
    return (a, b0 == nil ? nil : b, pbar)
}
