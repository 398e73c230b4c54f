/// How a report is written: a table for people, JSON or CSV for tools.
///
/// Every report of the inspector renders in all three, so `rewind … --format json` pipes
/// into `jq` and `--format csv` into a spreadsheet.
public enum OutputFormat: String, CaseIterable, Hashable, Sendable {
    /// Aligned text tables.
    case text
    /// One JSON document (pretty-printed; action streams put one action per line).
    case json
    /// Comma-separated values with a header row.
    case csv
}
