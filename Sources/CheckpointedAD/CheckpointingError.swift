import CheckpointSchedules
import CheckpointStorage

/// A checkpointed run that cannot start or cannot finish. Every case carries its values,
/// and its description says what happened and what to do.
public enum CheckpointingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of steps is negative.
    case negativeStepCount(Int)
    /// The memory budget cannot hold what the run needs: the driver's working copies, the
    /// caller's reserved bytes (``CheckpointingOptions/reservedBytes``) and at least one
    /// checkpoint (or, for a planned run, the memory level the plan chose).
    case budgetTooSmall(budgetBytes: Int, minimumBytes: Int, stateBytes: Int, reservedBytes: Int)
    /// The planned checkpoint files need more space than the file system has free.
    case insufficientDiskSpace(neededBytes: Int, availableBytes: Int, directory: String)
    /// An online strategy was given an unlimited budget: a run of unknown length needs a bound.
    case onlineRunNeedsBudget
    /// A budget in bytes was given for a state whose size cannot be measured.
    case unmeasurableState(type: String)
    /// A check was requested for a state that is not ``CheckpointVerifiable``.
    case unverifiableState(type: String)
    /// The schedule passed was made for a different number of steps.
    case scheduleStepMismatch(scheduleSteps: Int, steps: Int)
    /// The schedule stores at a level no store was given for.
    case missingStore(level: StorageLevel, slots: Int)
    /// The schedule asked for something impossible (its stream is invalid).
    case invalidAction(index: Int, action: CheckpointAction, reason: String)
    /// A checkpoint store failed.
    case storage(CheckpointStoreError)
    /// The schedule could not be built.
    case schedule(ScheduleError)
    /// No plan fits the memory and disk budgets (or the planning problem is invalid).
    case planning(PlanningError)
    /// A recomputed x[step] differs from the recording sweep's bit for bit.
    case nonDeterministicStep(step: Int)
    /// x[step] holds a NaN or an infinity.
    case nonFiniteState(step: Int)
    /// A thread count other than 1 or 2 was asked for.
    case unsupportedThreadCount(Int)
    /// An option that the two-thread segment layout does not support was asked for with a
    /// budget too small for a pipelined tree.
    case unsupportedWithThreads(option: String)

    /// What happened, with the values, and what to do about it.
    public var description: String {
        switch self {
        case let .negativeStepCount(n):
            "the number of steps must be 0 or more, got \(n); pass steps ≥ 0 (0 returns the identity)"
        case let .budgetTooSmall(budget, minimum, stateBytes, reserved):
            "a memory budget of \(budget) bytes cannot hold one step's needs: with states of \(stateBytes) bytes the "
                + "minimum is \(minimum) bytes (the driver's working copies"
                + (reserved > 0 ? ", \(reserved) bytes of the caller's own working set" : "")
                + " and one checkpoint, or for a planned run the disk store's buffers); raise the budget to at least .bytes(\(minimum)), lower "
                + "CheckpointingOptions.workspaceStates, or add a disk level (.planned(memory:disk:))"
        case let .insufficientDiskSpace(needed, available, directory):
            "the plan writes up to \(needed) bytes of checkpoint files under \(directory), but its file system has only "
                + "\(available) bytes free; free some space, lower the disk budget to at most \(available) bytes (the planner "
                + "then uses fewer disk slots), or put the files on a larger file system with DiskBudget(bytes:directory:)"
        case .onlineRunNeedsBudget:
            "an online run needs a memory budget, because its number of steps is not known in advance; pass "
                + ".online(memory: .slots(s)) or .online(memory: .megabytes(…)) instead of .unlimited"
        case let .unmeasurableState(type):
            "a budget in bytes needs the size of the state, but \(type) does not conform to CheckpointSized; "
                + "add the conformance or pass a budget in slots, such as .revolve(memory: .slots(…))"
        case let .unverifiableState(type):
            "the determinism and finiteness checks need \(type) to conform to CheckpointVerifiable; add the "
                + "conformance or turn the checks off"
        case let .scheduleStepMismatch(scheduleSteps, steps):
            "the schedule reverses \(scheduleSteps) steps but the computation has \(steps); build the schedule with steps: \(steps)"
        case let .missingStore(level, slots):
            "the schedule uses \(slots) slots at the \(level) level but no store was given for it; pass "
                + "stores: [.\(level): …] with the schedule, or use .planned(memory:disk:) to have them made"
        case let .invalidAction(index, action, reason):
            "the schedule's action \(index) (\(action)) is invalid: \(reason); check the schedule with ScheduleSimulator"
        case let .storage(error):
            "a checkpoint store failed: \(error)"
        case let .schedule(error):
            "the schedule could not be built: \(error)"
        case let .planning(error):
            "no checkpointing plan fits the budgets: \(error)"
        case let .nonDeterministicStep(step):
            "x\(step) recomputed differs from the recording sweep's: step \(step - 1) is not deterministic (threads, "
                + "random numbers, uninitialised memory or global state?); make it deterministic, or store every state"
        case let .unsupportedThreadCount(threads):
            "a reversal on \(threads) threads was asked for, but only 1 or 2 threads are supported; pass "
                + ".revolve(memory: …, threads: 2) (one recomputing thread beside the reversing one) or threads: 1"
        case let .unsupportedWithThreads(option):
            "CheckpointingOptions.\(option) needs a pipelined tree on two threads, and the budget holds too few states for one "
                + "(how many depends on n: rewind plan --threads 2 shows the plan); raise the budget, turn the option off, or run .revolve(memory: …) on one thread"
        case let .nonFiniteState(step):
            step == 0
                ? "the initial state x0 contains NaN or infinity; check the inputs"
                : "x\(step) contains NaN or infinity (step \(step - 1) produced it); shorten the step, shorten the horizon or check the inputs"
        }
    }
}
