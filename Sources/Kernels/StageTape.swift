/// The stage inputs z2, z3, z4 of a Runge–Kutta step, kept for its pullback: one object whose
/// 3N doubles follow its header, freed with the pullback that holds it.
///
/// One allocation rather than an object and a separate block: for a small field (N = 40) the
/// allocations are a large part of a step's cost.
///
/// - Complexity: one allocation of 3N doubles and a header.
@usableFromInline
final class StageTape: ManagedBuffer<Int, Double> {
    /// Uninitialised room for three stages of `count` values; the stage sweep writes every value.
    @inlinable
    static func make(count: Int) -> StageTape {
        unsafeDowncast(create(minimumCapacity: 3 * count) { _ in count }, to: StageTape.self)
    }

    /// `body(z2, z3, z4)`, N values each, valid during the call.
    @inlinable
    func withStages<R>(_ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointers { count, z in try body(z, z + count.pointee, z + 2 * count.pointee) }
    }
}
