/// Where a checkpoint lives.
///
/// Levels are ordered from fastest to slowest. A schedule names the level of every
/// `store` and `restore`; the driver maps each level to a `CheckpointStore` of the
/// `CheckpointStorage` module, and the simulator counts slots and costs per level.
public enum StorageLevel: String, Hashable, Sendable, Codable, CaseIterable, CodingKeyRepresentable,
    Comparable, CustomStringConvertible
{
    /// Checkpoints held in RAM (possibly compressed).
    case memory
    /// Checkpoints written to files.
    case disk

    /// The level's name: `memory` or `disk`.
    public var description: String { rawValue }

    /// The level's position in `allCases`, fastest first: a dense index for per-level arrays.
    public var index: Int {
        switch self {
        case .memory: 0
        case .disk: 1
        }
    }

    /// Faster levels sort first.
    public static func < (lhs: StorageLevel, rhs: StorageLevel) -> Bool {
        lhs.index < rhs.index
    }
}
