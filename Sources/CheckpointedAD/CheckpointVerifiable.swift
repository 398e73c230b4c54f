/// A state the driver can check while it runs: a fingerprint of its exact bits, for the
/// determinism check (``CheckpointingOptions/checksDeterminism``), and whether every number
/// in it is finite, for the NaN/Inf check (``CheckpointingOptions/checksFiniteness``).
///
/// ```swift
/// extension Particles: CheckpointVerifiable {
///     func checkpointFingerprint(into hasher: inout CheckpointHasher) {
///         positions.checkpointFingerprint(into: &hasher)
///         velocities.checkpointFingerprint(into: &hasher)
///     }
///     var isCheckpointFinite: Bool { positions.isCheckpointFinite && velocities.isCheckpointFinite }
/// }
/// ```
public protocol CheckpointVerifiable {
    /// Feeds the exact bit patterns of every number into `hasher`.
    func checkpointFingerprint(into hasher: inout CheckpointHasher)
    /// True when no number is NaN or infinite.
    var isCheckpointFinite: Bool { get }
}

/// A fast 64-bit hash of bit patterns (a multiply–xor mix, not cryptographic): equal bits
/// give equal fingerprints, and one flipped bit changes the fingerprint with overwhelming
/// probability.
public struct CheckpointHasher: Sendable {
    /// The fingerprint so far.
    public var value: UInt64 = 0x243F_6A88_85A3_08D3

    /// A fresh hasher.
    public init() {}

    /// Mixes in one 64-bit word.
    @inlinable @inline(__always)
    public mutating func combine(_ word: UInt64) {
        value = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
        value ^= value >> 29
    }

    /// Mixes in the exact bits of every element.
    ///
    /// - Complexity: O(count).
    @inlinable
    public mutating func combine(_ buffer: UnsafeBufferPointer<Double>) {
        combine(UInt64(buffer.count))
        for x in buffer { combine(x.bitPattern) }
    }
}

extension CheckpointVerifiable {
    /// The fingerprint of this value alone.
    public var checkpointFingerprint: UInt64 {
        var hasher = CheckpointHasher()
        checkpointFingerprint(into: &hasher)
        return hasher.value
    }
}

/// True when no element of `buffer` is NaN or infinite.
@inlinable
func allFinite(_ buffer: UnsafeBufferPointer<Double>) -> Bool {
    // x − x is 0 for finite x and NaN otherwise, so one sum decides without a branch per element.
    var s = 0.0
    for x in buffer { s += x - x }
    return s == 0
}

extension Vector: CheckpointVerifiable {
    /// Mixes in the count and every element's bits.
    public func checkpointFingerprint(into hasher: inout CheckpointHasher) {
        scalars.withUnsafeBufferPointer { hasher.combine($0) }
    }
    /// True when no element is NaN or infinite (read in storage order: a rotated view's
    /// elements are not copied; a deferred scaling's are computed, since scaling a finite
    /// element can overflow).
    public var isCheckpointFinite: Bool {
        if hasNothingPending { return storage.withUnsafeBufferPointer(allFinite) }
        return Vector.reduce(self, self, ClosureOperation { x, _ in x - x }) == 0
    }
}

extension Matrix: CheckpointVerifiable {
    /// Mixes in the shape and every element's bits.
    public func checkpointFingerprint(into hasher: inout CheckpointHasher) {
        hasher.combine(UInt64(rows))
        scalars.withUnsafeBufferPointer { hasher.combine($0) }
    }
    /// True when no element is NaN or infinite.
    public var isCheckpointFinite: Bool { scalars.withUnsafeBufferPointer(allFinite) }
}

extension Double: CheckpointVerifiable {
    /// Mixes in the bit pattern (so 0.0 and −0.0 differ).
    public func checkpointFingerprint(into hasher: inout CheckpointHasher) { hasher.combine(bitPattern) }
    /// `isFinite`.
    public var isCheckpointFinite: Bool { isFinite }
}

extension Array: CheckpointVerifiable where Element: CheckpointVerifiable {
    /// Mixes in the count and every element.
    public func checkpointFingerprint(into hasher: inout CheckpointHasher) {
        hasher.combine(UInt64(count))
        for element in self { element.checkpointFingerprint(into: &hasher) }
    }
    /// True when every element is finite.
    public var isCheckpointFinite: Bool { allSatisfy(\.isCheckpointFinite) }
}
