import ArgumentParser
import Rewind

/// `rewind compare`: several schedules side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare schedules for the same number of steps and slot budget.",
        discussion: """
        One row per schedule: whether it fits the budget, advances, advances per step, recomputation, \
        stores and restores per level, peak slots and the predicted time. A schedule that needs more \
        slots than the budget is listed with what it needs and fits = no.

        Example:
          rewind compare --steps 1000 --slots 10
          rewind compare --steps 1000 --slots 40 --schedules revolve,periodic --format csv
        """
    )

    @Option(parsing: .unconditional, help: "n: the number of steps to reverse.")
    var steps: Int

    @Option(parsing: .unconditional, help: "s: the checkpoint slot budget, x0 included.")
    var slots: Int

    @Option(help: "Comma-separated schedules to compare (default: all).")
    var schedules: String = ScheduleKind.allCases.map(\.rawValue).joined(separator: ",")

    @OptionGroup var costOptions: CostOptions
    @OptionGroup var formatOptions: FormatOptions

    var kinds: [ScheduleKind] { schedules.split(separator: ",").compactMap { ScheduleKind(rawValue: String($0)) } }

    func validate() throws {
        try positive(steps, "--steps", "number of steps to reverse")
        try positive(slots, "--slots", "slot budget (it counts x0)")
        for name in schedules.split(separator: ",") where ScheduleKind(rawValue: String(name)) == nil {
            throw ValidationError("unknown schedule '\(name)' in --schedules; use a comma-separated list of \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !kinds.isEmpty else { throw ValidationError("--schedules is empty; name at least one schedule") }
    }

    func run() throws {
        let comparison = try ScheduleComparison(steps: steps, slots: slots, kinds: kinds, costModel: costOptions.costModel)
        FileOutput.standardOutput().write(comparison.rendered(as: formatOptions.format) + "\n")
    }
}
