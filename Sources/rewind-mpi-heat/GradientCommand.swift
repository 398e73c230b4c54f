import ArgumentParser
import CheckpointSchedules
import CheckpointedAD
import Distributed
import DistributedExamples
import Foundation

/// `rewind-mpi-heat gradient`: L = ½ Σ u[n]², ∂L/∂u[0] and ∂L/∂ν under a per-rank budget.
struct GradientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradient",
        abstract: "Gradient of L = ½Σu(T)² with respect to u(0) and ν, checkpointed on every rank.",
        discussion: """
            The default problem runs in seconds. The large one: \
            mpirun -np 4 rewind-mpi-heat --rows 1024 --columns 1024 --steps 2000 --memory 64MB --disk 4GB
            """)

    @Option(help: "Rows of the periodic grid (split into strips, one per rank).") var rows = 128
    @Option(help: "Columns of the grid.") var columns = 128
    @Option(help: "Explicit Euler steps.") var steps = 500
    @Option(help: "The diffusion coefficient ν.") var diffusion = 1.0
    @Option(help: "κ = Δt/h² (stable for ν·κ ≤ 0.25).") var courant = 0.2
    @Option(help: "Memory per rank for working states and checkpoints (e.g. 2MB).") var memory = "1MB"
    @Option(help: "Disk per rank for checkpoint files (e.g. 1GB); 0 for none.") var disk = "256MB"
    @Option(name: [.customLong("checkpoint-dir"), .customLong("disk-directory")],
            help: "Where each rank's private checkpoint directory rewind-XXXXXX goes (default $TMPDIR or /tmp); SIGTERM removes it, a later run reaps it after SIGKILL.")
    var diskDirectory: String?
    @Option(help: "Seconds the planner assumes per checkpoint file write and read besides its bytes (default 50 µs and 30 µs).")
    var diskLatency: Double?
    @Flag(help: "Offer the planner compressed checkpoints (byte shuffle + zstd level 1) in memory and on disk.")
    var compress = false
    @Option(help: "How the grid is cut among the ranks: strips (whole rows) or blocks (a P_y × P_x array).")
    var layout = HeatLayout.strips
    @Option(help: "For blocks: how many blocks across (P_x, a divisor of P); default the most nearly square array.")
    var blockColumns: Int?
    @Option(help: "text or json.") var format = OutputFormat.text
    @Option(help: ArgumentHelp("Inject a fault: corrupt-checkpoint:RANK or different-steps:RANK.", visibility: .hidden))
    var injectFault: String?

    func run() throws {
        let world = Communicator.world
        let problem = Heat2D(rows: rows, columns: columns, steps: steps, diffusion: diffusion, courant: courant)
        if let reason = problem.problem { throw ValidationError(reason) }
        let memoryBytes = try parseBytes(memory, option: "--memory")
        let diskBytes = try parseBytes(disk, option: "--disk")
        let fault = try parseFault(injectFault)
        var budget = diskBytes > 0 ? DiskBudget(bytes: diskBytes, directory: diskDirectory) : nil
        if let diskLatency {
            guard diskLatency >= 0 else { throw ValidationError("--disk-latency cannot be negative, got \(diskLatency)") }
            budget?.writeLatency = diskLatency
            budget?.readLatency = diskLatency
        }
        guard let report = try DistributedHeatRun.gradient(
            of: problem, layout: layout, blockColumns: blockColumns, memory: memoryBytes, disk: budget, compression: compress ? .shuffledZstd(level: 1) : nil,
            across: world, fault: fault)
        else { return }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .text:
            print(text(report))
        }
    }

    func parseBytes(_ text: String, option: String) throws -> Int {
        do { return try ByteCount(parsing: text).bytes } catch {
            throw ValidationError("\(option): \(error) (write a size such as 64MB or 1GB)")
        }
    }

    func parseFault(_ text: String?) throws -> HeatFault? {
        guard let text else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let rank = Int(parts[1]) else {
            throw ValidationError("--inject-fault: expected corrupt-checkpoint:RANK or different-steps:RANK, got \(text)")
        }
        switch parts[0] {
        case "corrupt-checkpoint": return .corruptCheckpoint(rank: rank)
        case "different-steps": return .differentSteps(rank: rank)
        default: throw ValidationError("--inject-fault: unknown fault \(parts[0]); use corrupt-checkpoint or different-steps")
        }
    }

    func text(_ r: HeatGradientReport) -> String {
        var lines = [
            "2-D heat equation, \(r.rows) × \(r.columns) periodic grid, \(r.steps) steps, \(r.ranks) rank(s) in \(r.layout)",
            "loss                 \(r.loss)",
            "dL/dnu               \(r.diffusionGradient)",
            "SHA-256 of dL/du(0)  \(r.initialGradientSHA256)",
            "schedule             \(r.schedule)",
            "advances \(r.advances), reverses \(r.reverses), stores \(r.stores), restores \(r.restores)",
            "seconds              \(r.seconds)",
            "rank  rows × columns  checkpoint-memory  checkpoint-disk  peak-RSS  seconds",
        ]
        for rank in r.perRank {
            lines.append("\(rank.rank)  \(rank.rows) × \(rank.columns)  \(rank.peakCheckpointBytes)  \(rank.peakDiskBytes)  \(rank.peakResidentBytes)  \(rank.seconds)")
        }
        return lines.joined(separator: "\n")
    }
}

extension HeatLayout: ExpressibleByArgument {}
