/// Why single shooting could not evaluate a gradient. Each description says what to try.
public enum ControlError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The memory budget cannot hold the adjoint's working set plus the driver's minimum.
    case budgetTooSmall(budgetBytes: Int, neededBytes: Int)
    /// The checkpointed driver failed.
    case driver(String)

    public var description: String {
        switch self {
        case let .budgetTooSmall(budget, needed):
            "the memory budget of \(budget) bytes cannot hold single shooting's working set of \(needed) bytes (stepper stages, controls, gradient and the driver's minimum); raise the budget to at least \(needed) bytes or use .storeAll"
        case let .driver(message):
            "the checkpointed driver failed: \(message)"
        }
    }
}
