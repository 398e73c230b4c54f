import CheckpointSchedules

/// The revolve picture in a terminal: step index (rows, 0 at the bottom) against time
/// (columns), with stores and restores marked in their level's colour.
///
/// When n + 1 steps or the total time do not fit the grid, each row covers several steps
/// and each column several time units; a cell then shows the most telling action in it
/// (store > restore > reverse > advance; reverses first once a column spans 4 or more
/// time units, so the reverse sweep stays visible), and a note under the picture gives
/// the scale.
///
/// ```swift
/// let picture = ASCIITimeline(Timeline(try Revolve(steps: 10, slots: 3)), style: TimelineStyle(unicode: true, color: false))
/// print(picture.rendered())
/// ```
///
/// - Complexity: O(actions + width·height).
public struct ASCIITimeline<Schedule: CheckpointSchedule> {
    /// What a cell shows, by increasing priority.
    enum Cell: Int, Comparable {
        case empty, endForward, advance, discard, reverse, restoreDisk, restoreCompressed, restoreMemory, storeDisk, storeCompressed, storeMemory
        static func < (a: Cell, b: Cell) -> Bool { a.rawValue < b.rawValue }

        static func point(_ action: CheckpointAction) -> Cell {
            switch action {
            case .store(_, .memory, _): .storeMemory
            case .store(_, .compressedMemory, _): .storeCompressed
            case .store(_, .disk, _): .storeDisk
            case .restore(_, .memory, _, _): .restoreMemory
            case .restore(_, .compressedMemory, _, _): .restoreCompressed
            case .restore(_, .disk, _, _): .restoreDisk
            case .discard: .discard
            default: .empty
            }
        }

        func glyph(unicode: Bool) -> String {
            switch self {
            case .empty: " "
            case .endForward: unicode ? "┊" : ":"
            case .advance: unicode ? "╱" : "/"
            case .reverse: unicode ? "╲" : "\\"
            case .discard: unicode ? "×" : "x"
            case .storeMemory: unicode ? "●" : "*"
            case .restoreMemory: unicode ? "○" : "o"
            case .storeDisk: unicode ? "■" : "#"
            case .restoreDisk: unicode ? "□" : "@"
            case .storeCompressed: unicode ? "◆" : "$"
            case .restoreCompressed: unicode ? "◇" : "%"
            }
        }

        /// ANSI SGR code: memory blue, compressed memory cyan, disk magenta, reverse red, the rest dim.
        var ansi: String? {
            switch self {
            case .empty: nil
            case .endForward, .advance, .discard: "2"
            case .reverse: "31"
            case .storeMemory, .restoreMemory: "1;34"
            case .storeDisk, .restoreDisk: "1;35"
            case .storeCompressed, .restoreCompressed: "1;36"
            }
        }

        var legend: String {
            switch self {
            case .empty: ""
            case .endForward: "end of recording sweep"
            case .advance: "advance"
            case .reverse: "reverse"
            case .discard: "discard"
            case .storeMemory: "store (memory)"
            case .restoreMemory: "restore (memory)"
            case .storeDisk: "store (disk)"
            case .restoreDisk: "restore (disk)"
            case .storeCompressed: "store (compressed memory)"
            case .restoreCompressed: "restore (compressed memory)"
            }
        }
    }

    /// The marks drawn.
    public let timeline: Timeline<Schedule>
    /// Glyphs and colour.
    public var style: TimelineStyle
    /// Grid width in columns (the time axis), at most.
    public var width: Int
    /// Grid height in rows (the step axis), at most.
    public var height: Int
    /// The title line.
    public var title: String

    /// A terminal picture of `timeline` at most `width` × `height` cells.
    public init(_ timeline: Timeline<Schedule>, style: TimelineStyle = TimelineStyle(), width: Int = 72, height: Int = 24, title: String? = nil) {
        precondition(width >= 10 && height >= 2, "the picture needs at least 10 × 2 cells, got \(width) × \(height)")
        self.timeline = timeline
        self.style = style
        self.width = width
        self.height = height
        let s = timeline.statistics
        self.title = title ?? "\(timeline.steps) steps: \(s.advances) advances, \(s.reverses) reverses, \(s.totalStores) stores, \(s.totalRestores) restores"
    }

    /// The picture as lines joined by newlines (no trailing newline).
    public func rendered() -> String {
        let n = timeline.steps
        let total = Swift.max(1, timeline.totalTime)
        let rows = Swift.min(height, n + 1)
        let columns = Swift.min(width, total)
        let stepsPerRow = Double(n + 1) / Double(rows)
        let timePerColumn = Double(total) / Double(columns)
        func row(_ step: Int) -> Int { Swift.min(rows - 1, Int(Double(step) / stepsPerRow)) }
        func column(_ time: Double) -> Int { Swift.min(columns - 1, Swift.max(0, Int(time / timePerColumn))) }

        var grid = Array(repeating: Array(repeating: Cell.empty, count: columns), count: rows)
        // Coarse cells hold many actions: the reverse sweep's staircase then matters more
        // than the individual stores, so reverses win.
        let coarse = timePerColumn >= 4
        func priority(_ cell: Cell) -> Int { coarse && cell == .reverse ? Cell.storeMemory.rawValue + 1 : cell.rawValue }
        func mark(_ r: Int, _ c: Int, _ cell: Cell) { if priority(grid[r][c]) < priority(cell) { grid[r][c] = cell } }
        var seen = Set<Cell>()
        for m in timeline {
            switch m.action {
            case .advance:
                // Rasterise the rising segment column by column.
                let start = Double(m.time), end = Double(m.time + m.duration)
                for c in column(start)...column(end - 1e-9) {
                    let lo = Swift.max(start, Double(c) * timePerColumn), hi = Swift.min(end, Double(c + 1) * timePerColumn)
                    let stepLo = m.fromStep + Int((lo - start).rounded(.down)), stepHi = m.fromStep + Int((hi - start).rounded(.up))
                    for r in row(stepLo)...row(Swift.min(stepHi, m.toStep)) { mark(r, c, .advance) }
                }
                seen.insert(.advance)
            case .reverse:
                mark(row(m.toStep), column(Double(m.time)), .reverse)
                seen.insert(.reverse)
            case .store, .restore, .discard:
                let cell = Cell.point(m.action)
                mark(row(m.fromStep), column(Double(m.time)), cell)
                seen.insert(cell)
            case .endForward:
                for r in 0..<rows { mark(r, column(Double(m.time)), .endForward) }
                seen.insert(.endForward)
            case .endReverse:
                break
            }
        }

        let u = style.unicode
        let labelWidth = Format.digits(n)
        func paint(_ cell: Cell) -> String {
            let glyph = cell.glyph(unicode: u)
            guard style.color, let code = cell.ansi else { return glyph }
            return "\u{1B}[\(code)m\(glyph)\u{1B}[0m"
        }
        var lines = [title, String(repeating: " ", count: labelWidth) + "  step"]
        let labelled = Set([0, rows / 2, rows - 1])
        for r in stride(from: rows - 1, through: 0, by: -1) {
            let firstStep = Int((Double(r) * stepsPerRow).rounded(.up))
            let label = labelled.contains(r) ? String(firstStep) : ""
            let axis = labelled.contains(r) ? (u ? "┤" : "+") : (u ? "│" : "|")
            let body = grid[r].map(paint).joined()
            lines.append(String(repeating: " ", count: labelWidth - label.count) + label + " " + axis + String(body.trimmingTrailingSpaces()))
        }
        // The time axis with round ticks.
        let ticks = AxisTicks.ticks(upTo: timeline.totalTime, count: Swift.max(2, columns / 12))
        var axis = Array(repeating: u ? "─" : "-", count: columns)
        var labels = Array(repeating: Character(" "), count: columns + 12)
        for tick in ticks {
            let c = column(Double(tick))
            axis[c] = u ? "┬" : "+"
            let text = Array(String(tick))
            let at = Swift.min(c, columns + 12 - text.count)
            if labels[Swift.max(0, at - 1)..<Swift.min(labels.count, at + text.count + 1)].allSatisfy({ $0 == " " }) {
                for (i, ch) in text.enumerated() { labels[at + i] = ch }
            }
        }
        lines.append(String(repeating: " ", count: labelWidth) + " " + (u ? "└" : "+") + axis.joined())
        lines.append(String(repeating: " ", count: labelWidth + 2) + String(String(labels).trimmingTrailingSpaces()))
        lines.append(String(repeating: " ", count: labelWidth + 2) + "time (step executions: advances + reverses)")
        let order: [Cell] = [.advance, .reverse, .storeMemory, .restoreMemory, .storeCompressed, .restoreCompressed, .storeDisk, .restoreDisk,
                             .discard, .endForward]
        lines.append("legend: " + order.filter(seen.contains).map { paint($0) + " " + $0.legend }.joined(separator: "  "))
        if stepsPerRow > 1 || timePerColumn > 1 {
            lines.append("scale: one row ≈ \(Format.decimal(stepsPerRow, digits: 1)) steps, one column ≈ \(Format.decimal(timePerColumn, digits: 1)) time units; "
                + (coarse ? "a cell shows a reverse if it has one, else its most telling action" : "a cell shows its most telling action"))
        }
        return lines.joined(separator: "\n")
    }
}

/// Glyphs and colour of the terminal timeline.
public struct TimelineStyle: Hashable, Sendable {
    /// Box-drawing characters and symbols; plain ASCII when false.
    public var unicode: Bool
    /// ANSI colours (only when the output is a terminal).
    public var color: Bool
    /// A style; by default Unicode without colour.
    public init(unicode: Bool = true, color: Bool = false) {
        self.unicode = unicode
        self.color = color
    }
}
