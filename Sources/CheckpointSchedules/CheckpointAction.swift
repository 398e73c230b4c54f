/// One instruction of a checkpointing schedule: the vocabulary every schedule speaks.
///
/// A schedule is a stream of these small values. The same stream drives the real
/// reverse sweep (the `CheckpointedAD` driver), the ``ScheduleSimulator``, the statistics
/// and the inspector's timeline, so what the inspector shows is exactly what runs.
///
/// The computation is x[i+1] = F_i(x[i]) for i = 0 ..< n. The executor holds one
/// *current state* and one *adjoint* x̄:
///
/// ```
/// x0 ──F0──▶ x1 ──F1──▶ x2 ── … ──F(n-1)──▶ xn
///    ◀─B0──    ◀─B1──       ◀─ … ─B(n-1)──  ◀── seed
/// ```
///
/// Counting convention (kept the same in the library, the CLI, the tests and `Papers/`):
/// an **advance** is one execution of a step without taping, and it includes the first,
/// recording sweep; a **reverse** is the taped execution of a step followed by its
/// pullback. Revolve therefore needs exactly t(n, s) = r·n − β(s+1, r−1) advances and
/// n reverses (Griewank & Walther 2000, doi:10.1145/347837.347846).
public enum CheckpointAction: Hashable, Sendable {
    /// Run steps `start ..< end` without taping: the current state goes from x[start] to
    /// x[end]. The current state must be x[start].
    case advance(from: Int, to: Int)
    /// Save the current state, x[step], into `slot` of `level`. The slot must be free.
    case store(step: Int, level: StorageLevel, slot: Int)
    /// Load x[step] from `slot` of `level` into the current state; when `release` is true
    /// the slot is freed afterwards (this was the checkpoint's last use).
    case restore(step: Int, level: StorageLevel, slot: Int, release: Bool)
    /// Free `slot` of `level`, which holds x[step], without touching the current state.
    /// Online schedules use it to drop a checkpoint they no longer want while the
    /// recording sweep goes on (offline schedules free slots with a releasing `restore`).
    case discard(step: Int, level: StorageLevel, slot: Int)
    /// Run step `step` taped from the current state x[step], then its pullback: the adjoint
    /// moves from x̄[step+1] to x̄[step]. Steps are reversed once each, from n−1 down to 0.
    /// Afterwards the current state is undefined until the next `restore`.
    case reverse(step: Int)
    /// The recording sweep is over; every later advance is recomputation.
    case endForward
    /// The reverse sweep is complete: x̄[0] is known. Always the last action.
    case endReverse
}

extension CheckpointAction: CustomStringConvertible {
    /// A compact, human-readable form such as `advance 0→4` or `store x4 → memory[1]`.
    public var description: String {
        switch self {
        case let .advance(from, to): "advance \(from)→\(to)"
        case let .store(step, level, slot): "store x\(step) → \(level)[\(slot)]"
        case let .restore(step, level, slot, release):
            "restore x\(step) ← \(level)[\(slot)]\(release ? " (release)" : "")"
        case let .discard(step, level, slot): "discard x\(step) ✕ \(level)[\(slot)]"
        case let .reverse(step): "reverse \(step)"
        case .endForward: "end forward"
        case .endReverse: "end reverse"
        }
    }
}
