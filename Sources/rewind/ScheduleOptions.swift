import ArgumentParser
import Rewind

extension ScheduleKind: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// `--schedule`, `--steps`, `--slots`, `--period`: which schedule, shared by every
/// subcommand that builds one.
struct ScheduleOptions: ParsableArguments {
    @Option(help: "The schedule: \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var schedule: ScheduleKind = .revolve

    @Option(parsing: .unconditional, help: "n: the number of steps to reverse (at least 1).")
    var steps: Int

    @Option(parsing: .unconditional, help: "s: checkpoint slots, x0 included; a budget for periodic and store-all.")
    var slots: Int?

    @Option(parsing: .unconditional, help: "k: periodic's distance between checkpoints (default: the smallest that fits --slots).")
    var period: Int?

    /// The library request these options describe.
    var request: ScheduleRequest { ScheduleRequest(kind: schedule, steps: steps, slots: slots, period: period) }

    func validate() throws {
        try positive(steps, "--steps", "number of steps to reverse")
        if let slots { try positive(slots, "--slots", "slot count (it counts x0)") }
        if let period { try positive(period, "--period", "distance between checkpoints, in steps") }
        do { try request.validate() } catch { throw ValidationError(error.description) }
    }
}

/// Throws the one-line error for a number below 1.
func positive(_ value: Int, _ option: String, _ meaning: String) throws {
    guard value >= 1 else { throw ValidationError("\(option) must be at least 1, got \(value); pass a positive \(meaning)") }
}

/// `--format text|json|csv`.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: text for people, json or csv for tools.")
    var format: OutputFormat = .text
}

/// `--advance-cost`, `--reverse-cost`: the prices behind predicted times.
struct CostOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "The cost of one advance (untaped step), in any time unit.")
    var advanceCost: Double = 1

    @Option(parsing: .unconditional, help: "The cost of one reverse (taped step + pullback), in the same unit.")
    var reverseCost: Double = 2

    var costModel: CostModel { CostModel(advance: advanceCost, reverse: reverseCost) }

    func validate() throws {
        for (value, option) in [(advanceCost, "--advance-cost"), (reverseCost, "--reverse-cost")] {
            guard value >= 0, value.isFinite else { throw ValidationError("\(option) must be a non-negative number, got \(value); pass a cost such as 1 or 2.5") }
        }
    }
}
