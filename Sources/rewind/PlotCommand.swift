import ArgumentParser
import Foundation
import CheckpointSchedules
import ScheduleInspector

/// `rewind plot`: the revolve picture in the terminal and as SVG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a schedule: step index against time, stores and restores marked per level.",
        discussion: """
        Prints a Unicode timeline (colour only on a terminal); with --svg also writes a standalone SVG \
        with axes, legend, title and one mark per action (readable up to 10^4 steps). Refused past \
        --max-actions (at least n + 2 actions).

        With --threads 2, plans the pipelined two-thread reversal for --slots states (checkpoints and \
        hand-off queue) and writes its SVG with one lane per thread (--svg is required).

        Example:
          rewind plot --schedule revolve --steps 50 --slots 7 --svg revolve.svg
          rewind plot --steps 200 --slots 24 --threads 2 --svg two-threads.svg
        """
    )

    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(help: "Also write the picture as SVG to this file.")
    var svg: String?

    @Option(parsing: .unconditional, help: "Terminal picture width in columns (time axis).")
    var width: Int = 72

    @Option(parsing: .unconditional, help: "Terminal picture height in rows (step axis).")
    var height: Int = 24

    @Option(help: "Threads: 2 draws the pipelined reversal on two threads, one lane per thread (needs --svg and --slots).")
    var threads: Int = 1

    @Flag(help: "Plain ASCII glyphs instead of Unicode.")
    var ascii = false

    @OptionGroup var colorOptions: ColorOptions
    @OptionGroup var workLimit: WorkLimitOptions

    func validate() throws {
        guard width >= 10 else { throw ValidationError("--width must be at least 10 columns, got \(width); pass a wider picture") }
        guard height >= 2 else { throw ValidationError("--height must be at least 2 rows, got \(height); pass a taller picture") }
        guard threads == 1 || threads == 2 else { throw ValidationError("--threads must be 1 or 2, got \(threads); pass 2 for the two-thread reversal") }
        if threads == 2, svg == nil || scheduleOptions.slots == nil {
            throw ValidationError("--threads 2 draws an SVG for a budget: pass --svg FILE and --slots N (checkpoints and hand-off queue)")
        }
    }

    func run() throws {
        let request = scheduleOptions.request
        if threads == 2, let svg, let slots = request.slots {
            return try drawTwoThreads(steps: request.steps, states: slots, svg: svg)
        }
        let schedule = try request.makeSchedule()
        try ScheduleRequest.checkWork(steps: request.steps, maxActions: workLimit.maxActions)
        try draw(schedule, name: request.name, slots: request.budget(of: schedule))
    }

    /// The pipelined two-thread reversal for `states` buffers, one lane per thread.
    func drawTwoThreads(steps n: Int, states: Int, svg: String) throws {
        let costs = scheduleOptions.costOptions
        let rho = costs.reverseCost / costs.advanceCost
        try ScheduleRequest.checkWork(steps: n, maxActions: workLimit.maxActions)
        guard let tree = try PipelinedReversal.best(steps: n, states: states, reverseCost: rho) else {
            throw ValidationError("no two-thread tree for \(n) steps fits \(states) states; pass --slots \(Swift.max(3, states + 8)) or more, or --threads 1")
        }
        let picture = try ParallelSVGTimeline(tree, reverseCost: rho)
        try OutputFile.write(picture.rendered(), toPath: svg, exampleName: "timeline.svg")
        let r = picture.report
        FileOutput.standardOutput().write(
            "\(tree): \(tree.peakSlots) checkpoints + \(tree.handOffDepth) queued ≤ \(states) states; predicted \(Format.decimal(r.totalTime, digits: 0)) "
                + "advance-times (recording \(r.recordingAdvances) advances, recomputing thread \(r.recomputingAdvances), "
                + "reversing thread waits \(Format.decimal(r.reversingWait, digits: 0)))\n")
        FileOutput.standardError().write("wrote \(svg): two lanes, \(picture.actions.count) marks\n")
    }

    func draw(_ schedule: some CheckpointSchedule, name: String, slots: Int) throws {
        let timeline = Timeline(schedule)
        let s = timeline.statistics
        let title = "\(name), \(schedule.steps) steps, \(slots) slots: \(s.advances) advances, \(s.reverses) reverses, \(s.totalStores) stores, \(s.totalRestores) restores"
        let output = FileOutput.standardOutput()
        if let svg {
            try OutputFile.write(SVGTimeline(timeline, title: title).rendered(), toPath: svg, exampleName: "timeline.svg")
            FileOutput.standardError().write("wrote \(svg): \(s.actions) marks\n")
        }
        let style = TimelineStyle(unicode: !ascii, color: colorOptions.enabled(for: output))
        output.write(ASCIITimeline(timeline, style: style, width: width, height: height, title: title).rendered() + "\n")
        try output.finish()
    }
}
