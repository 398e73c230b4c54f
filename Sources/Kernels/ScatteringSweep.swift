import _Differentiation

// The interior of a scattering backward sweep, written once for the kernels that scatter
// (the 2-D kernels and the coupled 1-D kernel): a run of interior sites in out-of-line
// blocks of eight, each block straight-line code with the radius fixed per copy, and the
// sites left over one per out-of-line call. Swift AD's site pullback stays allocation-free
// only in straight-line code (StencilKernel+Pullback.swift explains why). The kernel says
// what one interior site does (its field layout and site function); the blocks here only
// call it in site order, so the bits are those of the site-by-site sweep.
//
// The single-field 1-D kernel does not use this: it gathers each element once through a
// window carried from block to block (StencilKernel+Pullback.swift).

/// A kernel whose backward sweep scatters each interior site's cotangents: it supplies one
/// interior site's pullback, and ``scatterRun(at:from:to:_:_:_:_:)`` sweeps a run of them.
///
/// - Complexity: the run's site pullbacks; allocates nothing itself.
@usableFromInline
protocol ScatteringSweep: PullbackSweep {
    /// How far an interior site's neighbourhood reaches along the run: 0, 1 or 2. Each
    /// value gets its own copy of the block of eight, so a constant here folds.
    var scatterRadius: Int { get }

    /// Interior site j's pullback: its cotangents added to `targets`, J_pᵀs_j to
    /// `parameterBar`. `r` is ``scatterRadius``, passed as a constant in the blocks.
    ///
    /// - Complexity: one site pullback; allocation-free when inlined into straight-line code.
    func scatter<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector, radius r: Int
    )
}

extension ScatteringSweep {
    /// Interior sites start ..< end in order: blocks of eight, then one by one; their
    /// J_pᵀs added to `parameterBar` site by site.
    ///
    /// - Complexity: end − start site pullbacks.
    @inlinable @inline(__always)
    func scatterRun<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, from start: Int, to end: Int, _ parameters: Parameters, _ seed: Seed,
        _ targets: Targets, _ parameterBar: inout Parameters.TangentVector
    ) {
        visitInBlocksOfEight(from: start, to: end) { j in
            scatterBlock(at: x, j, parameters, seed, targets, &parameterBar)
        } single: { j in
            scatterSite(at: x, j, parameters, seed, targets, &parameterBar)
        }
    }

    /// Eight interior sites j … j+7 in straight-line code, the radius fixed per copy.
    @inlinable @inline(never)
    func scatterBlock<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        var sum = parameterBar
        switch scatterRadius {
        case 2: repeatEight(from: j) { scatter(at: x, $0, parameters, seed, targets, &sum, radius: 2) }
        case 1: repeatEight(from: j) { scatter(at: x, $0, parameters, seed, targets, &sum, radius: 1) }
        default: repeatEight(from: j) { scatter(at: x, $0, parameters, seed, targets, &sum, radius: 0) }
        }
        parameterBar = sum
    }

    /// One interior site, out of line.
    @inlinable @inline(never)
    func scatterSite<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ j: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets,
        _ parameterBar: inout Parameters.TangentVector
    ) {
        scatter(at: x, j, parameters, seed, targets, &parameterBar, radius: scatterRadius)
    }
}

/// A scattering kernel on a rows × columns grid: its sweep visits the sites in the grid
/// order (``visitGrid(rows:columns:edge:interior:)``), each edge site through the boundary.
///
/// - Complexity: rows·columns site pullbacks; allocates nothing itself.
@usableFromInline
protocol GridScatteringSweep: ScatteringSweep {
    /// The number of rows.
    var rows: Int { get }
    /// The number of columns.
    var columns: Int { get }

    /// Edge site (r, c)'s pullback, scattered through the boundary; returns its J_pᵀs.
    ///
    /// - Complexity: one site pullback.
    func edgePullback<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ r: Int, _ c: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector
}

extension GridScatteringSweep {
    /// Every site in row-major order: edge rows and columns through the boundary, each
    /// row's interior in blocks of eight.
    ///
    /// - Complexity: rows·columns site pullbacks, one pass.
    @inlinable
    func sweep<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ count: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector {
        var parameterBar = Parameters.TangentVector.zero
        visitGrid(rows: rows, columns: columns) { r, c in
            parameterBar += edgePullback(at: x, r, c, parameters, seed, targets)
        } interior: { start, end in
            scatterRun(at: x, from: start, to: end, parameters, seed, targets, &parameterBar)
        }
        return parameterBar
    }
}
