import ArgumentParser
import ScheduleInspector

/// `rewind stats`: what a schedule costs, from the simulator.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Play a schedule through the simulator and print its statistics.",
        discussion: """
        Revolve is counted in closed form (any n answers at once; past 10^6 expansions of its split \
        recursion it is simulated instead); two-level is the exact optimum while its table needs at most \
        2·10^8 steps of work, else the best scalable form, and is counted from its table; other schedules \
        are simulated, with progress on a terminal, and refused past --max-actions (at least n + 2 actions).

        Advances (recording sweep and recomputation), the optimum t(n, s) and repetition number r(n, s) \
        for the same budget, reverses, stores, restores and peak slots per level, and the predicted time.

        Example:
          rewind stats --schedule revolve --steps 1000 --slots 10 --format json
          rewind stats --schedule two-level --steps 200 --memory-slots 3 --disk-slots 10
          rewind stats --schedule online --steps 500 --slots 10
        """
    )

    @OptionGroup var scheduleOptions: ScheduleOptions
    @OptionGroup var formatOptions: FormatOptions
    @OptionGroup var workLimit: WorkLimitOptions

    func run() throws {
        let bar = ProgressBar()
        let report = try ScheduleReport(scheduleOptions.request, maxActions: workLimit.maxActions) { fraction in
            bar.update(status: "simulating \(scheduleOptions.schedule.rawValue): \(Int(fraction * 100))% of the steps reversed")
        }
        bar.finish()
        try FileOutput.print(report.rendered(as: formatOptions.format))
    }
}
