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

        Example:
          rewind plot --schedule revolve --steps 50 --slots 7 --svg revolve.svg
        """
    )

    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(help: "Also write the picture as SVG to this file.")
    var svg: String?

    @Option(parsing: .unconditional, help: "Terminal picture width in columns (time axis).")
    var width: Int = 72

    @Option(parsing: .unconditional, help: "Terminal picture height in rows (step axis).")
    var height: Int = 24

    @Flag(help: "Plain ASCII glyphs instead of Unicode.")
    var ascii = false

    @OptionGroup var colorOptions: ColorOptions
    @OptionGroup var workLimit: WorkLimitOptions

    func validate() throws {
        guard width >= 10 else { throw ValidationError("--width must be at least 10 columns, got \(width); pass a wider picture") }
        guard height >= 2 else { throw ValidationError("--height must be at least 2 rows, got \(height); pass a taller picture") }
    }

    func run() throws {
        let request = scheduleOptions.request
        let schedule = try request.makeSchedule()
        try ScheduleRequest.checkWork(steps: request.steps, maxActions: workLimit.maxActions)
        try draw(schedule, name: request.name, slots: request.budget(of: schedule))
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
