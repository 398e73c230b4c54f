import _Differentiation

// The backward sweep of a coupled kernel: each point's pullback from Swift AD, seeded with
// (s_{2i}, s_{2i+1}), scattered to both fields' cotangents; parameter cotangents summed in
// point order. The interior runs in out-of-line blocks of eight points, for the reason given
// in StencilKernel+Pullback.swift.

extension CoupledStencilKernel {
    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed
    /// in point order.
    ///
    /// - Complexity: count / 2 site pullbacks, one pass; allocates nothing itself.
    @inlinable
    public func accumulatePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        checkFieldCount(count)
        switch (seed.z, b) {
        case let (z?, b?): return sweep(at: x, count / 2, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), TwoTargets(a, b))
        case let (z?, nil): return sweep(at: x, count / 2, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), OneTarget(a))
        case let (nil, b?): return sweep(at: x, count / 2, parameters, ScaledSeed(seed.alpha, seed.y), TwoTargets(a, b))
        case (nil, nil): return sweep(at: x, count / 2, parameters, ScaledSeed(seed.alpha, seed.y), OneTarget(a))
        }
    }

    /// Every point in order: the edges through the boundaries, the interior in blocks of eight.
    @inlinable
    func sweep<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ n: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let r = radius
        var parameterBar = Parameters.TangentVector.zero
        for i in 0..<r { parameterBar += edgePullback(at: x, i, n, parameters, seed, targets) }
        visitInBlocksOfEight(from: r, to: n - r) { i in
            interiorBlock(at: x, i, parameters, seed, targets, &parameterBar)
        } single: { i in
            interiorPoint(at: x, i, parameters, seed, targets, &parameterBar)
        }
        for i in max(r, n - r)..<n where r > 0 { parameterBar += edgePullback(at: x, i, n, parameters, seed, targets) }
        return parameterBar
    }

    /// Eight interior points i … i+7 in straight-line code, the radius fixed per copy.
    @inlinable @inline(never)
    func interiorBlock<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        var sum = parameterBar
        switch radius {
        case 2: scatterEight(at: x, i, parameters, seed, targets, &sum, radius: 2)
        case 1: scatterEight(at: x, i, parameters, seed, targets, &sum, radius: 1)
        default: scatterEight(at: x, i, parameters, seed, targets, &sum, radius: 0)
        }
        parameterBar = sum
    }

    /// Points i … i+7 one after the other.
    @inlinable @inline(__always)
    func scatterEight<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ sum: inout Parameters.TangentVector, radius r: Int
    ) {
        repeatEight(from: i) { scatter(at: x, $0, parameters, seed, targets, &sum, radius: r) }
    }

    /// One interior point, out of line.
    @inlinable @inline(never)
    func interiorPoint<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ i: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        scatter(at: x, i, parameters, seed, targets, &parameterBar, radius: radius)
    }

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
