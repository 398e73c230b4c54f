import _Differentiation
import CheckpointedAD

// The backward sweep of a stencil kernel: per-site pullbacks from Swift AD, scattered to
// the field's cotangent, parameter cotangents summed in site order (a block of eight
// interior sites pairwise, then added).
//
// The sweeps are inlinable so that they are specialised for the caller's site function.
// Where the per-site pullback is inlined matters (Swift 6.3.1, measured in kernel-report):
// inlined into a loop, Swift AD's pullback heap-allocates its closure contexts at every
// site; in straight-line code the contexts stay on the stack and the optimiser reduces the
// pullback to a few arithmetic instructions. So the interior is swept in blocks of eight
// sites, each block a specialised out-of-line function of straight-line code, and the few
// sites left over (and the edge sites) one per out-of-line call.

extension StencilKernel: PullbackSweep {
    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed in
    /// site order: the fused backward sweep every pullback here runs.
    ///
    /// ```swift
    /// let Fbar = lorenz.accumulatePullback(at: z, n, parameters: 8, seed: PullbackSeed(dt / 6, ybar),
    ///                                      into: zbar, alsoInto: xbar)
    /// ```
    ///
    /// The interior sites gather: element j is written once, when sites up to j + 2 are
    /// done, as s_{j−2}·∂f_{j−2}/∂x_j + … + s_{j+2}·∂f_{j+2}/∂x_j in that order, so no site
    /// reloads what the site before it stored; a block of eight sites takes its eight
    /// pullbacks first and then completes its eight elements, a window of four partial sums
    /// carrying the elements still open from block to block. Then the edge sites scatter
    /// their cotangents through the boundary, the first r sites before the last r.
    ///
    /// - Complexity: O(N) site pullbacks, one pass; allocates nothing itself.
    @inlinable
    public func accumulatePullback(
        at x: UnsafePointer<Double>, _ n: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        sweepSpecialised(at: x, n, parameters: parameters, seed: seed, into: a, alsoInto: b)
    }

    /// Writes J_xᵀs over `fresh` and adds it to `total` (or writes `base` + J_xᵀs there) in
    /// the sweep itself: the interior puts each element once, so nothing is cleared or copied
    /// first (see ``FieldKernel/overwritePullback(at:_:parameters:seed:over:addingTo:from:)``).
    ///
    /// - Complexity: O(N) site pullbacks, one pass; allocates nothing.
    @inlinable
    public func overwritePullback(
        at x: UnsafePointer<Double>, _ n: Int, parameters: Parameters, seed: PullbackSeed,
        over fresh: UnsafeMutablePointer<Double>, addingTo total: UnsafeMutablePointer<Double>?, from base: UnsafePointer<Double>?
    ) -> Parameters.TangentVector {
        checkFieldCount(n)
        switch (seed.z, total, base) {
        case let (z?, total?, base?): return sweep(at: x, n, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), OverwrittenAndBased(fresh, total, base))
        case let (z?, total?, nil): return sweep(at: x, n, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), OverwrittenAndAdded(fresh, total))
        case let (z?, nil, _): return sweep(at: x, n, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), Overwritten(fresh))
        case let (nil, total?, base?): return sweep(at: x, n, parameters, ScaledSeed(seed.alpha, seed.y), OverwrittenAndBased(fresh, total, base))
        case let (nil, total?, nil): return sweep(at: x, n, parameters, ScaledSeed(seed.alpha, seed.y), OverwrittenAndAdded(fresh, total))
        case (nil, nil, _): return sweep(at: x, n, parameters, ScaledSeed(seed.alpha, seed.y), Overwritten(fresh))
        }
    }

    /// The interior gathered, then the edge sites through the boundary. The first edge
    /// sites' pullbacks run first, so that J_pᵀs is summed in site order, but their
    /// cotangents are added after the interior has put every element (so that a fresh target
    /// needs no clearing); with no interior site, every element is put as −0.0, which adds
    /// nothing. The edges take three out-of-line calls, whatever the radius: at N = 40 they
    /// are a tenth of the sites.
    @inlinable
    func sweep<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ n: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let r = radius
        var parameterBar = Parameters.TangentVector.zero
        let firstEdges = r > 0 ? firstEdgePullbacks(at: x, n, parameters, seed, adding: &parameterBar) : (.zero, .zero)
        if r < n - r {
            parameterBar += sweepInterior(at: x, n, parameters, seed, targets)
        } else {
            for j in 0..<n { targets.put(-0.0, at: j) }
        }
        if r > 0 {
            scatterFirstEdges(firstEdges, n, targets)
            lastEdges(at: x, n, parameters, seed, targets, adding: &parameterBar)
        }
        return parameterBar
    }

    /// The interior sites r … n−r−1: blocks of eight, then one by one; returns their J_pᵀs.
    @inlinable
    func sweepInterior<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ n: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let r = radius
        guard r < n - r else { return .zero }
        var window = PullbackWindow<Parameters.TangentVector>()
        visitInBlocksOfEight(from: r, to: n - r) { i in
            interiorBlock(at: x, i, parameters, seed, targets, &window)
        } single: { i in
            interiorSite(at: x, i, parameters, seed, targets, &window)
        }
        window.flush(end: n - r, count: n, into: targets)
        return window.parameterBar
    }

    /// Eight interior sites i … i+7 in straight-line code, the radius fixed per copy (see
    /// the file header).
    @inlinable @inline(never)
    func interiorBlock<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ window: inout PullbackWindow<Parameters.TangentVector>
    ) {
        var w = window
        switch radius {
        case 2: gatherEight(at: x, i, parameters, seed, targets, &w, radius: 2)
        case 1: gatherEight(at: x, i, parameters, seed, targets, &w, radius: 1)
        default: gatherEight(at: x, i, parameters, seed, targets, &w, radius: 0)
        }
        window = w
    }

    /// Sites i … i+7: their eight pullbacks first, independent of each other, then elements
    /// i − 2 … i + 5 completed from them and the window, each summed in the order ``gather``
    /// sums it (s_{j−2}·∂f_{j−2}/∂x_j first), so the bits are the site-by-site sweep's. With
    /// no chain through the window between sites, the optimiser can pair neighbouring sites
    /// in vector registers (SLP), in the pullbacks and in the writes.
    @inlinable @inline(__always)
    func gatherEight<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ w: inout PullbackWindow<Parameters.TangentVector>, radius r: Int
    ) {
        func terms(_ k: Int) -> (Neighbourhood, Parameters.TangentVector) {
            let (g, gp) = site.pullback(at: interiorNeighbourhood(i &+ k, x, radius: r), parameters, seed: seed(i &+ k))
            return (Neighbourhood(minus2: r >= 2 ? g.minus2 : 0, minus1: r >= 1 ? g.minus1 : 0, centre: g.centre,
                                  plus1: r >= 1 ? g.plus1 : 0, plus2: r >= 2 ? g.plus2 : 0), gp)
        }
        let (g0, p0) = terms(0), (g1, p1) = terms(1), (g2, p2) = terms(2), (g3, p3) = terms(3)
        let (g4, p4) = terms(4), (g5, p5) = terms(5), (g6, p6) = terms(6), (g7, p7) = terms(7)
        // The block's J_pᵀs as a pairwise sum, then one add into the running sum: eight
        // dependent adds per block would bound the sweep by their latency.
        w.parameterBar += ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7))
        // Element j = i − 2 + m: (((g_{j−2}.plus2 + g_{j−1}.plus1) + g_j.centre) + g_{j+1}.minus1) + g_{j+2}.minus2,
        // the window standing for the sites before i. Put as one vector per target.
        let e = SIMD8(w.e0 + g0.minus2,
                      (w.e1 + g0.minus1) + g1.minus2,
                      ((w.e2 + g0.centre) + g1.minus1) + g2.minus2,
                      (((w.e3 + g0.plus1) + g1.centre) + g2.minus1) + g3.minus2,
                      (((g0.plus2 + g1.plus1) + g2.centre) + g3.minus1) + g4.minus2,
                      (((g1.plus2 + g2.plus1) + g3.centre) + g4.minus1) + g5.minus2,
                      (((g2.plus2 + g3.plus1) + g4.centre) + g5.minus1) + g6.minus2,
                      (((g3.plus2 + g4.plus1) + g5.centre) + g6.minus1) + g7.minus2)
        if r == 2 {
            targets.put(e, startingAt: i &- 2)
        } else {
            for m in 0..<8 where i &- 2 &+ m >= 0 { targets.put(e[m], at: i &- 2 &+ m) }
        }
        w.e0 = ((g4.plus2 + g5.plus1) + g6.centre) + g7.minus1
        w.e1 = (g5.plus2 + g6.plus1) + g7.centre
        w.e2 = g6.plus2 + g7.plus1
        w.e3 = g7.plus2
    }

    /// One interior site, out of line.
    @inlinable @inline(never)
    func interiorSite<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ w: inout PullbackWindow<Parameters.TangentVector>
    ) {
        gather(at: x, i, parameters, seed, targets, &w, radius: radius)
    }

    /// Site i's pullback added to the window; element i − 2, now complete, written out.
    /// Cotangents beyond the radius (of inputs the site does not read) are dropped.
    @inlinable @inline(__always)
    func gather<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ w: inout PullbackWindow<Parameters.TangentVector>, radius r: Int
    ) {
        let (g, gp) = site.pullback(at: interiorNeighbourhood(i, x, radius: r), parameters, seed: seed(i))
        w.parameterBar += gp
        let (minus2, minus1) = (r >= 2 ? g.minus2 : 0, r >= 1 ? g.minus1 : 0)
        let (plus1, plus2) = (r >= 1 ? g.plus1 : 0, r >= 2 ? g.plus2 : 0)
        let complete = w.e0 + minus2
        if r == 2 || i >= 2 { targets.put(complete, at: i &- 2) }
        (w.e0, w.e1, w.e2, w.e3) = (w.e1 + minus1, w.e2 + g.centre, w.e3 + plus1, plus2)
    }

    /// Sites 0 … r−1: their cotangents, and their J_pᵀs added to `parameterBar` in order.
    @inlinable @inline(never)
    func firstEdgePullbacks<Seed: SweepSeed>(
        at x: UnsafePointer<Double>, _ n: Int, _ parameters: Parameters, _ seed: Seed,
        adding parameterBar: inout Parameters.TangentVector
    ) -> (Neighbourhood, Neighbourhood) {
        let (g0, p0) = site.pullback(at: edgeNeighbourhood(0, x, n), parameters, seed: seed(0))
        parameterBar += p0
        guard radius >= 2 else { return (g0, .zero) }
        let (g1, p1) = site.pullback(at: edgeNeighbourhood(1, x, n), parameters, seed: seed(1))
        parameterBar += p1
        return (g0, g1)
    }

    /// The cotangents of sites 0 … r−1 added through the boundary, site 0's first.
    @inlinable @inline(never)
    func scatterFirstEdges<Targets: SweepTargets>(_ g: (Neighbourhood, Neighbourhood), _ n: Int, _ targets: Targets) {
        scatter(g.0, from: 0, n, targets)
        if radius >= 2 { scatter(g.1, from: 1, n, targets) }
    }

    /// Sites n−r … n−1 in order, straight-line (a pullback inlined into a loop allocates):
    /// each site's cotangents added through the boundary, its J_pᵀs to `parameterBar`.
    @inlinable @inline(never)
    func lastEdges<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ n: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        adding parameterBar: inout Parameters.TangentVector
    ) {
        let i = n - radius
        let (g0, p0) = site.pullback(at: edgeNeighbourhood(i, x, n), parameters, seed: seed(i))
        scatter(g0, from: i, n, targets)
        parameterBar += p0
        guard radius >= 2 else { return }
        let (g1, p1) = site.pullback(at: edgeNeighbourhood(i + 1, x, n), parameters, seed: seed(i + 1))
        scatter(g1, from: i + 1, n, targets)
        parameterBar += p1
    }

    /// Edge site i's cotangents added through the boundary, offsets −r … r in turn.
    @inlinable @inline(__always)
    func scatter<Targets: SweepTargets>(_ g: Neighbourhood, from i: Int, _ n: Int, _ targets: Targets) {
        // Written out: a loop over k indexed the neighbourhood through a jump table per offset
        // (kernel-report at N = 40, where edges are a tenth of the sites).
        func send(_ k: Int, _ value: Double) {
            guard let j = boundary.source(of: i &+ k, count: n) else { return }
            targets.add(value, at: j)
        }
        if radius >= 2 { send(-2, g.minus2) }
        if radius >= 1 { send(-1, g.minus1) }
        send(0, g.centre)
        if radius >= 1 { send(1, g.plus1) }
        if radius >= 2 { send(2, g.plus2) }
    }

    /// The neighbourhood of an interior site for radius `r`, read without index checks.
    @inlinable @inline(__always)
    func interiorNeighbourhood(_ i: Int, _ x: UnsafePointer<Double>, radius r: Int) -> Neighbourhood {
        switch r {
        case 0: Neighbourhood(centre: x[i])
        case 1: Neighbourhood(minus1: x[i &- 1], centre: x[i], plus1: x[i &+ 1])
        default: Neighbourhood(minus2: x[i &- 2], minus1: x[i &- 1], centre: x[i], plus1: x[i &+ 1], plus2: x[i &+ 2])
        }
    }
}
