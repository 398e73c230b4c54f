/// A checkpointing schedule for a computation whose number of steps is not known when it
/// starts: adaptive ODE solvers, while-loops, simulations that stop on a condition.
///
/// The driver tells the schedule, step by step, that the computation goes on, and once
/// that it has ended. Before it advances from x[i] to x[i+1] it asks
/// ``actionsBeforeAdvancing(from:)`` and plays what comes back (only `store` and
/// `discard`, never an advance). After the end it plays ``reversal(steps:)``.
///
/// ```swift
/// var schedule = OnlineStummWalther(slots: 10)
/// var i = 0, x = x0
/// while true {
///     for action in schedule.actionsBeforeAdvancing(from: i) { play(action) }  // stores, discards
///     let next = step(i, x)               // the advance i → i+1, untaped
///     if shouldStop(next) { break }       // n = i + 1; x = x[n−1] stays the current state
///     x = next; i += 1
/// }
/// for action in schedule.reversal(steps: i + 1) { play(action) }  // endForward, reverse n−1, …
/// ```
///
/// **Where the final state sits.** The driver learns that the run is over only after it
/// has computed x[n] from x[n−1]. Both states exist at that moment anyway (a step reads
/// its input while it writes its output), so the driver keeps x[n−1] as the current state
/// and drops x[n] (the loss is recomputed, taped, by `reverse(n−1)`). The reversal
/// therefore starts with x[n−1] current and reverses step n−1 at once, exactly as an
/// offline schedule does after its recording sweep. Peak memory is that of any step.
///
/// **Counting.** An advance is an untaped step execution, recording sweep included
/// (see ``CheckpointAction``). The online recording sweep executes n steps untaped,
/// 0 → n, one more than an offline schedule's n − 1: the step that discovered the end.
/// ``OnlineScheduleReplay`` plays the recording sweep up to x[n−1] (the current state
/// the reversal starts from) and reports the discovery step separately
/// (``OnlineScheduleReplay/discoveryAdvances``), so
///
///     online advances = simulated advances + 1,
///
/// and an online schedule whose final layout is as good as revolve's costs exactly
/// t(n, s) + 1. ``OnlineCheckpointLayout/simulatedAdvances(steps:)`` gives the simulated
/// part of any layout in closed form.
public protocol OnlineCheckpointSchedule: Sendable {
    /// s: the number of checkpoint slots, x0 included.
    var slots: Int { get }
    /// The level every checkpoint is stored at.
    var level: StorageLevel { get }
    /// The checkpoints held now, in increasing step order.
    var layout: OnlineCheckpointLayout { get }
    /// The stores and discards to play with x[step] current, before advancing to
    /// x[step + 1]. Called once for every step = 0, 1, 2, … in order.
    mutating func actionsBeforeAdvancing(from step: Int) -> [CheckpointAction]
}

extension OnlineCheckpointSchedule {
    /// The reverse sweep once the computation has ended after `steps` steps, with x[n−1]
    /// current: each gap between consecutive checkpoints reversed binomially with the
    /// slots free at that time. Begins with `endForward`, ends with `endReverse`.
    ///
    /// - Precondition: ``actionsBeforeAdvancing(from:)`` was called for steps
    ///   0 ..< `steps` and no more.
    public func reversal(steps: Int) -> OnlineReversal {
        OnlineReversal(steps: steps, layout: layout, slots: slots, level: level)
    }
}
