/// How much memory the checkpoints and the driver's working copies may use.
///
/// ```swift
/// try valueWithCheckpointedGradient(at: x0, parameters: p, steps: n,
///                                   checkpointing: .revolve(memory: .megabytes(512)), step: f, loss: l)
/// ```
///
/// A budget in bytes is turned into slots after measuring the state (``CheckpointSized``), in
/// one place for every strategy: the run first sets aside
/// ``CheckpointingOptions/workingBytes(steps:stateBytes:)`` (the driver's own working copies:
/// the current state, the state a step produces, the adjoint, x[n], and
/// ``CheckpointingOptions/workspaceStates`` more for one taped step and its pullback; the
/// determinism fingerprints; and the caller's ``CheckpointingOptions/reservedBytes``), then
/// every whole state that still fits is one checkpoint slot, x0's included. Megabytes and gigabytes are decimal (10^6 and 10^9 bytes).
public enum MemoryBudget: Hashable, Sendable {
    /// At most this many bytes.
    case bytes(Int)
    /// Exactly this many checkpoint slots, x0 included, whatever the state's size.
    case slots(Int)
    /// No limit: store every state (the fastest schedule, `StoreAll`).
    case unlimited

    /// `megabytes` × 10^6 bytes.
    public static func megabytes(_ megabytes: Double) -> MemoryBudget { .bytes(Int(megabytes * 1e6)) }
    /// `gigabytes` × 10^9 bytes.
    public static func gigabytes(_ gigabytes: Double) -> MemoryBudget { .bytes(Int(gigabytes * 1e9)) }
}
