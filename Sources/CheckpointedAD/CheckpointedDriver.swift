import CheckpointSchedules
import CheckpointStorage

/// The checkpointed reverse sweep: resolves a ``Checkpointing`` strategy and plays its
/// action stream (offline or online) against a step function and its pullback, storing
/// only the checkpoints the schedule asks for, to compute the vector-Jacobian product of
/// x[n] = F_{n−1}(…F_0(x[0])…) with respect to x[0] and the parameters p.
///
/// ```swift
/// let driver = try CheckpointedDriver(at: x0, parameters: p, steps: 10_000,
///                                     checkpointing: .revolve(memory: .megabytes(100)), step: step)
/// let xn = try driver.forward()                  // recording sweep; x[n] is known
/// let (x0bar, pbar) = try driver.pullback(xnbar) // reverse sweep with recomputation
/// ```
///
/// Users call ``valueWithCheckpointedGradient(at:parameters:steps:checkpointing:options:step:losses:)``
/// or ``valueWithCheckpointedPullback(at:parameters:steps:checkpointing:options:step:losses:)``,
/// which own a driver; the class is the package's engine room.
///
/// **The sweep.** ``forward()`` plays the schedule up to its first `reverse(step: n−1)`,
/// and runs that step taped, keeping its pullback (revolve's convention), so x[n] is known
/// before any pullback. An online schedule is asked before every advance what to store,
/// and the run ends at the stop condition; its reversal then starts with x[n−1] current.
/// ``pullback(_:)`` seeds the adjoint x̄[n], applies that pullback and plays the rest of
/// the stream: each `reverse(step: i)` runs step i taped from x[i] and moves the adjoint
/// from x̄[i+1] to x̄[i], adding p̄ᵢ to the parameter gradient and the gradients of any loss
/// term at x[i] (``CheckpointedLoss``).
///
/// **Calling the pullback twice** is allowed and correct: the first call consumes the
/// checkpoints, so a later call replays the whole schedule from x[0] (an online run
/// replays with Revolve on the same slots, n being known) before sweeping back with the new
/// seed, and adds to the statistics. After a thrown error the driver's state is
/// unspecified: make a new one.
///
/// **Stores**: the memory level is built in (a slot array kept inside the specialised hot
/// loop) unless a store is given or planned for it. After each restore, and at
/// `endForward`, the driver calls `prefetch` on a given store for the next restore it can
/// see in the stream (up to 64 actions ahead), so a slow store can read ahead.
///
/// - Complexity: exactly the schedule's advances and reverses (t(n, s) and n for Revolve);
///   O(1) driver work per action; memory: the stores' slots plus
///   ``CheckpointingOptions/workingBytes(steps:stateBytes:)``.
@usableFromInline
package final class CheckpointedDriver<State, Parameters, StateCotangent: AdditiveArithmetic, ParameterCotangent: AdditiveArithmetic> {
    /// The step type the driver runs.
    @usableFromInline package typealias Step = CheckpointedStep<State, Parameters, StateCotangent, ParameterCotangent>
    /// The loss-term type the driver injects.
    @usableFromInline package typealias Loss = CheckpointedLoss<State, Parameters, StateCotangent, ParameterCotangent>

    /// The planner's decision, for a planned strategy.
    @usableFromInline package let plan: CheckpointPlan?
    /// The stores the run plays on (given or planned), for their I/O statistics.
    let stores: [StorageLevel: any CheckpointStore<State>]
    /// The engine; taken out while it runs so that its hot loop works on a local value.
    @usableFromInline var sweep: CheckpointSweep<State, Parameters, StateCotangent, ParameterCotangent>?
    /// The engine of a reversal on two threads, instead of ``sweep``.
    @usableFromInline let parallel: ParallelReversal<State, Parameters, StateCotangent, ParameterCotangent>?
    /// The engine of a pipelined checkpoint tree on two threads, instead of ``sweep``.
    @usableFromInline let pipelined: PipelinedParallelReversal<State, Parameters, StateCotangent, ParameterCotangent>?

    /// What the run did so far; `steps` is n (for an online run, once found out).
    @usableFromInline
    package var statistics: CheckpointingStatistics { pipelined?.statistics ?? parallel?.statistics ?? sweep?.statistics ?? CheckpointingStatistics(steps: 0, stateBytes: 0) }
    /// Every action with its timing, when ``CheckpointingOptions/recordsTrace`` is on. The
    /// stores' I/O facts are in the events once ``pullback(_:)`` has returned.
    @usableFromInline
    package var trace: ScheduleTrace? { pipelined?.trace ?? sweep?.trace }
    /// L = Σ of every loss term's value, evaluated on the recording sweep (0 without losses).
    @usableFromInline
    package var lossValue: Double { pipelined?.lossValue ?? parallel?.lossValue ?? sweep?.lossValue ?? 0 }
    /// Encoding and I/O statistics of the stores that report them (disk, compressed memory).
    @usableFromInline
    package var storage: [StorageLevel: CheckpointIOStatistics] { stores.compactMapValues { $0.ioStatistics } }

    /// A driver for n = `steps` steps from `x0` with parameters `p` (for an online strategy,
    /// at most n).
    ///
    /// - Throws: ``CheckpointingError`` for a negative step count, a budget too small, an
    ///   unmeasurable state with a byte budget, an unverifiable state with checks on, a
    ///   schedule for another step count, or a missing store.
    @usableFromInline
    package init(
        at x0: State, parameters p: Parameters, steps n: Int, checkpointing: Checkpointing<State>,
        options: CheckpointingOptions = CheckpointingOptions(), step: Step, losses: [Loss] = []
    ) throws(CheckpointingError) {
        if options.checksDeterminism || options.checksFiniteness {
            guard x0 is any CheckpointVerifiable else { throw .unverifiableState(type: "\(State.self)") }
        }
        let measured = (x0 as? any CheckpointSized)?.checkpointByteCount
        let resolution = try checkpointing.resolve(
            steps: n, initialState: x0, stateBytes: measured, options: options,
            stepTimes: { StepTimes.measure(step, at: x0, parameters: p, losses: losses, steps: n) })
        var boxes: [CheckpointStoreBox<State>?] = Array(repeating: nil, count: StorageLevel.allCases.count)
        for (level, store) in resolution.stores { boxes[level.index] = CheckpointStoreBox(store) }
        if let measured {
            // Memory checkpoints freed in this run (and after it) feed the next allocations
            // of the same size instead of going back to the system.
            AllocatorTuning.retainFreedMemory(upTo: resolution.residentBytes(stateBytes: measured, steps: n, options: options))
        }
        self.plan = resolution.plan
        self.stores = resolution.stores
        if case let .parallel(layout) = resolution.source {
            self.parallel = ParallelReversal(
                layout: layout, initialState: x0, parameters: p, stateBytes: measured ?? MemoryLayout<State>.size,
                measuredBytes: measured ?? 0, memorySlots: resolution.memorySlots, options: options, step: step, losses: losses)
        } else {
            self.parallel = nil
        }
        if case let .pipelined(schedule) = resolution.source {
            self.pipelined = PipelinedParallelReversal(
                schedule: schedule, initialState: x0, parameters: p, stateBytes: measured ?? MemoryLayout<State>.size,
                measuredBytes: measured ?? 0, memorySlots: resolution.memorySlots, options: options, step: step, losses: losses)
        } else {
            self.pipelined = nil
        }
        self.sweep = CheckpointSweep(
            initialState: x0, parameters: p, steps: n, source: resolution.source, stores: boxes,
            memorySlots: resolution.memorySlots, stateBytes: measured ?? MemoryLayout<State>.size, measuredBytes: measured ?? 0,
            options: options, step: step, losses: losses)
        if let plan { sweep?.statistics.schedule += " — planned: \(plan.decision.summary)" }
        if let note = resolution.note { sweep?.statistics.schedule += " — \(note)" }
    }

    deinit {
        sweep?.removeAllCheckpoints()
        sweep?.stopRecordingStoreOperations()
        AllocatorTuning.trimExcess()
    }

    /// Runs the recording sweep and the taped last step; returns x[n]. Calling it again
    /// returns the same x[n] without running anything.
    @inlinable
    package func forward() throws(CheckpointingError) -> State {
        if let pipelined { return try pipelined.forward() }
        if let parallel { return try parallel.forward() }
        guard var engine = sweep else { preconditionFailure("CheckpointedDriver.forward() called while the driver is running") }
        sweep = nil
        defer { sweep = engine }
        return try engine.forward()
    }

    /// The vector-Jacobian product: maps x̄[n] to (x̄[0], p̄), plus the gradients of the loss
    /// terms. May be called more than once (later calls replay the schedule).
    @inlinable
    package func pullback(_ seed: StateCotangent) throws(CheckpointingError) -> (initialState: StateCotangent, parameters: ParameterCotangent) {
        if let pipelined { return try pipelined.pullback(seed) }
        if let parallel { return try parallel.pullback(seed) }
        guard var engine = sweep else { preconditionFailure("CheckpointedDriver.pullback(_:) called while the driver is running") }
        sweep = nil
        defer { sweep = engine }
        return try engine.pullback(seed)
    }
}
