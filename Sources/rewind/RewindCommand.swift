import ArgumentParser
import CheckpointStorage
import ScheduleInspector

/// `rewind`: see, compare and plan checkpointing schedules before you run them.
@main
struct RewindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewind",
        abstract: "Memory-bounded reverse-mode AD: inspect, compare and plan checkpointing schedules.",
        discussion: """
        Counting convention: an advance is one untaped step (the recording sweep included); a reverse \
        is one taped step plus its pullback. Slots count every stored state, x0 included.

        Example:
          rewind demo
          rewind stats --schedule revolve --steps 1000 --slots 10
          rewind plot --steps 50 --slots 7 --svg revolve.svg
        """,
        subcommands: [
            ScheduleCommand.self, StatsCommand.self, CompareCommand.self, PlotCommand.self, PlanCommand.self, DemoCommand.self, TraceCommand.self, TableCommand.self,
            CleanCommand.self,
        ]
    )

    /// Runs the command line and exits with its status; errors are one line on stderr.
    /// SIGINT, SIGTERM and SIGHUP remove the run's checkpoint directories first
    /// (``CheckpointInterruption``), installed before any other thread starts.
    static func main() {
        try? CheckpointInterruption.install { report in
            FileOutput.standardError().write(CommandLineRunner.interruptionLine(report) + "\n")
        }
        CommandLineRunner.exit(CommandLineRunner.run(Array(CommandLine.arguments.dropFirst())))
    }
}
