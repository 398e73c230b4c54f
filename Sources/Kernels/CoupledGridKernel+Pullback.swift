import _Differentiation

// The backward sweep of a two-field grid kernel: each cell's pullback from Swift AD, seeded
// with (s_{2j}, s_{2j+1}), scattered to both fields; parameter cotangents summed in
// row-major order. Each row's interior runs in out-of-line blocks of eight cells, for the
// reason given in StencilKernel+Pullback.swift.

extension CoupledGridKernel {
    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed
    /// in row-major site order.
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

    /// Every cell in row-major order: edges through the boundaries, interiors in blocks of eight.
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
                interiorCell(at: x, j, parameters, seed, targets, &parameterBar)
            }
        }
        return parameterBar
    }

    /// Eight interior cells j … j+7 of one row in straight-line code.
    @inlinable @inline(never)
    func interiorBlock<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        var sum = parameterBar
        repeatEight(from: j) { scatter(at: x, $0, parameters, seed, targets, &sum) }
        parameterBar = sum
    }

    /// One interior cell, out of line.
    @inlinable @inline(never)
    func interiorCell<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        scatter(at: x, j, parameters, seed, targets, &parameterBar)
    }

    /// Interior cell j's pullback: nine cotangents per field added to the targets.
    @inlinable @inline(__always)
    func scatter<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        let centre = 2 &* j
        let (gu, gv, gp) = site.pullback(
            at: interiorNeighbourhood(j, field: 0, x), interiorNeighbourhood(j, field: 1, x), parameters,
            seed: SitePair(u: seed(centre), v: seed(centre &+ 1)))
        parameterBar += gp
        add(gu, around: centre, targets)
        add(gv, around: centre &+ 1, targets)
    }

    /// Adds a field's nine cotangents around the interior element `centre`.
    @inlinable @inline(__always)
    func add<Targets: SweepTargets>(_ g: GridNeighbourhood, around centre: Int, _ targets: Targets) {
        let row = 2 &* columns
        let north = centre &- row, south = centre &+ row
        targets.add(g.northWest, at: north &- 2)
        targets.add(g.north, at: north)
        targets.add(g.northEast, at: north &+ 2)
        targets.add(g.west, at: centre &- 2)
        targets.add(g.centre, at: centre)
        targets.add(g.east, at: centre &+ 2)
        targets.add(g.southWest, at: south &- 2)
        targets.add(g.south, at: south)
        targets.add(g.southEast, at: south &+ 2)
    }

    /// Edge cell (r, c)'s pullback, scattered through each field's boundary; returns its
    /// parameter cotangent.
    @inlinable @inline(never)
    func edgePullback<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ r: Int, _ c: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        let centre = 2 * (r * columns + c)
        let (gu, gv, gp) = site.pullback(
            at: edgeNeighbourhood(r, c, field: 0, x), edgeNeighbourhood(r, c, field: 1, x), parameters,
            seed: SitePair(u: seed(centre), v: seed(centre + 1)))
        for dr in -1...1 {
            for dc in -1...1 {
                if let j = source(ofRow: r + dr, column: c + dc, field: 0) { targets.add(gu[dr, dc], at: j) }
                if let j = source(ofRow: r + dr, column: c + dc, field: 1) { targets.add(gv[dr, dc], at: j) }
            }
        }
        return gp
    }
}
