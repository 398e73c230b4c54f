import ArgumentParser
import ScheduleInspector

/// `rewind schedule`: print a schedule's action stream.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print a schedule's action stream, one action per line (streamed, up to --max-actions).",
        discussion: """
        Each line shows the action's index, its time (step executions before it) and the action. \
        Refused past --max-actions (at least n + 2 actions). JSON puts one action object per line; CSV has the columns \(ActionListing.fields.joined(separator: ",")).

        Example:
          rewind schedule --schedule revolve --steps 10 --slots 3
          rewind schedule --schedule periodic --steps 12 --period 4 --format csv
          rewind schedule --schedule two-level --steps 30 --memory-slots 2 --disk-slots 4
        """
    )

    @OptionGroup var scheduleOptions: ScheduleOptions
    @OptionGroup var formatOptions: FormatOptions
    @OptionGroup var workLimit: WorkLimitOptions

    func run() throws {
        let request = scheduleOptions.request
        let schedule = try request.makeSchedule()
        try ScheduleRequest.checkWork(steps: request.steps, maxActions: workLimit.maxActions)
        var output = FileOutput.standardOutput()
        try ActionListing.write(schedule, name: request.name, slots: request.budget(of: schedule), format: formatOptions.format, to: &output,
                                  discoveryAdvances: request.discoveryAdvances)
        try output.finish()
    }
}
