import ArgumentParser
import CheckpointSchedules
import CheckpointedAD
import Distributed
import DistributedExamples
import Foundation

/// `rewind-mpi-heat plan --ranks P`: the plan every rank of a P-rank run would make (memory
/// and disk per rank, the schedule's steps) and a model of its time — without MPI.
///
/// The step times are measured here on one strip as large as the largest rank's; the
/// communication is modelled by ``HaloTraffic`` (latency + bytes/bandwidth per message).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Per-rank memory, disk and predicted time of a P-rank run (no mpirun needed).",
        discussion: "A 10⁹-cell state on 1,000 ranks: plan --ranks 1000 --rows 31623 --columns 31623 --steps 5000 --memory 1GB --disk 100GB [--layout blocks]")

    @Option(help: "The number of ranks P.") var ranks = 4
    @Option(help: "Rows of the grid.") var rows = 1024
    @Option(help: "Columns of the grid.") var columns = 1024
    @Option(help: "Explicit steps.") var steps = 2000
    @Option(help: "strips or blocks (the most nearly square array).") var layout = HeatLayout.strips
    @Option(help: "Memory per rank.") var memory = "64MB"
    @Option(help: "Disk per rank; 0 for none.") var disk = "4GB"
    @Option(help: "Seconds of latency per halo message.") var networkLatency = 2e-6
    @Option(help: "Bytes per second of one rank's link.") var networkBandwidth = 10e9
    @Option(help: "text or json.") var format = OutputFormat.text

    func run() throws {
        // The largest shard (rank 0's), stepped in one process with its own wrap-around as its
        // halo: the same work per cell as in the distributed run.
        let localRows: Int, localColumns: Int, traffic: HaloTraffic, arrangement: String
        switch layout {
        case .strips:
            let strips = try StripPartition(rows: rows, columns: columns, ranks: ranks)
            (localRows, localColumns) = (strips.rows(of: 0), columns)
            traffic = .strips(columns: columns)
            arrangement = "\(ranks) strips"
        case .blocks:
            let blocks = try BlockPartition.balanced(rows: rows, columns: columns, ranks: ranks)
            (localRows, localColumns) = (blocks.rows(of: 0), blocks.columns(of: 0))
            traffic = .blocks(rows: localRows, columns: localColumns)
            arrangement = "\(blocks.rankRows) × \(blocks.rankColumns) blocks"
        }
        let problem = Heat2D(rows: localRows, columns: localColumns, steps: steps)
        let x0 = problem.initialStrip(firstRow: 0, rows: localRows)
        let step = layout == .strips
            ? problem.step(halo: try SerialHaloExchange(rows: localRows, columns: localColumns))
            : problem.blockStep(halo: try SerialBlockHaloExchange(rows: localRows, columns: localColumns))
        let times = DistributedHeatRun.measureStepTimes(step, at: x0, parameters: problem.diffusion)
        let memoryBytes = try ByteCount(parsing: memory).bytes, diskBytes = try ByteCount(parsing: disk).bytes
        var options = CheckpointingOptions()
        options.workspaceStates = layout.workspaceStates
        let (plan, schedule) = try DistributedCheckpointing<Vector>.makePlan(
            steps: steps, stateBytes: x0.checkpointByteCount, memory: memoryBytes,
            disk: diskBytes > 0 ? DiskBudget(bytes: diskBytes) : nil, stepTimes: times, options: options)
        var advances = 0, reverses = 0
        for action in schedule {
            switch action {
            case let .advance(from, to): advances += to - from
            case .reverse: reverses += 1
            default: break
            }
        }
        let communication = traffic.seconds(advances: advances, reverses: reverses, latency: networkLatency, bandwidth: networkBandwidth)
        let computation = Double(advances) * times.advance + Double(reverses) * times.reverse
        let decision = plan.decision
        let facts: [(String, String)] = [
            ("ranks", "\(ranks) (\(arrangement))"),
            ("grid", "\(rows) × \(columns) = \(rows * columns) cells, \(steps) steps"),
            ("largest shard", "\(localRows) × \(localColumns) cells"),
            ("state bytes per rank", "\(x0.checkpointByteCount)"),
            ("working bytes per rank", "\(options.workingBytes(steps: steps, stateBytes: x0.checkpointByteCount))"),
            ("schedule", decision.summary),
            ("checkpoint memory per rank", "\(decision.predictedMemory.bytes) bytes (\(decision.memory.slots) slots)"),
            ("checkpoint disk per rank", "\(decision.predictedDisk.bytes) bytes (\(decision.disk?.slots ?? 0) slots)"),
            ("advances / reverses", "\(advances) / \(reverses)"),
            ("measured step times", "advance \(times.advance) s, reverse \(times.reverse) s"),
            ("halo bytes per advance / reverse", "\(traffic.bytesPerAdvance) / \(traffic.bytesPerReverse)"),
            ("predicted computation", "\(computation) s"),
            ("predicted checkpointing (planner, incl. I/O)", "\(decision.predictedTime.map { "\($0) s" } ?? "infeasible")"),
            ("predicted communication", "\(communication) s (latency \(networkLatency) s, \(networkBandwidth) B/s)"),
            ("predicted total", "\((decision.predictedTime ?? computation) + communication) s"),
        ]
        switch format {
        case .text:
            for (name, value) in facts { print("\(name.padding(toLength: 46, withPad: " ", startingAt: 0)) \(value)") }
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let object = Dictionary(uniqueKeysWithValues: facts.map { ($0.0, $0.1) })
            print(String(decoding: try encoder.encode(object), as: UTF8.self))
        }
    }
}
