import _Differentiation

// The backward sweep of a two-field grid kernel: each cell's pullback from Swift AD, seeded
// with (s_{2j}, s_{2j+1}), scattered to both fields; parameter cotangents summed in
// row-major order. Each row's interior runs in out-of-line blocks of eight cells
// (ScatteringSweep.swift).

extension CoupledGridKernel: GridScatteringSweep {
    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed
    /// in row-major site order.
    ///
    /// - Complexity: rows·columns site pullbacks, one pass; allocates nothing itself.
    @inlinable
    public func accumulatePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        sweepSpecialised(at: x, count, parameters: parameters, seed: seed, into: a, alsoInto: b)
    }

    /// 1: the nine-point neighbourhood reaches one cell along the row.
    @inlinable
    var scatterRadius: Int { 1 }

    /// Interior cell j's pullback: nine cotangents per field added to the targets, u's
    /// first (the radius is always 1).
    @inlinable @inline(__always)
    func scatter<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector, radius _: Int
    ) {
        let centre = 2 &* j
        let (gu, gv, gp) = site.pullback(
            at: interiorNeighbourhood(j, field: 0, x), interiorNeighbourhood(j, field: 1, x), parameters,
            seed: SitePair(u: seed(centre), v: seed(centre &+ 1)))
        parameterBar += gp
        targets.add(gu, around: centre, columnStep: 2, rowStep: 2 &* columns)
        targets.add(gv, around: centre &+ 1, columnStep: 2, rowStep: 2 &* columns)
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
