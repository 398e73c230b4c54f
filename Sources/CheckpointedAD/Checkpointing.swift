import CheckpointSchedules
import CheckpointStorage

/// How to checkpoint a long computation: the one strategy value every front door takes
/// (``valueWithCheckpointedGradient(at:parameters:steps:checkpointing:options:step:loss:)``,
/// ``valueWithCheckpointedPullback(at:parameters:steps:checkpointing:options:step:losses:)``,
/// AdjointODE's `gradient(of:checkpointing:)`, OptimalControl's shooting), in the spirit of
/// diffrax's `adjoint=RecursiveCheckpointAdjoint()`.
///
/// ```swift
/// try valueWithCheckpointedGradient(at: x0, parameters: p, steps: 10_000,
///                                   checkpointing: .revolve(memory: .megabytes(100)),
///                                   step: f, loss: l)
/// ```
///
/// | strategy | schedule | when |
/// |---|---|---|
/// | ``storeAll`` | every state kept | small problems, the reference |
/// | ``revolve(memory:)`` | binomial (Griewank & Walther 2000) with the slots the budget allows | n known, RAM only |
/// | ``planned(memory:disk:compression:stepTimes:)`` | store-all, Revolve, two-level over memory and disk, or H-Revolve over memory, compressed memory and disk, chosen by least predicted time | RAM too small, disk available |
/// | ``online(memory:until:)`` | Stumm & Walther 2010 online (their revolve targets for every repetition number), then an optimal reversal | n unknown: stop conditions, adaptive loops |
/// | ``schedule(_:stores:)`` / ``online(_:stores:until:)`` | exactly the schedule given, on the stores given | full control |
///
/// A strategy is resolved once, when a run starts, into a schedule, stores and slots (see
/// ``CheckpointingOptions/reservedBytes`` for memory a caller needs besides the driver's).
/// A budget that cannot work is a typed ``CheckpointingError``, never a trap.
public struct Checkpointing<State> {
    /// The choice, as resolved by the driver.
    @usableFromInline
    enum Choice {
        case storeAll
        case revolve(memory: MemoryBudget)
        case parallelRevolve(memory: MemoryBudget, threads: Int, stepTimes: StepTimes?)
        case schedule(any CheckpointSchedule, stores: [StorageLevel: any CheckpointStore<State>])
        case online(OnlineChoice)
        case planned(PlannedChoice)
    }

    /// An online strategy: a budget or an explicit schedule, its stores and the stop condition.
    @usableFromInline
    struct OnlineChoice {
        var memory: MemoryBudget?
        var schedule: (any OnlineCheckpointSchedule)?
        var stores: [StorageLevel: any CheckpointStore<State>]
        var until: ((State, Int) -> Bool)?
    }

    /// A planned strategy: the budgets, and the planner specialised for a state that can be
    /// measured and encoded (``Checkpointing/planned(memory:disk:compression:stepTimes:)``).
    @usableFromInline
    struct PlannedChoice {
        var memory: MemoryBudget
        var disk: DiskBudget
        var stepTimes: StepTimes?
        var plan: (_ x0: State, _ steps: Int, _ options: CheckpointingOptions, _ stepTimes: StepTimes)
            throws(CheckpointingError) -> PlannedCheckpointing<State>
    }

    @usableFromInline let choice: Choice

    @usableFromInline
    init(_ choice: Choice) { self.choice = choice }

    /// Every state stored in memory: the fewest step executions (n − 1 advances, n
    /// reverses) and the most memory, n states. No budget is checked.
    public static var storeAll: Self { Self(.storeAll) }

    /// Binomial checkpointing (Revolve, Griewank & Walther 2000,
    /// doi:10.1145/347837.347846) with as many memory slots as `memory` allows once the
    /// driver's working copies and ``CheckpointingOptions/reservedBytes`` are set aside.
    /// `.unlimited` stores every state.
    ///
    /// - Complexity: s slots; t(n, s) = r·n − β(s+1, r−1) advances and n reverses.
    public static func revolve(memory: MemoryBudget) -> Self { Self(.revolve(memory: memory)) }

    /// Binomial checkpointing on `threads` threads within `memory`. One thread is exactly
    /// ``revolve(memory:)``. Two threads reverse in parallel: the caller's thread runs the
    /// recording sweep and every taped step and pullback while a second thread recomputes,
    /// playing a pipelined checkpoint tree (`CheckpointSchedules.PipelinedReversal`: while
    /// one range is reversed, the range before it is swept and its checkpoints laid, at
    /// every level) and handing states over through a queue; below the few states a tree
    /// needs, the segment layout (`CheckpointSchedules.ParallelReversalLayout`). The
    /// gradient is bitwise the one-thread gradient. Under a byte budget the second thread's
    /// working states (the state it holds and the state its step produces, beside the
    /// caller's) come off the budget first; the states left, or the s of `.slots(s)`, hold
    /// the tree's checkpoints and the hand-off queue together (the segment layout counts
    /// only its checkpoints against `.slots(s)`, its queue beside them). Loss terms, traces (each event names
    /// its thread) and determinism and finiteness checks work as on one thread with a tree
    /// (the segment layout refuses the last three with a typed error); progress is not
    /// reported. Per-thread CPU and wait times are in ``CheckpointingStatistics/parallel``.
    /// On a loaded machine the two-thread run can be slower than one thread
    /// (`Papers/ParallelReversal.md` has the measurements). With `stepTimes`, the tree is
    /// chosen for the step's own reverse-to-advance ratio; without, for a reverse costing
    /// 2.5 advances (`CheckpointSchedules.ParallelReversalLayout.defaultReverseCost`), so the
    /// choice never depends on a timing taken at run time.
    ///
    /// ```swift
    /// let g = try valueWithCheckpointedGradient(at: x0, parameters: p, steps: 10_000,
    ///                                           checkpointing: .revolve(memory: .megabytes(40), threads: 2),
    ///                                           step: f, loss: l)
    /// ```
    ///
    /// - Complexity: with a tree [K₁, …, K_D], about Σ_ℓ (1 − 1/K_ℓ)·n advances on the second
    ///   thread after the n − 1 of the recording sweep, overlapped with the n reverses on the
    ///   caller's; live checkpoints and queued states within the budget's states.
    public static func revolve(memory: MemoryBudget, threads: Int, stepTimes: StepTimes? = nil) -> Self {
        threads == 1 ? .revolve(memory: memory) : Self(.parallelRevolve(memory: memory, threads: threads, stepTimes: stepTimes))
    }

    /// The default: Revolve within 256 MB.
    public static var `default`: Self { .revolve(memory: .megabytes(256)) }

    /// Exactly `schedule` (any offline `CheckpointSchedule` for the
    /// run's n), on `stores`: one store per level the schedule uses; the memory level is a
    /// built-in array of slots unless a store is given for it.
    public static func schedule(_ schedule: any CheckpointSchedule, stores: [StorageLevel: any CheckpointStore<State>] = [:]) -> Self {
        Self(.schedule(schedule, stores: stores))
    }

    /// Online checkpointing for a run whose length is found out as it goes:
    /// `OnlineStummWalther` with the slots `memory` allows, then an
    /// optimal reversal of the final layout. The run stops at the first i with
    /// `until(x[i], i)` true, or after the `steps` the entry point was given, whichever
    /// comes first; `until: nil` runs all of them without telling the schedule in advance.
    /// A later pullback replays the run with Revolve on the same slots (n is known then).
    ///
    /// `memory` must be `.slots` or `.bytes`: a run of unknown length needs a bound.
    ///
    /// - Complexity: s slots; for n ≤ β(s, 2), at most t(n, s) + 2 advances (Stumm &
    ///   Walther 2010, doi:10.1137/080742439), and with their revolve targets continued for
    ///   every repetition number at most 1.273·t(n, s) for every n ≤ 10⁶, s ≤ 64 (measured:
    ///   `online-bound-report`); n reverses.
    public static func online(memory: MemoryBudget, until: ((State, Int) -> Bool)? = nil) -> Self {
        Self(.online(OnlineChoice(memory: memory, schedule: nil, stores: [:], until: until)))
    }

    /// Online checkpointing with an explicit online schedule (such as
    /// `OnlineWang(slots: 20)` or `OnlineStummWalther(slots: 500, level: .disk)`) on
    /// `stores`; see ``online(memory:until:)``.
    public static func online(
        _ schedule: any OnlineCheckpointSchedule, stores: [StorageLevel: any CheckpointStore<State>] = [:],
        until: ((State, Int) -> Bool)? = nil
    ) -> Self {
        Self(.online(OnlineChoice(memory: nil, schedule: schedule, stores: stores, until: until)))
    }
}

extension Checkpointing where State: CheckpointSized & CheckpointCodable {
    /// Checkpointing planned over memory *and* disk: the planner
    /// (`CheckpointPlanner`) chooses store-all, Revolve, the optimal
    /// two-level schedule (Aupy, Herrmann, Hovland & Robert 2016) or, given `compression`,
    /// H-Revolve over plain memory, compressed memory and disk (Herrmann & Pallez 2020), the
    /// slots per level, and for each level whether to use `compression`, by least predicted
    /// time. Checkpoints then live in memory (plain, compressed, or both) and in private,
    /// checksummed files with write-behind and read-ahead, removed when the run ends however
    /// it ends.
    ///
    /// What is measured first: the state's size, `compression`'s ratio and speed on x[0],
    /// and, unless `stepTimes` is given, an advance, a taped step and a pullback at x[0]
    /// (``StepTimes``). The disk's speeds are the budget's (``DiskBudget``). The driver's
    /// working copies and ``CheckpointingOptions/reservedBytes`` come off `memory` first, then
    /// the disk store's four buffers when the plan uses the disk, and one scratch state when
    /// a codec is offered. The gradient's ``CheckpointedGradient/plan`` says what was chosen.
    ///
    /// - Parameters:
    ///   - memory: a budget in bytes (`.bytes`, `.megabytes`, `.gigabytes`).
    ///   - disk: how much disk, where, and how fast it is assumed to be.
    ///   - compression: a codec the planner may use at either level.
    ///   - stepTimes: the step's cost, instead of measuring it.
    public static func planned(
        memory: MemoryBudget, disk: DiskBudget, compression: CheckpointCodec? = nil, stepTimes: StepTimes? = nil
    ) -> Self {
        Self(.planned(PlannedChoice(memory: memory, disk: disk, stepTimes: stepTimes) { x0, n, options, times throws(CheckpointingError) in
            try PlannedCheckpointing.make(
                at: x0, steps: n, memory: memory, disk: disk, compression: compression, stepTimes: times, options: options)
        }))
    }
}

extension Checkpointing: CustomStringConvertible {
    /// A short description, such as `revolve(memory: 100000000 bytes)`.
    public var description: String {
        switch choice {
        case .storeAll: "store-all"
        case let .revolve(memory): "revolve(memory: \(memory))"
        case let .parallelRevolve(memory, threads, stepTimes):
            "revolve(memory: \(memory), threads: \(threads)\(stepTimes.map { ", step times: \($0.advance) s, \($0.reverse) s" } ?? ""))"
        case let .schedule(schedule, stores): "schedule(\(schedule), stores: \(stores.keys.map { "\($0)" }.sorted()))"
        case let .online(online):
            if let schedule = online.schedule { "online(\(schedule))" } else { "online(memory: \(online.memory.map { "\($0)" } ?? "?"))" }
        case let .planned(planned): "planned(memory: \(planned.memory), disk: \(planned.disk.bytes) bytes)"
        }
    }
}

extension Checkpointing {
    /// Whether this is ``storeAll``, for a front door with a faster store-all path of its own.
    package var isStoreAll: Bool {
        if case .storeAll = choice { true } else { false }
    }
}
