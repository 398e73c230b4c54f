/// A request for a schedule or a binomial quantity that cannot be honoured.
///
/// Every case carries the values it was given and its description says how to fix the
/// call, so a command-line user sees a sentence, not a code.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of steps must be at least 1.
    case invalidStepCount(Int)
    /// The number of checkpoint slots must be at least 1.
    case invalidSlotCount(Int)
    /// A periodic schedule's period must be at least 1.
    case invalidPeriod(Int)
    /// The quantity does not fit in a 64-bit integer.
    case overflow(quantity: String, steps: Int, slots: Int)

    public var description: String {
        switch self {
        case let .invalidStepCount(n):
            "the number of steps must be at least 1, got \(n); pass a positive step count"
        case let .invalidSlotCount(s):
            "the number of checkpoint slots must be at least 1 (it counts x0), got \(s); pass a positive slot count"
        case let .invalidPeriod(k):
            "the checkpoint period must be at least 1 step, got \(k); pass a positive period"
        case let .overflow(quantity, n, s):
            "\(quantity) for \(n) steps and \(s) slots exceeds 2^63−1; use more slots or fewer steps"
        }
    }
}
