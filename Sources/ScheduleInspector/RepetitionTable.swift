import CheckpointSchedules

/// Griewank & Walther's table of binomial reach: β(s, r) = C(s + r, s), the most steps s
/// checkpoint slots (x0 included) can reverse when no step is advanced more than r times
/// (ACM TOMS 26(1), 2000, doi:10.1145/347837.347846, Proposition 1). What
/// `rewind table` prints; with a step count it also lists r(n, s) and t(n, s) per s.
///
/// ```swift
/// let table = RepetitionTable(maxSlots: 10, maxRepetitions: 10)
/// table.beta(slots: 3, repetitions: 2)   // 10: three slots reverse 10 steps with r = 2
/// ```
///
/// Entries beyond 2^63 − 1 render as `overflow` (JSON `null`).
///
/// - Complexity: O(S·R·min(S, R)) multiplications.
public struct RepetitionTable: Sendable {
    /// Rows: s = 1 … maxSlots.
    public var maxSlots: Int
    /// Columns: r = 1 … maxRepetitions.
    public var maxRepetitions: Int
    /// When set, a second table lists r(n, s), t(n, s) and t/n for each s.
    public var steps: Int?

    /// A table of s = 1 … `maxSlots` by r = 1 … `maxRepetitions`.
    /// - Parameters:
    ///   - maxSlots: the largest slot count s, a row each.
    ///   - maxRepetitions: the largest repetition number r, a column each.
    ///   - steps: when set, a second table lists r(n, s), t(n, s) and t/n for each s.
    ///   - maxCells: the most β entries to compute and print (each costs
    ///     O(min(s, r)) and the text is held whole).
    /// - Throws: ``InspectorError/schedule(_:)`` for non-positive sizes;
    ///   ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` past `maxCells`.
    public init(maxSlots: Int, maxRepetitions: Int, steps: Int? = nil, maxCells: Int = .max) throws(InspectorError) {
        guard maxSlots >= 1 else { throw .schedule(.invalidSlotCount(maxSlots)) }
        guard maxRepetitions >= 1 else { throw .invalidRepetitionCount(maxRepetitions) }
        let (cells, overflow) = maxSlots.multipliedReportingOverflow(by: maxRepetitions)
        if overflow || cells > maxCells {
            throw .tooMuchWork(what: "a table of \(maxSlots) × \(maxRepetitions)", estimate: overflow ? Int.max : cells, unit: "cells",
                               limit: maxCells, option: "--max-cells")
        }
        if let steps, steps < 1 { throw .schedule(.invalidStepCount(steps)) }
        self.maxSlots = maxSlots
        self.maxRepetitions = maxRepetitions
        self.steps = steps
    }

    /// β(s, r), or nil when it exceeds `Int.max`.
    public func beta(slots s: Int, repetitions r: Int) -> Int? {
        try? BinomialCheckpointing.beta(slots: s, repetitions: r)
    }

    /// For each s: (s, r(n, s), t(n, s)), when ``steps`` is set.
    public var costs: [(slots: Int, repetitions: Int, advances: Int?)] {
        guard let n = steps else { return [] }
        return (1...maxSlots).map { s in
            let r = (try? BinomialCheckpointing.repetitionNumber(steps: n, slots: s)) ?? -1
            return (s, r, try? BinomialCheckpointing.minimalAdvances(steps: n, slots: s))
        }
    }

    var betaTable: TextTable {
        var table = TextTable(columns: [.init("s \\ r", alignment: .right)] + (1...maxRepetitions).map { .init(String($0), alignment: .right) })
        for s in 1...maxSlots {
            table.append([String(s)] + (1...maxRepetitions).map { r in beta(slots: s, repetitions: r).map(String.init) ?? "overflow" })
        }
        return table
    }

    var costTable: TextTable {
        var table = TextTable(columns: [.init("slots s", alignment: .right), .init("r(n, s)", alignment: .right),
                                        .init("t(n, s)", alignment: .right), .init("t / n", alignment: .right)])
        for (s, r, t) in costs {
            table.append([String(s), String(r), t.map(String.init) ?? "overflow",
                          t.map { Format.decimal(Double($0) / Double(steps!), digits: 3) } ?? ""])
        }
        return table
    }

    /// The tables as text.
    var text: String {
        var lines = ["β(s, r) = C(s + r, s): the most steps s slots (x0 included) reverse with at most r advances of any step",
                     "(Griewank & Walther 2000, Proposition 1)", betaTable.rendered()]
        if let n = steps {
            lines += ["", "\(n) steps: repetition number r(n, s) = min{r : β(s, r) ≥ n} and least advances t(n, s) = r·n − β(s+1, r−1)",
                      costTable.rendered()]
        }
        return lines.joined(separator: "\n")
    }

    /// `{"beta": [{"slots": s, "beta": [β(s,1), …]}], "steps": n, "costs": [...]}`.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("maxSlots", .int(maxSlots)), ("maxRepetitions", .int(maxRepetitions)),
            ("beta", .array((1...maxSlots).map { s in
                .object([("slots", .int(s)), ("beta", .array((1...maxRepetitions).map { r in beta(slots: s, repetitions: r).map(JSONValue.int) ?? .null }))])
            })),
        ]
        if let n = steps {
            members.append(("steps", .int(n)))
            members.append(("costs", .array(costs.map { c in
                .object([("slots", .int(c.slots)), ("repetitions", .int(c.repetitions)), ("advances", c.advances.map(JSONValue.int) ?? .null)])
            })))
        }
        return .object(members)
    }

    /// The β table as CSV (`slots,r=1,…`); with steps, the cost table follows after a blank line.
    var csv: String {
        var table = TextTable(columns: [.init("slots")] + (1...maxRepetitions).map { .init("r=\($0)") })
        for row in betaTable.rows { table.append(row.map { $0 == "overflow" ? "" : $0 }) }
        var text = table.csv()
        if steps != nil {
            var costs = TextTable(columns: ["slots", "repetitions", "advances"].map { .init($0) })
            for c in self.costs { costs.append([String(c.slots), String(c.repetitions), c.advances.map(String.init) ?? ""]) }
            text += "\n\n" + costs.csv()
        }
        return text
    }

    /// The table in the requested format (no trailing newline).
    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .text: text
        case .json: json.rendered()
        case .csv: csv
        }
    }
}
