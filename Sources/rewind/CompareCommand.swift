import ArgumentParser
import CheckpointSchedules
import ScheduleInspector

/// `rewind compare`: several schedules side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare schedules for the same number of steps and slot budget.",
        discussion: """
        One row per schedule: whether it fits the budget, advances, advances per step, recomputation, \
        stores and restores per level, peak slots and the predicted time. A schedule that needs more \
        slots than the budget is listed with what it needs and fits = no. Revolve is counted in closed \
        form and two-level from its table; the others are simulated, with progress on a terminal, and \
        refused when their actions together exceed --max-actions (at least n + 2 each).

        Example:
          rewind compare --steps 1000 --slots 10
          rewind compare --steps 1000 --slots 40 --schedules revolve,periodic --format csv
          rewind compare --steps 300 --slots 4 --disk-slots 20 --disk-write-cost 5 --disk-read-cost 5
          rewind compare --steps 10000 --slots 16 --state-size 64MB
        """
    )

    @Option(parsing: .unconditional, help: "n: the number of steps to reverse.")
    var steps: Int

    @Option(parsing: .unconditional, help: "s: the checkpoint slot budget, x0 included.")
    var slots: Int

    @Option(parsing: .unconditional, help: "Also compare the two-level schedule with --slots memory and this many disk slots.")
    var diskSlots: Int?

    @Option(help: "Comma-separated schedules to compare (default: all; two-level needs --disk-slots).")
    var schedules: String?

    @Option(parsing: .unconditional, help: "The size of one state, e.g. 64MB: adds a peak-bytes column.", transform: PlanCommand.parseBytes)
    var stateSize: ByteCount?

    @OptionGroup var costOptions: CostOptions
    @OptionGroup var formatOptions: FormatOptions
    @OptionGroup var workLimit: WorkLimitOptions

    /// The schedules named by `--schedules`; nil leaves the choice to ``ScheduleComparison``.
    var kinds: [ScheduleKind]? {
        schedules.map { $0.split(separator: ",").compactMap { ScheduleKind(rawValue: String($0)) } }
    }

    func validate() throws {
        try positive(steps, "--steps", "number of steps to reverse")
        try positive(slots, "--slots", "slot budget (it counts x0)")
        if let diskSlots, diskSlots < 0 { throw ValidationError("--disk-slots must be 0 or more, got \(diskSlots); pass a non-negative slot count") }
        for name in (schedules ?? "").split(separator: ",") { _ = try ScheduleOptions.kind(String(name)) }
        if let kinds {
            guard !kinds.isEmpty else { throw ValidationError("--schedules is empty; name at least one schedule") }
            if kinds.contains(.twoLevel), diskSlots == nil {
                throw ValidationError("two-level needs disk slots; pass --disk-slots D or drop two-level from --schedules")
            }
        }
    }

    func run() throws {
        let bar = ProgressBar()
        let comparison = try ScheduleComparison(steps: steps, slots: slots, diskSlots: diskSlots, kinds: kinds, costModel: costOptions.costModel,
                                                stateBytes: stateSize?.bytes, maxActions: workLimit.maxActions) { name, fraction in
            bar.update(status: "simulating \(name): \(Int(fraction * 100))% of the steps reversed")
        }
        bar.finish()
        try FileOutput.print(comparison.rendered(as: formatOptions.format))
    }
}
