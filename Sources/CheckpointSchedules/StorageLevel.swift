/// Where a checkpoint lives.
///
/// Levels are ordered from fastest to slowest. A schedule names the level of every
/// `store` and `restore`; the driver maps each level to a `CheckpointStore` of the
/// `CheckpointStorage` module, and the simulator counts slots and costs per level.
public enum StorageLevel: String, Hashable, Sendable, Codable, CaseIterable, CodingKeyRepresentable,
    Comparable, CustomStringConvertible
{
    /// Checkpoints held in RAM (plain, or compressed when it is the only memory level).
    case memory
    /// Checkpoints held in RAM through a codec: more of them fit, each store and restore
    /// costs the codec's time. A level of its own between plain memory and disk, for
    /// schedules over a hierarchy of three levels (``HRevolve``).
    case compressedMemory
    /// Checkpoints written to files.
    case disk

    /// The level's name: `memory`, `compressedMemory` or `disk`.
    public var description: String { rawValue }

    /// The level's position in `allCases`, fastest first: a dense index for per-level arrays.
    public var index: Int {
        switch self {
        case .memory: 0
        case .compressedMemory: 1
        case .disk: 2
        }
    }

    /// Faster levels sort first.
    public static func < (lhs: StorageLevel, rhs: StorageLevel) -> Bool {
        lhs.index < rhs.index
    }
}
