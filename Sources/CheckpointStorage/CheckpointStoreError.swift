/// A checkpoint that could not be stored or restored. Every case names the step and
/// slot, and its description says what happened and what to do.
public enum CheckpointStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The slot is outside the store's capacity.
    case slotOutOfRange(slot: Int, capacity: Int)
    /// The slot already holds a state (the schedule must release it first).
    case slotOccupied(slot: Int, heldStep: Int)
    /// The slot holds no state, or a different step than the one asked for.
    case missingCheckpoint(step: Int, slot: Int, heldStep: Int?)
    /// The stored bytes fail their checks (checksum, header, size): the data is not trusted.
    case corrupt(step: Int, slot: Int, reason: String)
    /// Writing failed: the disk is full, the directory is not writable, or a write was short.
    case writeFailed(path: String, bytesNeeded: Int, reason: String)
    /// Reading failed at the operating-system level.
    case readFailed(path: String, reason: String)
    /// The store could not be set up (for example, its directory could not be created).
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case let .slotOutOfRange(slot, capacity):
            "checkpoint slot \(slot) is outside the store's \(capacity) slots; give the store more slots or use a schedule with fewer"
        case let .slotOccupied(slot, held):
            "checkpoint slot \(slot) still holds x\(held); the schedule must release it before storing again"
        case let .missingCheckpoint(step, slot, held):
            "checkpoint slot \(slot) holds \(held.map { "x\($0)" } ?? "nothing"), not x\(step); the schedule and the store disagree"
        case let .corrupt(step, slot, reason):
            "the checkpoint of x\(step) in slot \(slot) is corrupt (\(reason)); it was not used. Check the disk and rerun"
        case let .writeFailed(path, bytes, reason):
            "could not write \(bytes) bytes to \(path): \(reason); free space or choose another directory"
        case let .readFailed(path, reason):
            "could not read \(path): \(reason)"
        case let .unavailable(reason):
            "the checkpoint store is unavailable: \(reason)"
        }
    }
}
