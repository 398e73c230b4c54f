import _Differentiation

// The backward sweep of a coupled kernel: each point's pullback from Swift AD, seeded with
// (s_{2i}, s_{2i+1}), scattered to both fields' cotangents; parameter cotangents summed in
// point order. The interior runs in out-of-line blocks of eight points (ScatteringSweep.swift).

extension CoupledStencilKernel: ScatteringSweep {
    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed
    /// in point order.
    ///
    /// - Complexity: count / 2 site pullbacks, one pass; allocates nothing itself.
    @inlinable
    public func accumulatePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        sweepSpecialised(at: x, count, parameters: parameters, seed: seed, into: a, alsoInto: b)
    }

    /// Every point in order: the edges through the boundaries, the interior in blocks of eight.
    @inlinable
    func sweep<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ count: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let n = count / 2, r = radius
        var parameterBar = Parameters.TangentVector.zero
        for i in 0..<r { parameterBar += edgePullback(at: x, i, n, parameters, seed, targets) }
        scatterRun(at: x, from: r, to: n - r, parameters, seed, targets, &parameterBar)
        for i in max(r, n - r)..<n where r > 0 { parameterBar += edgePullback(at: x, i, n, parameters, seed, targets) }
        return parameterBar
    }

    /// The radius: each of 0, 1 and 2 gets its own copy of the block of eight.
    @inlinable
    var scatterRadius: Int { radius }

    /// Interior point i's pullback scattered to both fields (offsets within radius `r`).
    @inlinable @inline(__always)
    func scatter<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector, radius r: Int
    ) {
        let j = 2 &* i
        let (gu, gv, gp) = site.pullback(
            at: interiorNeighbourhood(i, field: 0, x), interiorNeighbourhood(i, field: 1, x), parameters,
            seed: SitePair(u: seed(j), v: seed(j &+ 1)))
        parameterBar += gp
        if r >= 2 {
            targets.add(gu.minus2, at: j &- 4)
            targets.add(gv.minus2, at: j &- 3)
        }
        if r >= 1 {
            targets.add(gu.minus1, at: j &- 2)
            targets.add(gv.minus1, at: j &- 1)
        }
        targets.add(gu.centre, at: j)
        targets.add(gv.centre, at: j &+ 1)
        if r >= 1 {
            targets.add(gu.plus1, at: j &+ 2)
            targets.add(gv.plus1, at: j &+ 3)
        }
        if r >= 2 {
            targets.add(gu.plus2, at: j &+ 4)
            targets.add(gv.plus2, at: j &+ 5)
        }
    }

    /// Edge point i's pullback, scattered through each field's boundary; returns its J_pᵀs_i.
    @inlinable @inline(never)
    func edgePullback<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ n: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let (gu, gv, gp) = site.pullback(
            at: edgeNeighbourhood(i, field: 0, x, n), edgeNeighbourhood(i, field: 1, x, n), parameters,
            seed: SitePair(u: seed(2 * i), v: seed(2 * i + 1)))
        for k in -radius...radius {
            if let j = source(of: i + k, field: 0, count: n) { targets.add(gu[k], at: j) }
            if let j = source(of: i + k, field: 1, count: n) { targets.add(gv[k], at: j) }
        }
        return gp
    }
}
