/// The stage inputs z2, z3, z4 of a Runge–Kutta step, kept for its pullback: one block of 3N
/// doubles, freed with the pullback that holds it.
///
/// - Complexity: one allocation of 3N doubles.
@usableFromInline
final class StageTape {
    /// z2, z3 and z4, N values each.
    @usableFromInline let z2: UnsafeMutablePointer<Double>, z3: UnsafeMutablePointer<Double>, z4: UnsafeMutablePointer<Double>

    /// Uninitialised room for three stages of `count` values; the stage sweep writes every value.
    @inlinable
    init(count: Int) {
        let block = UnsafeMutablePointer<Double>.allocate(capacity: 3 * count)
        (z2, z3, z4) = (block, block + count, block + 2 * count)
    }

    @inlinable
    deinit { z2.deallocate() }
}
