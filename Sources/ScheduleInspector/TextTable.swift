/// A table of text cells laid out in aligned columns, the text format of every report.
///
/// ```swift
/// var table = TextTable(columns: [.init("schedule"), .init("advances", alignment: .right)])
/// table.append(["revolve", "105"])
/// print(table.rendered())
/// ```
///
/// The reports render through it; library users get their text from `rendered(as:)`.
///
/// - Complexity: O(cells) to render.
struct TextTable: Sendable {
    /// A column's header and how its cells are aligned.
    struct Column: Sendable {
        /// Horizontal alignment of a column's cells.
        enum Alignment: Sendable { case left, right }
        /// The header cell.
        var header: String
        /// Left for names, right for numbers.
        var alignment: Alignment

        /// A column; numbers read best right-aligned.
        init(_ header: String, alignment: Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    /// The columns, left to right.
    var columns: [Column]
    /// The body rows; each has one cell per column.
    private(set) var rows: [[String]] = []

    /// An empty table with the given columns.
    init(columns: [Column]) { self.columns = columns }

    /// Appends a row; it must have one cell per column.
    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs \(columns.count) cells, got \(row.count): \(row)")
        rows.append(row)
    }

    /// The table as lines joined by newlines (no trailing newline): a header row, a rule of
    /// dashes, then the body. Columns are separated by two spaces; trailing spaces trimmed.
    func rendered(indent: String = "") -> String {
        var widths = columns.map { $0.header.count }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(columns[i].alignment == .right ? pad + cell : cell + pad)
            }
            return indent + String(parts.joined(separator: "  ").trimmingTrailingSpaces())
        }
        var lines = [line(columns.map(\.header))]
        lines.append(indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    /// The table as CSV: a header row and one line per row, RFC 4180 quoting.
    func csv() -> String {
        ([columns.map(\.header)] + rows).map(CSV.line).joined(separator: "\n")
    }
}

/// RFC 4180 helpers for the CSV outputs.
enum CSV {
    /// One CSV line from its fields, quoting those that contain a comma, quote or newline.
    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    /// A field, quoted with doubled inner quotes when it needs it.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[startIndex..<end]
    }
}

extension String {
    /// `self` with every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
