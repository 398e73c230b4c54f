import _Differentiation

// The backward sweep of a grid kernel: per-site pullbacks from Swift AD, scattered to the
// field's cotangent, parameter cotangents summed in row-major site order.
//
// As in the 1-D kernel (StencilKernel+Pullback.swift), Swift AD's pullback stays
// allocation-free only in straight-line code, so the interior of each row is swept in
// out-of-line blocks of eight sites and the rest one site per out-of-line call.

extension GridKernel {
    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed
    /// in row-major site order.
    ///
    /// ```swift
    /// let dbar = heat.accumulatePullback(at: z, heat.rows * heat.columns, parameters: 0.1,
    ///                                    seed: PullbackSeed(1, ybar), into: zbar, alsoInto: nil)
    /// ```
    ///
    /// - Complexity: rows·columns site pullbacks, one pass; allocates nothing itself.
    @inlinable
    public func accumulatePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        checkFieldCount(count)
        switch (seed.z, b) {
        case let (z?, b?): return sweep(at: x, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), TwoTargets(a, b))
        case let (z?, nil): return sweep(at: x, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), OneTarget(a))
        case let (nil, b?): return sweep(at: x, parameters, ScaledSeed(seed.alpha, seed.y), TwoTargets(a, b))
        case (nil, nil): return sweep(at: x, parameters, ScaledSeed(seed.alpha, seed.y), OneTarget(a))
        }
    }

    /// Every site in row-major order: edge rows and columns through the boundary, each
    /// row's interior in blocks of eight.
    @inlinable
    func sweep<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        var parameterBar = Parameters.TangentVector.zero
        visitGrid(rows: rows, columns: columns) { r, c in
            parameterBar += edgePullback(at: x, r, c, parameters, seed, targets)
        } interior: { start, end in
            visitInBlocksOfEight(from: start, to: end) { j in
                interiorBlock(at: x, j, parameters, seed, targets, &parameterBar)
            } single: { j in
                interiorSite(at: x, j, parameters, seed, targets, &parameterBar)
            }
        }
        return parameterBar
    }

    /// Eight interior sites j … j+7 of one row in straight-line code.
    @inlinable @inline(never)
    func interiorBlock<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        var sum = parameterBar
        repeatEight(from: j) { scatter(at: x, $0, parameters, seed, targets, &sum) }
        parameterBar = sum
    }

    /// One interior site, out of line.
    @inlinable @inline(never)
    func interiorSite<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        scatter(at: x, j, parameters, seed, targets, &parameterBar)
    }

    /// Interior site j's pullback: its nine cotangents added to the targets, its parameter
    /// cotangent to the sum.
    @inlinable @inline(__always)
    func scatter<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        let (g, gp) = site.pullback(at: interiorNeighbourhood(j, x), parameters, seed: seed(j))
        parameterBar += gp
        let north = j &- columns, south = j &+ columns
        targets.add(g.northWest, at: north &- 1)
        targets.add(g.north, at: north)
        targets.add(g.northEast, at: north &+ 1)
        targets.add(g.west, at: j &- 1)
        targets.add(g.centre, at: j)
        targets.add(g.east, at: j &+ 1)
        targets.add(g.southWest, at: south &- 1)
        targets.add(g.south, at: south)
        targets.add(g.southEast, at: south &+ 1)
    }

    /// Edge site (r, c)'s pullback, scattered through the boundary (nowhere for a fixed
    /// ghost); returns its parameter cotangent.
    @inlinable @inline(never)
    func edgePullback<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ r: Int, _ c: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let (g, gp) = site.pullback(at: edgeNeighbourhood(r, c, x), parameters, seed: seed(r * columns + c))
        for dr in -1...1 {
            for dc in -1...1 {
                if let j = source(ofRow: r + dr, column: c + dc) { targets.add(g[dr, dc], at: j) }
            }
        }
        return gp
    }
}
