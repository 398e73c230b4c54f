/// The state a kernel's interior backward sweep carries from site to site: the partial sums
/// of the four elements i − 1 … i + 2 still open after site i, and the parameter cotangent
/// summed so far. Element j is complete after site j + 2 (no later site reads it).
///
/// - Complexity: O(1) storage; every site updates it in O(1).
@usableFromInline
struct PullbackWindow<ParameterTangent: AdditiveArithmetic> {
    /// Partial sums of elements i − 1, i, i + 1, i + 2 after site i.
    @usableFromInline var e0 = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0
    /// J_pᵀs over the sites swept so far, in site order (a block of eight summed pairwise).
    @usableFromInline var parameterBar = ParameterTangent.zero

    @inlinable
    init() {}

    /// Writes the elements still open after the last interior site `end − 1`, end − 2 …
    /// end + 1, those inside the field: they have no interior site left to wait for.
    ///
    /// - Complexity: O(1).
    @inlinable
    func flush<Targets: SweepTargets>(end: Int, count n: Int, into targets: Targets) {
        func write(_ j: Int, _ e: Double) {
            if j >= 0 && j < n { targets.put(e, at: j) }
        }
        write(end - 2, e0)
        write(end - 1, e1)
        write(end, e2)
        write(end + 1, e3)
    }
}
