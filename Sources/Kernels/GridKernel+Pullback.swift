import _Differentiation

// The backward sweep of a grid kernel: per-site pullbacks from Swift AD, scattered to the
// field's cotangent, parameter cotangents summed in row-major site order. Each row's
// interior runs in out-of-line blocks of eight sites (ScatteringSweep.swift).

extension GridKernel: GridScatteringSweep {
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
        sweepSpecialised(at: x, count, parameters: parameters, seed: seed, into: a, alsoInto: b)
    }

    /// 1: the nine-point neighbourhood reaches one site along the row.
    @inlinable
    var scatterRadius: Int { 1 }

    /// Interior site j's pullback: its nine cotangents added to the targets, its parameter
    /// cotangent to the sum (the radius is always 1).
    @inlinable @inline(__always)
    func scatter<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector, radius _: Int
    ) {
        let (g, gp) = site.pullback(at: interiorNeighbourhood(j, x), parameters, seed: seed(j))
        parameterBar += gp
        targets.add(g, around: j, columnStep: 1, rowStep: columns)
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
