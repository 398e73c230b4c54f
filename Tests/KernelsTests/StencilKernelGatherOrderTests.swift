import _Differentiation
import CheckpointedAD
import Kernels
import RewindExamples
import RewindTestSupport
import Testing

/// The backward sweep's summation order, which fixes the gradient's bits: `accumulatePullback`
/// against a site-by-site reference written here from the documented order, bit for bit, on
/// every boundary kind, radius 0, 1 and 2, both seed kinds, one target and two, and field
/// sizes that leave the interior with no block of eight, whole blocks and blocks plus
/// single sites.
///
/// The order: element j gets ((((g_{j−2}.plus2 + g_{j−1}.plus1) + g_j.centre) +
/// g_{j+1}.minus1) + g_{j+2}.minus2) over the interior sites (+0.0 for a site outside the
/// interior or an offset beyond the radius); then the first r edge sites scatter (offsets
/// −r … r in turn), then the last r. The parameter cotangent: the first edge sites in order,
/// plus the interior sites' sum (from 0: each block of eight from the first interior site
/// summed pairwise, ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)), and added; the sites
/// left over one by one), plus the last edge sites in order.
@Suite struct StencilKernelGatherOrderTests {
    @Test(arguments: [4, 5, 9, 12, 18, 29, 64])
    func sweepEqualsTheSiteBySiteOrderBitForBit(size: Int) {
        var generator = SplitMix64(seed: 31)
        let x = randomVector(size, &generator, around: 0.5), y = randomVector(size, &generator), z = randomVector(size, &generator)
        let a0 = randomVector(size, &generator), b0 = randomVector(size, &generator)
        for boundary in [Boundary.periodic, .fixed(0.3), .zeroFlux] {
            for withZ in [false, true] {
                for withB in [false, true] {
                    let label = "N = \(size), \(boundary), z: \(withZ), two targets: \(withB)"
                    check(StencilKernel(LogisticSite(), radius: 0, boundary: boundary), x, 1.7, y, withZ ? z : nil, a0, withB ? b0 : nil, label)
                    check(StencilKernel(NonlinearDiffusionSite(), radius: 1, boundary: boundary), x, 0.4, y, withZ ? z : nil, a0, withB ? b0 : nil, label)
                    check(StencilKernel(AdvectionSite(), radius: 2, boundary: boundary), x, 1.1, y, withZ ? z : nil, a0, withB ? b0 : nil, label)
                    check(StencilKernel(Lorenz96Site(), radius: 2, boundary: boundary), x, 8, y, withZ ? z : nil, a0, withB ? b0 : nil, label)
                }
            }
        }
    }

    /// The library's sweep against ``reference(_:_:_:_:_:_:_:)`` for seed s = 0.7·y (+ 1.3·z).
    func check<Site: SiteFunction>(
        _ kernel: StencilKernel<Site>, _ x: Vector, _ p: Site.Parameters, _ y: Vector, _ z: Vector?,
        _ a0: Vector, _ b0: Vector?, _ label: String
    ) where Site.Parameters == Double, Site.Parameters.TangentVector == Double {
        let (a, b, pbar) = sweptPullback(kernel, x, p, y, z, a0, b0)
        let expected = reference(kernel, x, p, y, z, a0, b0)
        #expect(a.map(\.bitPattern) == expected.a.map(\.bitPattern), "\(label), radius \(kernel.radius): x̄")
        if let eb = expected.b { #expect(b?.map(\.bitPattern) == eb.map(\.bitPattern), "\(label), radius \(kernel.radius): second target") }
        #expect(pbar.bitPattern == expected.p.bitPattern, "\(label), radius \(kernel.radius): p̄")
    }

    /// The documented order, site by site (see the suite's comment).
    func reference<Site: SiteFunction>(
        _ kernel: StencilKernel<Site>, _ x: Vector, _ p: Site.Parameters, _ y: Vector, _ z: Vector?, _ a0: Vector, _ b0: Vector?
    ) -> (a: [Double], b: [Double]?, p: Double) where Site.Parameters == Double, Site.Parameters.TangentVector == Double {
        let n = x.count, r = kernel.radius, boundary = kernel.boundary
        func seed(_ i: Int) -> Double {
            if let z { return 0.7 * y.scalars[i] + 1.3 * z.scalars[i] }
            return 0.7 * y.scalars[i]
        }
        func value(_ j: Int, _ k: Int) -> Double { abs(k) <= r ? ghost(x, j + k, boundary) : 0 }
        func sitePullback(_ i: Int) -> (Neighbourhood, Double) {
            let u = Neighbourhood(minus2: value(i, -2), minus1: value(i, -1), centre: x.scalars[i], plus1: value(i, 1), plus2: value(i, 2))
            return kernel.site.pullback(at: u, p, seed: seed(i))
        }
        var a = a0.scalars, b = b0?.scalars, pbar = 0.0
        func scatter(_ i: Int, _ g: Neighbourhood) {
            for k in -r...r {
                if let j = source(i + k, n, boundary) {
                    a[j] += g[k]
                    b?[j] += g[k]
                }
            }
        }
        var firstEdges = [(Int, Neighbourhood)]()
        for i in 0..<r {
            let (g, gp) = sitePullback(i)
            firstEdges.append((i, g))
            pbar += gp
        }
        let interior = r < n - r ? r..<(n - r) : 0..<0
        var terms = [Int: Neighbourhood](), gps = [Double]()
        for i in interior {
            let (g, gp) = sitePullback(i)
            terms[i] = g
            gps.append(gp)
        }
        var interiorBar = 0.0, k = 0
        while k + 8 <= gps.count {
            let q = Array(gps[k..<(k + 8)])
            interiorBar += ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]))
            k += 8
        }
        for gp in gps[k...] { interiorBar += gp }
        func term(_ i: Int, _ k: Int) -> Double { abs(k) <= r ? (terms[i]?[k] ?? 0) : 0 }
        if !interior.isEmpty {
            for j in max(0, r - 2)..<min(n, n - r + 2) {
                let e = (((term(j - 2, 2) + term(j - 1, 1)) + term(j, 0)) + term(j + 1, -1)) + term(j + 2, -2)
                a[j] += e
                b?[j] += e
            }
        }
        pbar += interiorBar
        for (i, g) in firstEdges { scatter(i, g) }
        for i in max(r, n - r)..<n where r > 0 {
            let (g, gp) = sitePullback(i)
            scatter(i, g)
            pbar += gp
        }
        return (a, b, pbar)
    }
}
