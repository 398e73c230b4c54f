import ArgumentParser
import CheckpointSchedules
import ScheduleInspector

extension OutputFormat: ExpressibleByArgument {}

/// `--schedule`, `--steps`, `--slots`, `--period`, `--disk-slots` and the prices: which
/// schedule, shared by every subcommand that builds one.
struct ScheduleOptions: ParsableArguments {
    @Option(help: "The schedule: \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: revolve).",
            transform: ScheduleOptions.kind)
    var schedule: ScheduleKind = .revolve

    /// Parses a schedule name; an unknown one gets a one-line list of the known ones.
    static func kind(_ name: String) throws -> ScheduleKind {
        guard let kind = ScheduleKind(rawValue: name) else {
            throw ValidationError("unknown schedule '\(name)'; use one of \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    @Option(parsing: .unconditional, help: "n: the number of steps to reverse (at least 1).")
    var steps: Int

    @Option(name: [.customLong("slots"), .customLong("memory-slots")], parsing: .unconditional,
            help: "s: checkpoint slots in memory, x0 included; a budget for periodic and store-all.")
    var slots: Int?

    @Option(parsing: .unconditional, help: "two-level and h-revolve: disk slots (default: unlimited).")
    var diskSlots: Int?

    @Option(parsing: .unconditional, help: "h-revolve only: compressed memory slots (default: 0).")
    var compressedSlots: Int?

    @Option(parsing: .unconditional, help: "k: periodic's distance between checkpoints (default: the one with the fewest advances that fits --slots).")
    var period: Int?

    @OptionGroup var costOptions: CostOptions

    /// The library request these options describe.
    var request: ScheduleRequest {
        ScheduleRequest(kind: schedule, steps: steps, slots: slots, period: period, diskSlots: diskSlots, compressedSlots: compressedSlots,
                        costModel: schedule == .hRevolve ? costOptions.hierarchyCostModel : costOptions.costModel)
    }

    func validate() throws {
        try positive(steps, "--steps", "number of steps to reverse")
        let levelled = schedule == .twoLevel || schedule == .hRevolve
        if let slots, !levelled { try positive(slots, "--slots", "slot count (it counts x0)") }
        if let diskSlots, diskSlots < 0 { throw ValidationError("--disk-slots must be 0 or more, got \(diskSlots); pass a non-negative slot count") }
        if diskSlots != nil, !levelled {
            throw ValidationError("--disk-slots applies to --schedule two-level or h-revolve only; drop it or use one of them")
        }
        if let compressedSlots, compressedSlots < 0 {
            throw ValidationError("--compressed-slots must be 0 or more, got \(compressedSlots); pass a non-negative slot count")
        }
        if compressedSlots != nil, schedule != .hRevolve {
            throw ValidationError("--compressed-slots applies to --schedule h-revolve only; drop it or use --schedule h-revolve")
        }
        if let period { try positive(period, "--period", "distance between checkpoints, in steps") }
        do { try request.validate() } catch { throw ValidationError(error.description) }
    }
}

/// Throws the one-line error for a number below 1.
func positive(_ value: Int, _ option: String, _ meaning: String) throws {
    guard value >= 1 else { throw ValidationError("\(option) must be at least 1, got \(value); pass a positive \(meaning)") }
}

/// `--max-actions`: the most actions a command enumerates before it refuses.
struct WorkLimitOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Refuse to simulate or list more than this many actions (every schedule has at least n + 2; revolve statistics need none).")
    var maxActions: Int = ScheduleRequest.defaultMaxActions

    func validate() throws { try positive(maxActions, "--max-actions", "action count") }
}

/// `--format text|json|csv`.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: text for people, json or csv for tools.")
    var format: OutputFormat = .text
}

/// `--advance-cost`, `--reverse-cost`, `--disk-write-cost`, `--disk-read-cost`: the prices
/// behind predicted times (and the two-level schedule's choices).
struct CostOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "The cost of one advance (untaped step), in any time unit.")
    var advanceCost: Double = 1

    @Option(parsing: .unconditional, help: "The cost of one reverse (taped step + pullback), in the same unit.")
    var reverseCost: Double = 2

    @Option(parsing: .unconditional, help: "The cost of writing one state to disk, in the same unit.")
    var diskWriteCost: Double = 5

    @Option(parsing: .unconditional, help: "The cost of reading one state from disk, in the same unit.")
    var diskReadCost: Double = 5

    @Option(parsing: .unconditional, help: "h-revolve: the cost of compressing one state into compressed memory, in the same unit.")
    var compressedWriteCost: Double = 1

    @Option(parsing: .unconditional, help: "h-revolve: the cost of restoring one state from compressed memory, in the same unit.")
    var compressedReadCost: Double = 1

    var costModel: CostModel {
        CostModel(advance: advanceCost, reverse: reverseCost, write: [.disk: diskWriteCost], read: [.disk: diskReadCost])
    }

    /// ``costModel`` with the compressed memory level's prices, for h-revolve.
    var hierarchyCostModel: CostModel {
        var model = costModel
        model.write[.compressedMemory] = compressedWriteCost
        model.read[.compressedMemory] = compressedReadCost
        return model
    }

    func validate() throws {
        for (value, option) in [(advanceCost, "--advance-cost"), (reverseCost, "--reverse-cost"),
                                (diskWriteCost, "--disk-write-cost"), (diskReadCost, "--disk-read-cost"),
                                (compressedWriteCost, "--compressed-write-cost"), (compressedReadCost, "--compressed-read-cost")] {
            guard value >= 0, value.isFinite else { throw ValidationError("\(option) must be a non-negative number, got \(value); pass a cost such as 1 or 2.5") }
        }
    }
}
