import CheckpointSchedules
import CheckpointStorage

/// The checkpointed reverse sweep: plays any ``CheckpointSchedules/CheckpointSchedule``'s
/// action stream against a step function and its pullback, storing only the checkpoints the
/// schedule asks for, to compute the vector-Jacobian product of x[n] = F_{n−1}(…F_0(x[0])…)
/// with respect to x[0] and the parameters p.
///
/// ```swift
/// let driver = try CheckpointedDriver(at: x0, parameters: p, steps: 10_000,
///                                     memory: .megabytes(100), step: CheckpointedStep(f))
/// let xn = try driver.forward()                 // recording sweep; x[n] is known
/// let (x0bar, pbar) = try driver.pullback(xnbar) // reverse sweep with recomputation
/// print(driver.statistics.advances, driver.statistics.reverses)
/// ```
///
/// Most users call ``valueWithCheckpointedPullback(at:parameters:steps:memory:schedule:stores:options:step:)``
/// or ``gradient(at:parameters:steps:memory:schedule:stores:options:step:loss:)`` instead.
///
/// **The sweep.** ``forward()`` plays the schedule up to its first `reverse(step: n−1)`,
/// and runs that step taped, keeping its pullback (revolve's convention), so x[n] is known
/// before any pullback. ``pullback(_:)`` seeds the adjoint x̄[n], applies that pullback and
/// plays the rest of the stream: each `reverse(step: i)` runs step i taped from x[i] and
/// moves the adjoint from x̄[i+1] to x̄[i], adding p̄ᵢ to the parameter gradient and the
/// gradients of any loss term at x[i] (``CheckpointedLoss``).
///
/// **Calling the pullback twice** is allowed and correct: the first call consumes the
/// checkpoints, so a later call replays the whole schedule from x[0] (a full recording
/// sweep again, counted in ``statistics``; a trace gets the replayed actions appended) before
/// sweeping back with the new seed. Loss values are evaluated once, on the first recording
/// sweep. After a thrown error the driver's state is unspecified: make a new one.
///
/// **Later reverses.** Every reverse after the first drops the taped step's value; a
/// hand-written step can supply ``CheckpointedStep/pullback`` to skip computing it.
///
/// **Stores**: one ``CheckpointStorage/CheckpointStore`` per ``StorageLevel`` the schedule
/// uses. The memory level is built in (a slot array with `MemoryCheckpointStore`'s
/// bookkeeping, kept inside the specialised hot loop) unless a store is given for it; other
/// levels must be given. After each restore, and at `endForward`, the driver calls
/// `prefetch` on a given store for the next restore it can see in the stream (up to 64
/// actions ahead), so a slow store can read ahead.
///
/// - Complexity: exactly the schedule's advances and reverses (t(n, s) and n for Revolve);
///   O(1) driver work per action; memory: the stores' slots plus four states (current,
///   produced, adjoint, x[n]) plus what one taped step and its pullback hold.
public final class CheckpointedDriver<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    /// The step type the driver runs.
    public typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
    /// The loss-term type the driver injects.
    public typealias Loss = CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>

    /// n: the number of steps.
    public let steps: Int
    /// The schedule being played (nil when n = 0).
    public let schedule: (any CheckpointSchedule)?
    /// The engine; taken out while it runs so that its hot loop works on a local value.
    @usableFromInline var sweep: CheckpointSweep<State, Parameters, StateCotangent, ParameterCotangent>?

    /// What the run did so far.
    public var statistics: CheckpointingStatistics { sweep?.statistics ?? CheckpointingStatistics(steps: steps, stateBytes: 0) }
    /// Every action with its timing, when ``CheckpointingOptions/recordsTrace`` is on. The
    /// stores' I/O facts are in the events once ``pullback(_:)`` has returned.
    public var trace: ScheduleTrace? { sweep?.trace }
    /// L = Σ of every loss term's value, evaluated on the recording sweep (0 without losses).
    public var lossValue: Double { sweep?.lossValue ?? 0 }

    /// A driver for n = `steps` steps from `x0` with parameters `p`.
    ///
    /// - Parameters:
    ///   - memory: the budget. With `schedule` given it does not choose, but a byte budget
    ///     is still checked against the schedule's memory slots.
    ///   - schedule: the schedule to play; by default Revolve with the slots `memory` allows
    ///     (store-all for ``MemoryBudget/unlimited``).
    ///   - stores: a store per level; the memory level is built in unless given.
    ///   - losses: loss terms whose gradients are injected during the reverse sweep.
    /// - Throws: ``CheckpointingError`` for a negative step count, a budget too small, an
    ///   unmeasurable state with a byte budget, a schedule for another step count, or a
    ///   missing store.
    public init(
        at x0: State, parameters p: Parameters, steps n: Int,
        memory: MemoryBudget = .unlimited, schedule: (any CheckpointSchedule)? = nil,
        stores: [StorageLevel: any CheckpointStore<State>] = [:], options: CheckpointingOptions = CheckpointingOptions(),
        step: Step, losses: [Loss] = []
    ) throws(CheckpointingError) {
        AllocatorTuning.apply()
        guard n >= 0 else { throw .negativeStepCount(n) }
        if options.checksDeterminism || options.checksFiniteness {
            guard x0 is any CheckpointVerifiable else { throw .unverifiableState(type: "\(State.self)") }
        }
        let measured = (x0 as? any CheckpointSized)?.checkpointByteCount
        let plan = try Self.plan(steps: n, memory: memory, schedule: schedule, stateBytes: measured, options: options)
        var boxes: [CheckpointStoreBox<State>?] = Array(repeating: nil, count: StorageLevel.allCases.count)
        var memorySlots = 0
        if let plan {
            for level in StorageLevel.allCases {
                let capacity = plan.capacity(of: level)
                if let given = stores[level] {
                    boxes[level.index] = CheckpointStoreBox(given)
                } else if level == .memory {
                    memorySlots = capacity
                } else if capacity > 0 {
                    throw .missingStore(level: level, slots: capacity)
                }
            }
        }
        self.steps = n
        self.schedule = plan
        self.sweep = CheckpointSweep(
            initialState: x0, parameters: p, steps: n, schedule: plan, stores: boxes, memorySlots: memorySlots,
            stateBytes: measured ?? MemoryLayout<State>.size, measuredBytes: measured ?? 0,
            options: options, step: step, losses: losses)
    }

    deinit {
        sweep?.removeAllCheckpoints()
        sweep?.stopRecordingStoreOperations()
    }

    /// Runs the recording sweep and the taped last step; returns x[n]. Calling it again
    /// returns the same x[n] without running anything.
    @inlinable
    public func forward() throws(CheckpointingError) -> State {
        guard var engine = sweep else { preconditionFailure("CheckpointedDriver.forward() called while the driver is running") }
        sweep = nil
        defer { sweep = engine }
        return try engine.forward()
    }

    /// The vector-Jacobian product: maps x̄[n] to (x̄[0], p̄), plus the gradients of the loss
    /// terms. May be called more than once (later calls replay the schedule).
    @inlinable
    public func pullback(_ seed: StateCotangent) throws(CheckpointingError) -> (state: StateCotangent, parameters: ParameterCotangent) {
        guard var engine = sweep else { preconditionFailure("CheckpointedDriver.pullback(_:) called while the driver is running") }
        sweep = nil
        defer { sweep = engine }
        return try engine.pullback(seed)
    }

    /// The schedule for a budget: the given one (checked), Revolve with the slots the budget
    /// allows, or store-all.
    static func plan(
        steps n: Int, memory: MemoryBudget, schedule: (any CheckpointSchedule)?, stateBytes: Int?,
        options: CheckpointingOptions
    ) throws(CheckpointingError) -> (any CheckpointSchedule)? {
        if n == 0 { return nil }
        if let schedule, schedule.steps != n { throw .scheduleStepMismatch(scheduleSteps: schedule.steps, steps: n) }
        var slots: Int?
        switch memory {
        case .unlimited:
            break
        case let .slots(s):
            slots = s
        case let .bytes(budget):
            guard let stateBytes else { throw .unmeasurableState(type: "\(State.self)") }
            let working = workingBytes(steps: n, stateBytes: stateBytes, options: options)
            let minimum = working + stateBytes
            guard budget >= minimum else {
                throw .budgetTooSmall(budgetBytes: budget, minimumBytes: minimum, stateBytes: stateBytes)
            }
            let affordable = stateBytes == 0 ? n : (budget - working) / stateBytes
            if let schedule, schedule.capacity(of: .memory) > affordable {
                let needed = working + schedule.capacity(of: .memory) * stateBytes
                throw .budgetTooSmall(budgetBytes: budget, minimumBytes: needed, stateBytes: stateBytes)
            }
            slots = Swift.min(affordable, n)
        }
        if let schedule { return schedule }
        do {
            if let slots { return try Revolve(steps: n, slots: slots) }
            return try StoreAll(steps: n)
        } catch {
            throw .schedule(error)
        }
    }

    /// The bytes the driver needs besides checkpoints: four states of its own (the current
    /// state, the state a step produces, the adjoint, and x[n], which it keeps for the
    /// pullback), the taped step's workspace, and the determinism fingerprints.
    static func workingBytes(steps n: Int, stateBytes: Int, options: CheckpointingOptions) -> Int {
        (4 + Swift.max(0, options.workspaceStates)) * stateBytes + (options.checksDeterminism ? 8 * (n + 1) : 0)
    }
}
