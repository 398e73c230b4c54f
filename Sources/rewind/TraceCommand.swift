import ArgumentParser
import Foundation
import ScheduleInspector

/// `rewind trace FILE`: where a real run's time went.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Show where a recorded run's time went: recording, recomputation, reverse, I/O.",
        discussion: """
        Reads the trace JSON that the library writes when CheckpointingOptions.recordsTrace is on \
        (encode CheckpointedGradient.trace with JSONEncoder), checks it with the simulator, and prints \
        the time per phase, the gaps and the state bytes stored and restored. For a disk or compressed \
        level it adds the store's I/O per level: encoded bytes and compression ratio, the seconds the sweep \
        spent and waited, the I/O thread's background seconds and how much of them overlapped computation, \
        read-ahead requests, and the restores served by read-ahead or a write buffer. --svg draws its actions.

        Example:
          rewind trace run.json
          rewind trace run.json --format json --svg run.svg
        """
    )

    @Argument(help: "The trace JSON file.")
    var file: String

    @Option(help: "Also draw the run's actions as SVG to this file.")
    var svg: String?

    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        let report = try TraceReport(contentsOf: file)
        if let svg {
            let timeline = Timeline(RecordedSchedule(report.trace))
            try OutputFile.write(SVGTimeline(timeline, title: "trace \(file): \(report.trace.steps) steps").rendered(), toPath: svg,
                                 exampleName: "trace.svg")
            FileOutput.standardError().write("wrote \(svg): \(timeline.statistics.actions) marks\n")
        }
        try FileOutput.print(report.rendered(as: formatOptions.format))
    }
}
