import _Differentiation

/// A state whose size in bytes the driver can measure, so that a memory budget given in
/// bytes (``MemoryBudget/bytes(_:)``) can be turned into checkpoint slots.
///
/// ```swift
/// struct Particles: Differentiable, CheckpointSized {
///     var positions: Vector, velocities: Vector
///     var checkpointByteCount: Int { positions.checkpointByteCount + velocities.checkpointByteCount }
/// }
/// ```
///
/// Count the bytes a checkpoint of the value really holds (heap buffers included), not
/// `MemoryLayout.size`, which for an array is one pointer.
public protocol CheckpointSized {
    /// The bytes one checkpoint of this value occupies.
    var checkpointByteCount: Int { get }
}

extension Vector: CheckpointSized {
    /// 8 bytes per element.
    @inlinable public var checkpointByteCount: Int { count * MemoryLayout<Double>.stride }
}

extension Matrix: CheckpointSized {
    /// 8 bytes per element.
    @inlinable public var checkpointByteCount: Int { scalars.count * MemoryLayout<Double>.stride }
}

extension Double: CheckpointSized {
    /// 8 bytes.
    @inlinable public var checkpointByteCount: Int { MemoryLayout<Double>.stride }
}

extension Array: CheckpointSized where Element: CheckpointSized {
    /// The sum of the elements' sizes.
    ///
    /// - Complexity: O(count).
    @inlinable public var checkpointByteCount: Int { reduce(0) { $0 + $1.checkpointByteCount } }
}
