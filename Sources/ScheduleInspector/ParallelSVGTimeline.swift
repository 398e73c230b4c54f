import CheckpointSchedules

/// A two-thread schedule as a standalone SVG document with one lane per thread: the
/// caller's thread (recording sweep, then every taped step and pullback) on top, the
/// recomputing thread (sweeps, stores, restores) below, both against the same time axis
/// and each with its own step axis. Times come from playing the stream as two threads
/// (``/CheckpointSchedules/ParallelStreamSimulator``): an advance costs 1, a reverse ρ.
///
/// Every action is one element with class `action`, its kind (`advance`, `reverse`,
/// `store`, `restore`, `end-forward`, `end-reverse`) and its lane (`thread-0`, `thread-1`);
/// each lane is a group `lane-0`, `lane-1`.
///
/// ```swift
/// let tree = try PipelinedReversal(steps: 200, branching: [6, 3, 2], handOffDepth: 4)
/// let svg = try ParallelSVGTimeline(tree, reverseCost: 2.5).rendered()
/// ```
///
/// - Complexity: O(actions) time and output size.
public struct ParallelSVGTimeline {
    /// The actions drawn, in stream order.
    public let actions: [CheckpointAction]
    /// Each action's thread and predicted timing.
    public let timings: [ParallelStreamSimulator.ActionTiming]
    /// n.
    public let steps: Int
    /// The predicted play's totals.
    public let report: ParallelStreamSimulator.Report
    /// The title at the top.
    public var title: String
    /// Document width and height in pixels.
    public var width: Int
    public var height: Int

    /// A picture of `schedule` played on two threads with a reverse costing `reverseCost` advances.
    ///
    /// - Throws: ``InspectorError/tooManyActionsForSVG(actions:limit:)`` beyond the SVG
    ///   timeline's action limit, and ``InspectorError/planning(_:)`` for an invalid stream.
    public init(_ schedule: PipelinedReversal, reverseCost: Double, title: String? = nil, width: Int = 1000, height: Int = 700)
        throws(InspectorError)
    {
        let actions = schedule.actions()
        let limit = SVGTimeline<Revolve>.actionLimit
        guard actions.count <= limit else { throw .tooManyActionsForSVG(actions: actions.count, limit: limit) }
        do {
            report = try ParallelStreamSimulator.run(
                actions, steps: schedule.steps, slots: schedule.peakSlots, handOffDepth: schedule.handOffDepth, reverseCost: reverseCost,
                recordsTimings: true)
        } catch {
            throw .planning(.invalidProblem("the two-thread stream of \(schedule) is invalid: \(error)"))
        }
        self.actions = actions
        self.timings = report.timings
        self.steps = schedule.steps
        self.title = title ?? "\(schedule): predicted \(Format.decimal(report.totalTime, digits: 0)) advance-times on two threads"
        self.width = width
        self.height = height
    }

    /// The SVG document, ending with a newline.
    public func rendered() -> String {
        let left = 90.0, right = 20.0, top = 50.0, bottom = 90.0, gap = 40.0
        let plotWidth = Double(width) - left - right
        let laneHeight = (Double(height) - top - bottom - gap) / 2
        let total = Swift.max(1, report.totalTime)
        let n = Double(Swift.max(1, steps))
        func x(_ time: Double) -> String { f(left + time / total * plotWidth) }
        func laneTop(_ lane: Int) -> Double { top + Double(lane) * (laneHeight + gap) }
        func y(_ step: Int, _ lane: Int) -> String { f(laneTop(lane) + laneHeight - Double(step) / n * laneHeight) }
        let unit = plotWidth / total
        let stroke = f(Swift.min(2, Swift.max(0.4, unit * 0.6)))
        let radius = f(Swift.min(4, Swift.max(1, unit * 0.8)))
        let colour = Dictionary(uniqueKeysWithValues: SVGTimeline<Revolve>.palette)
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <style>
        .advance { stroke: \(colour["advance"]!); stroke-width: \(stroke); }
        .reverse { stroke: \(colour["reverse"]!); stroke-width: \(stroke); stroke-linecap: round; }
        .store { fill: \(colour["memory"]!); }
        .restore { fill: white; stroke: \(colour["memory"]!); stroke-width: 0.8; }
        .end-forward, .end-reverse { stroke: \(colour["end"]!); stroke-dasharray: 4 3; stroke-width: 1; }
        .axis { stroke: black; stroke-width: 1; }
        .grid { stroke: #e6e6e6; stroke-width: 1; }
        </style>
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="28" text-anchor="middle" font-size="16">\(escape(title))</text>

        """
        let names = ["caller's thread: recording, reverses", "recomputing thread: sweeps, hand-overs"]
        var lanes = ["", ""]
        for lane in 0..<2 {
            let y0 = laneTop(lane)
            lanes[lane] += "<g id=\"lane-\(lane)\">\n"
            for t in AxisTicks.ticks(upTo: Int(total), count: 10) {
                lanes[lane] += "<line class=\"grid\" x1=\"\(x(Double(t)))\" y1=\"\(f(y0))\" x2=\"\(x(Double(t)))\" y2=\"\(f(y0 + laneHeight))\"/>\n"
                if lane == 1 { lanes[lane] += "<text x=\"\(x(Double(t)))\" y=\"\(f(y0 + laneHeight + 18))\" text-anchor=\"middle\">\(t)</text>\n" }
            }
            for s in AxisTicks.ticks(upTo: steps, count: 4) {
                lanes[lane] += "<text x=\"\(f(left - 8))\" y=\"\(f(Double(y(s, lane))! + 4))\" text-anchor=\"end\">\(s)</text>\n"
            }
            lanes[lane] += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(y0 + laneHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y0 + laneHeight))\"/>\n"
            lanes[lane] += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(y0))\" x2=\"\(f(left))\" y2=\"\(f(y0 + laneHeight))\"/>\n"
            lanes[lane] += "<text x=\"\(f(left))\" y=\"\(f(y0 - 6))\">\(escape(names[lane]))</text>\n"
        }
        for (action, timing) in zip(actions, timings) {
            let lane = timing.thread, start = timing.start, end = timing.start + timing.duration
            switch action {
            case let .advance(from, to):
                lanes[lane] += "<line class=\"action advance thread-\(lane)\" x1=\"\(x(start))\" y1=\"\(y(from, lane))\" x2=\"\(x(end))\" y2=\"\(y(to, lane))\"/>\n"
            case let .reverse(step):
                lanes[lane] += "<line class=\"action reverse thread-\(lane)\" x1=\"\(x(start))\" y1=\"\(y(step + 1, lane))\" x2=\"\(x(end))\" y2=\"\(y(step, lane))\"/>\n"
            case let .store(step, _, _), let .restore(step, _, _, _), let .discard(step, _, _):
                let kind = if case .store = action { "store" } else { "restore" }
                lanes[lane] += "<circle class=\"action \(kind) thread-\(lane)\" cx=\"\(x(start))\" cy=\"\(y(step, lane))\" r=\"\(radius)\"/>\n"
            case .endForward, .endReverse:
                let kind = action == .endForward ? "end-forward" : "end-reverse"
                let y0 = laneTop(lane)
                lanes[lane] += "<line class=\"action \(kind) thread-\(lane)\" x1=\"\(x(start))\" y1=\"\(f(y0))\" x2=\"\(x(start))\" y2=\"\(f(y0 + laneHeight))\"/>\n"
            }
        }
        out += lanes[0] + "</g>\n" + lanes[1] + "</g>\n"
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(Double(height) - bottom + 45))\" text-anchor=\"middle\">"
            + "time (advance-times; a reverse costs the given ρ)</text>\n"
        out += "<text transform=\"translate(18 \(f(top + laneHeight + gap / 2))) rotate(-90)\" text-anchor=\"middle\">step index</text>\n"
        out += "</svg>\n"
        return out
    }

    func f(_ value: Double) -> String { Format.decimal(value, digits: 2) }

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
