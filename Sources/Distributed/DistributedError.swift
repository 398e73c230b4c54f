import CheckpointedAD

/// What can go wrong in a distributed checkpointed run, with what to do about it. Every
/// rank throws the same value for a problem found at start-up (``RankAgreement``).
public enum DistributedError: Error, Equatable, CustomStringConvertible {
    /// The grid cannot be split into `ranks` strips of at least `minimumRows` rows.
    case gridTooSmall(rows: Int, columns: Int, ranks: Int, minimumRows: Int)
    /// Ranks disagree about a setting that must be the same everywhere; `values[r]` is rank r's.
    case ranksDisagree(setting: String, values: [String])
    /// A rank failed at start-up; every rank reports the lowest failing rank's message.
    case rankFailed(rank: Int, message: String)
    /// A number of block columns that does not divide the number of ranks.
    case blockColumnsDoNotDivideRanks(blockColumns: Int, ranks: Int)
    /// A per-rank memory budget too small for the driver's working states and one checkpoint.
    case budgetTooSmall(budgetBytes: Int, minimumBytes: Int, stateBytes: Int)

    /// A sentence: what happened and what to try.
    public var description: String {
        switch self {
        case let .gridTooSmall(rows, columns, ranks, minimumRows):
            "a \(rows) × \(columns) grid cannot be split into \(ranks) strips of at least \(minimumRows) row(s): "
                + "use at most \(rows / Swift.max(1, minimumRows)) ranks or a grid of at least \(ranks * minimumRows) rows"
        case let .ranksDisagree(setting, values):
            "ranks disagree about the \(setting): "
                + values.enumerated().map { "rank \($0.offset): \($0.element)" }.joined(separator: ", ")
                + "; every rank must run the same steps, budget and schedule (start them with the same arguments)"
        case let .rankFailed(rank, message):
            "rank \(rank): \(message)"
        case let .blockColumnsDoNotDivideRanks(blockColumns, ranks):
            "\(blockColumns) block columns do not divide \(ranks) ranks: choose a divisor of \(ranks) "
                + "(\((1...Swift.max(1, ranks)).filter { ranks % $0 == 0 }.map(String.init).joined(separator: ", ")))"
        case let .budgetTooSmall(budget, minimum, stateBytes):
            "a memory budget of \(budget) bytes is below the \(minimum) bytes needed for the driver's "
                + "working states and one checkpoint of \(stateBytes) bytes: give each rank at least \(minimum) bytes "
                + "or use more ranks"
        }
    }
}
