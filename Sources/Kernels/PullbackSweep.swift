import _Differentiation

// Every kernel's fused backward sweep is specialised for what it reads as seed (α·y, or
// α·y + β·z) and where it writes (one target or two), so that no site tests what is present
// (SweepSeedAndTargets.swift). The four-way choice is made here, once per sweep, for every
// kernel.

/// A kernel whose backward sweep is written once, generically over its seed and targets;
/// its `accumulatePullback` hands the choice of specialisation to ``sweepSpecialised``.
///
/// - Complexity: the sweep's; the choice is O(1) per sweep.
@usableFromInline
protocol PullbackSweep: FieldKernel {
    /// Adds J_xᵀs to `targets` for the seed s and returns J_pᵀs, summed in the kernel's
    /// fixed site order; `count` has passed ``FieldKernel/checkFieldCount(_:)``.
    ///
    /// - Complexity: O(count) site pullbacks, one pass; allocates nothing itself.
    func sweep<Seed: SweepSeed, Targets: SweepTargets>(
        at x: UnsafePointer<Double>, _ count: Int, _ parameters: Parameters, _ seed: Seed, _ targets: Targets
    ) -> Parameters.TangentVector
}

extension PullbackSweep {
    /// ``sweep(at:_:_:_:_:)`` specialised for `seed` (with or without z) and the targets
    /// (`a`, or `a` and `b`): the body of every kernel's `accumulatePullback`.
    ///
    /// - Complexity: one sweep.
    @inlinable
    func sweepSpecialised(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector {
        checkFieldCount(count)
        switch (seed.z, b) {
        case let (z?, b?): return sweep(at: x, count, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), TwoTargets(a, b))
        case let (z?, nil): return sweep(at: x, count, parameters, CombinedSeed(seed.alpha, seed.y, seed.beta, z), OneTarget(a))
        case let (nil, b?): return sweep(at: x, count, parameters, ScaledSeed(seed.alpha, seed.y), TwoTargets(a, b))
        case (nil, nil): return sweep(at: x, count, parameters, ScaledSeed(seed.alpha, seed.y), OneTarget(a))
        }
    }
}
