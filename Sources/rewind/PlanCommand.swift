import ArgumentParser
import CheckpointSchedules
import ScheduleInspector

/// `rewind plan`: what the planner would run for a problem given in bytes and seconds.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Choose levels, slots and codec for a memory (and disk) budget, by least predicted time.",
        discussion: """
        Sizes accept B, KB, MB, GB, TB (powers of 1000) and KiB, MiB, GiB, TiB (powers of 1024); times \
        accept ns, us, ms, s; bandwidths are sizes per second. A disk checkpoint costs a latency per file \
        plus its bytes over the bandwidth, so small states stay in memory when recomputing them is \
        cheaper; `swift run -c release --package-path Benchmarks disk-latency-report` measures your disk. \
        The decision's advances, stores and restores are \
        counted: a revolve decision from its split recursion (within 10^6 expansions), a two-level one from \
        its table's cells, both without playing the schedule; a store-all one (or a rare hierarchical or multistage two-level one) by simulation, which \
        shows its progress on a terminal and is refused past --max-actions (at least 2n + 1 actions). The \
        rejected alternatives are listed with their predictions or the reason they cannot run. The \
        planner's own work per option is bounded (2·10^8 elementary steps), so any --disk answers within \
        seconds.

        Example:
          rewind plan --steps 10000 --state-size 64MB --memory 1GB --disk 100GB --step-time 2ms
          rewind plan --steps 100000 --state-size 8MiB --memory 256MiB --compression zstd --format json
          rewind plan --steps 5000 --state-size 8GB --memory 1GB --disk 20GB --ranks 1000
          rewind plan --steps 10000 --state-size 32KiB --memory 2424832B --step-time 16us --reverse-time 44us --threads 2
        """
    )

    @Option(parsing: .unconditional, help: "n: the number of steps to reverse.")
    var steps: Int

    @Option(parsing: .unconditional, help: "The size of one state, e.g. 64MB.", transform: parseBytes)
    var stateSize: ByteCount

    @Option(parsing: .unconditional, help: "The memory budget for checkpoints and working states, e.g. 1GB.", transform: parseBytes)
    var memory: ByteCount

    @Option(parsing: .unconditional, help: "A disk budget, e.g. 100GB (default: no disk).", transform: parseBytes)
    var disk: ByteCount?

    @Option(parsing: .unconditional, help: "Seconds per advance (one untaped step), e.g. 2ms.", transform: parseSeconds)
    var stepTime: Double = 0.001

    @Option(parsing: .unconditional, help: "Seconds per reverse (taped step + pullback) (default: 3 × --step-time).", transform: parseSeconds)
    var reverseTime: Double?

    @Option(parsing: .unconditional, help: "Disk bandwidth for writes and reads, e.g. 1GB/s (default: 500MB/s write, 1GB/s read).", transform: parseBandwidth)
    var diskBandwidth: Double?

    @Option(parsing: .unconditional, help: "Seconds per checkpoint file written besides its bytes (header and payload written in place), e.g. 20us (default: 50 µs).",
            transform: parseSeconds)
    var diskWriteLatency: Double = PlanningProblem.defaultDiskWriteLatency

    @Option(parsing: .unconditional, help: "Seconds per checkpoint file read besides its bytes (open, check), e.g. 20us (default: 30 µs).",
            transform: parseSeconds)
    var diskReadLatency: Double = PlanningProblem.defaultDiskReadLatency

    @Option(help: "Codecs to consider besides none: none or zstd (shuffle + zstd level 1: ratio 1.5, 1 GB/s in, 1.6 GB/s out).")
    var compression: Compression = .none

    @Option(parsing: .unconditional, help: "Working states the driver keeps outside the slots (default 7: 3 own + 4 for a taped step).")
    var reservedStates: Int = 7

    @Option(parsing: .unconditional, help: "MPI ranks sharing the state: each rank plans its even share of --state-size within its own --memory and --disk (per-rank budgets). Halo cells are not counted (rewind-mpi-heat plan models them).")
    var ranks: Int = 1

    @Option(parsing: .unconditional, help: "Threads for the reversal: 1, or 2 (one recomputes while the caller reverses; memory only, no --disk, --ranks 1). With 2, the two-thread layout is printed after the one-thread plan.")
    var threads: Int = 1

    @OptionGroup var formatOptions: FormatOptions
    @OptionGroup var workLimit: WorkLimitOptions

    /// One rank's share of the state: ⌈state size / ranks⌉ bytes.
    var stateSizePerRank: ByteCount { ByteCount((stateSize.bytes + ranks - 1) / ranks) }

    enum Compression: String, CaseIterable, ExpressibleByArgument { case none, zstd }

    static func parseBytes(_ text: String) throws -> ByteCount {
        do { return try ByteCount(parsing: text) } catch { throw ValidationError(error.description) }
    }

    static func parseSeconds(_ text: String) throws -> Double {
        do { return try QuantityParsing.seconds(text) } catch { throw ValidationError(error.description) }
    }

    static func parseBandwidth(_ text: String) throws -> Double {
        do { return try QuantityParsing.bandwidth(text) } catch { throw ValidationError(error.description) }
    }

    var problem: PlanningProblem {
        PlanningProblem(
            steps: steps, stateSize: stateSizePerRank, memory: memory, disk: disk,
            advanceTime: stepTime, reverseTime: reverseTime ?? 3 * stepTime,
            diskWriteBandwidth: diskBandwidth ?? 500e6, diskReadBandwidth: diskBandwidth ?? 1e9,
            diskWriteLatency: diskWriteLatency, diskReadLatency: diskReadLatency,
            codecs: compression == .zstd ? [CodecProfile(name: "shuffle+zstd-1", ratio: 1.5, compressionSpeed: 1.0e9, decompressionSpeed: 1.6e9)] : [],
            reservedStates: reservedStates)
    }

    func validate() throws {
        try positive(steps, "--steps", "number of steps to reverse")
        guard stateSize.bytes >= 1 else { throw ValidationError("--state-size must be at least 1 byte, got \(stateSize); pass the size of one state such as 64MB") }
        guard ranks >= 1 else { throw ValidationError("--ranks must be at least 1, got \(ranks); pass the number of MPI ranks sharing the state") }
        guard ranks <= stateSize.bytes / 8 else {
            throw ValidationError("--ranks \(ranks) leaves less than one 8-byte value per rank of a \(stateSize) state; pass at most \(max(1, stateSize.bytes / 8)) ranks")
        }
        guard threads == 1 || threads == 2 else { throw ValidationError("--threads must be 1 or 2, got \(threads); pass 2 for a reversal on two threads") }
        if threads == 2, disk != nil || ranks > 1 {
            throw ValidationError("--threads 2 plans a reversal in memory on one process; drop --disk and --ranks, or pass --threads 1")
        }
        guard reservedStates >= 0 else { throw ValidationError("--reserved-states must be 0 or more, got \(reservedStates); pass a non-negative count") }
        for (name, value) in [("--disk-write-latency", diskWriteLatency), ("--disk-read-latency", diskReadLatency)] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name) must be 0 or more seconds, got \(value); pass a time such as 50us")
        }
    }

    func run() throws {
        let bar = ProgressBar()
        bar.update(status: "planning \(steps) steps: pricing each combination of levels and codecs")
        let report = try PlanReport(problem, maxActions: workLimit.maxActions) { fraction in
            bar.update(status: "simulating the plan: \(Int(fraction * 100))% of the steps reversed")
        }
        bar.finish()
        guard threads == 2 else { return try FileOutput.print(rendered(report)) }
        let parallel = try ParallelPlanReport(
            steps: steps, stateSize: stateSize, memory: memory, reservedStates: reservedStates, advanceTime: stepTime,
            reverseTime: reverseTime ?? 3 * stepTime)
        switch formatOptions.format {
        case .json:
            let body = rendered(report).trimmingCharacters(in: .whitespacesAndNewlines)
            try FileOutput.print("{\"oneThread\": \(body), \"twoThreads\": \(parallel.rendered(as: .json))}\n")
        case .text: try FileOutput.print(rendered(report) + "\n" + parallel.rendered(as: .text))
        case .csv: try FileOutput.print(parallel.rendered(as: .csv))
        }
    }

    /// The report, and for several ranks what it means per rank and in all.
    func rendered(_ report: PlanReport) -> String {
        let text = report.rendered(as: formatOptions.format)
        guard ranks > 1 else { return text }
        let share = stateSizePerRank
        switch formatOptions.format {
        case .json:
            let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return "{\"ranks\": \(ranks), \"stateBytesPerRank\": \(share.bytes), \"perRank\": \(body)}\n"
        default:
            let total = { (budget: ByteCount) in ByteCount(budget.bytes.multipliedReportingOverflow(by: ranks).overflow ? Int.max : budget.bytes * ranks) }
            var lines = "\(ranks) ranks, each with a \(share) share of the \(stateSize) state and its own budgets "
                + "(all ranks: memory \(total(memory))"
            if let disk { lines += ", disk \(total(disk))" }
            lines += "); every rank runs the plan below on its shard:\n"
            return lines + text
        }
    }
}
