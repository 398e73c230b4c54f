import CheckpointSchedules

/// The revolve picture as a standalone SVG document: time on the horizontal axis, step
/// index on the vertical one, one mark per action, axes with round ticks, a legend and a
/// title. Readable up to n = 10^4 (tens of thousands of marks).
///
/// Every action is exactly one element with class `action` plus its kind
/// (`advance`, `reverse`, `store`, `restore`, `discard`, `end-forward`, `end-reverse`) and,
/// for stores, restores and discards, its level (`memory`, `disk`): stores are filled circles, restores
/// hollow ones, each level in its own colour; the step lines are drawn over the points.
/// Small pictures carry a tooltip per mark.
///
/// ```swift
/// let svg = try SVGTimeline(Timeline(try Revolve(steps: 50, slots: 7))).rendered()
/// ```
///
/// - Complexity: O(actions) time and output size.
public struct SVGTimeline<Schedule: CheckpointSchedule> {
    /// The most actions drawn; beyond it the file would be too large to view.
    public static var actionLimit: Int { 400_000 }
    /// Tooltips are added up to this many actions.
    public static var tooltipLimit: Int { 5_000 }

    /// The marks drawn.
    public let timeline: Timeline<Schedule>
    /// The title at the top.
    public var title: String
    /// Document width in pixels.
    public var width: Int
    /// Document height in pixels.
    public var height: Int

    /// A picture of `timeline`.
    /// - Throws: ``InspectorError/tooManyActionsForSVG(actions:limit:)`` beyond ``actionLimit``.
    public init(_ timeline: Timeline<Schedule>, title: String? = nil, width: Int = 1000, height: Int = 600) throws(InspectorError) {
        guard timeline.statistics.actions <= Self.actionLimit else {
            throw .tooManyActionsForSVG(actions: timeline.statistics.actions, limit: Self.actionLimit)
        }
        self.timeline = timeline
        let s = timeline.statistics
        self.title = title ?? "\(timeline.steps) steps: \(s.advances) advances, \(s.reverses) reverses, \(s.totalStores) stores, \(s.totalRestores) restores"
        self.width = width
        self.height = height
    }

    /// Colours: memory blue, compressed memory teal, disk orange, reverse red, advance grey.
    static var palette: [(String, String)] {
        [("advance", "#6b6b6b"), ("reverse", "#d62728"), ("memory", "#1f77b4"), ("compressedMemory", "#17becf"), ("disk", "#ff7f0e"),
         ("end", "#999999")]
    }

    /// The SVG document, ending with a newline.
    public func rendered() -> String {
        let n = timeline.steps
        let total = Swift.max(1, timeline.totalTime)
        let left = 70.0, right = 20.0, top = 50.0, bottom = 110.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        func x(_ time: Int) -> String { f(left + Double(time) / Double(total) * plotWidth) }
        func y(_ step: Int) -> String { f(top + plotHeight - Double(step) / Double(Swift.max(1, n)) * plotHeight) }
        let unit = plotWidth / Double(total)
        let stroke = f(Swift.min(2, Swift.max(0.4, unit * 0.6)))
        // A reverse spans one time unit: round caps of at least 1.2 px keep it visible when that is a sliver.
        let reverseStroke = f(Swift.min(2, Swift.max(1.2, unit * 0.6)))
        let radius = f(Swift.min(4, Swift.max(1, unit * 0.8)))
        let tooltips = timeline.statistics.actions <= Self.tooltipLimit
        let colour = Dictionary(uniqueKeysWithValues: Self.palette)

        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <style>
        .advance { stroke: \(colour["advance"]!); stroke-width: \(stroke); }
        .reverse { stroke: \(colour["reverse"]!); stroke-width: \(reverseStroke); stroke-linecap: round; }
        .store.memory { fill: \(colour["memory"]!); }
        .store.disk { fill: \(colour["disk"]!); }
        .store.compressedMemory { fill: \(colour["compressedMemory"]!); }
        .restore { fill: white; stroke-width: \(f(Swift.max(0.5, Double(radius)! / 2.5))); }
        .restore.memory { stroke: \(colour["memory"]!); }
        .restore.disk { stroke: \(colour["disk"]!); }
        .restore.compressedMemory { stroke: \(colour["compressedMemory"]!); }
        .discard { stroke: #444444; stroke-width: \(stroke); }
        .end-forward, .end-reverse { stroke: \(colour["end"]!); stroke-dasharray: 4 3; stroke-width: 1; }
        .axis { stroke: black; stroke-width: 1; }
        .grid { stroke: #e6e6e6; stroke-width: 1; }
        </style>
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="28" text-anchor="middle" font-size="16">\(escape(title))</text>

        """
        // Axes, grid and ticks.
        out += "<g id=\"axes\">\n"
        let xTicks = AxisTicks.ticks(upTo: timeline.totalTime, count: 10)
        let yTicks = AxisTicks.ticks(upTo: n, count: 8)
        for t in xTicks {
            out += "<line class=\"grid\" x1=\"\(x(t))\" y1=\"\(f(top))\" x2=\"\(x(t))\" y2=\"\(f(top + plotHeight))\"/>\n"
            out += "<text x=\"\(x(t))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(t)</text>\n"
        }
        for s in yTicks {
            out += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(y(s))\" x2=\"\(f(left + plotWidth))\" y2=\"\(y(s))\"/>\n"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(Double(y(s))! + 4))\" text-anchor=\"end\">\(s)</text>\n"
        }
        out += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\"/>\n"
        out += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\"/>\n"
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 40))\" text-anchor=\"middle\">time (step executions: advances + reverses)</text>\n"
        out += "<text transform=\"translate(18 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">step index</text>\n"
        out += "</g>\n"

        // One element per action: checkpoints (points) first, step lines on top, so the
        // reverse staircase stays visible where points crowd.
        var points = "<g id=\"checkpoint-actions\">\n", lines = "<g id=\"step-actions\">\n"
        var sawDiscard = false
        for m in timeline {
            let tip = tooltips ? "<title>#\(m.index) t=\(m.time): \(escape(m.action.description))</title>" : ""
            func close(_ element: String) -> String { tip.isEmpty ? "/>\n" : ">\(tip)</\(element)>\n" }
            switch m.action {
            case .advance, .reverse:
                let kind = m.action == .reverse(step: m.toStep) ? "reverse" : "advance"
                lines += "<line class=\"action \(kind)\" x1=\"\(x(m.time))\" y1=\"\(y(m.fromStep))\" x2=\"\(x(m.time + m.duration))\" y2=\"\(y(m.toStep))\"" + close("line")
            case .store, .restore:
                let kind = if case .store = m.action { "store" } else { "restore" }
                points += "<circle class=\"action \(kind) \(m.level!.rawValue)\" cx=\"\(x(m.time))\" cy=\"\(y(m.fromStep))\" r=\"\(radius)\"" + close("circle")
            case .discard:
                sawDiscard = true
                // A small cross: the slot is freed, the current state untouched.
                let cx = Double(x(m.time))!, cy = Double(y(m.fromStep))!, r = Double(radius)!
                points += "<path class=\"action discard \(m.level!.rawValue)\" d=\"M\(f(cx - r)) \(f(cy - r))L\(f(cx + r)) \(f(cy + r))M\(f(cx - r)) \(f(cy + r))L\(f(cx + r)) \(f(cy - r))\"" + close("path")
            case .endForward, .endReverse:
                let kind = m.action == .endForward ? "end-forward" : "end-reverse"
                lines += "<line class=\"action \(kind)\" x1=\"\(x(m.time))\" y1=\"\(f(top))\" x2=\"\(x(m.time))\" y2=\"\(f(top + plotHeight))\"" + close("line")
            }
        }
        out += points + "</g>\n" + lines + "</g>\n"

        // Legend: only what the picture contains.
        let s = timeline.statistics
        var entries: [(String, String)] = [("advance", "advance (untaped step)"), ("reverse", "reverse (taped step + pullback)")]
        for level in StorageLevel.allCases where (s.stores[level] ?? 0) > 0 {
            entries += [("store \(level.rawValue)", "store (\(level))"), ("restore \(level.rawValue)", "restore (\(level))")]
        }
        if sawDiscard {
            entries.append(("discard", "discard (slot freed)"))
        }
        entries.append(("end-forward", "end of recording sweep"))
        out += "<g id=\"legend\" transform=\"translate(\(f(left)) \(f(Double(height) - 40)))\">\n"
        var x0 = 0.0
        for (kind, label) in entries {
            defer { x0 += 40 + 6.5 * Double(label.count) }  // about 6.5 px per character at 12 px
            if kind == "discard" {
                out += "<path class=\"discard\" d=\"M\(f(x0 + 4)) -4L\(f(x0 + 12)) 4M\(f(x0 + 4)) 4L\(f(x0 + 12)) -4\" style=\"stroke-width: 2\"/>\n"
            } else if kind.hasPrefix("store") || kind.hasPrefix("restore") {
                out += "<circle class=\"\(kind)\" cx=\"\(f(x0 + 8))\" cy=\"0\" r=\"4\"/>\n"
            } else {
                // advance rises, reverse falls, end of recording sweep is vertical.
                let (x1, y1, x2, y2) = switch kind {
                case "advance": (x0, 5.0, x0 + 16, -5.0)
                case "reverse": (x0, -5.0, x0 + 16, 5.0)
                default: (x0 + 8, -7.0, x0 + 8, 7.0)
                }
                out += "<line class=\"\(kind)\" x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" style=\"stroke-width: 2\"/>\n"
            }
            out += "<text x=\"\(f(x0 + 22))\" y=\"4\">\(escape(label))</text>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// A coordinate with at most two decimals.
    func f(_ value: Double) -> String { Format.decimal(value, digits: 2) }

    /// XML text escaping.
    func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
