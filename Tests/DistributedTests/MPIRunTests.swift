import Distributed
import DistributedExamples
import Foundation
import Testing

/// `mpirun -np 1…4 rewind-mpi-heat`: the gradient is the same bits for every rank count and
/// equals the single-process driver's; the halo exchange passes the dot-product test across
/// ranks; start-up disagreements and mid-run faults stop every rank with one message and
/// leave no files. Skipped only where `mpirun` is absent.
@Suite(.serialized, .enabled(if: MPIRun.unavailableReason == nil, "\(MPIRun.unavailableReason ?? "")"))
struct MPIRunTests {
    /// A small problem with a per-rank budget of 48 kB over P ranks (the driver's and the
    /// step's working states, the disk store's buffers and about one checkpoint) and a disk
    /// the planner is told costs no latency: checkpoints go to files on every rank.
    static let problem = Heat2D(rows: 24, columns: 16, steps: 40)
    static func arguments(ranks: Int, memory: Int = 48_000) -> [String] {
        [
            "--rows", "24", "--columns", "16", "--steps", "40", "--memory", "\(memory / ranks)B", "--disk", "1MB",
            "--disk-latency", "0", "--format", "json",
        ]
    }

    @Test func gradientIsBitwiseIdenticalForOneToFourRanksAndEqualsOneProcess() throws {
        let reference = try DistributedHeatRun.serialGradient(of: Self.problem, checkpointing: .storeAll)
        for ranks in 1...4 {
            let outcome = try MPIRun.run(ranks: ranks, Self.arguments(ranks: ranks))
            try #require(outcome.status == 0, "P = \(ranks): \(outcome.stderr)")
            let report = try JSONDecoder().decode(HeatGradientReport.self, from: Data(outcome.stdout.utf8))
            #expect(report.ranks == ranks)
            #expect(report.loss.bitPattern == reference.loss.bitPattern, "P = \(ranks): loss \(report.loss) vs \(reference.loss)")
            #expect(
                report.diffusionGradient.bitPattern == reference.diffusionGradient.bitPattern,
                "P = \(ranks): dL/dν \(report.diffusionGradient) vs \(reference.diffusionGradient)")
            #expect(report.initialGradientSHA256 == reference.initialGradientSHA256, "P = \(ranks)")
            #expect(report.perRank.count == ranks && report.perRank.map(\.rows).reduce(0, +) == 24)
            #expect(report.stores["disk", default: 0] > 0, "P = \(ranks): the budget should spill to disk: \(report.schedule)")
            #expect(report.reverses == 40)
        }
    }

    /// Offered compression (the planner may keep compressed checkpoints in memory; with this
    /// budget at 3 ranks it usually does), the gradient is still the one-process bits.
    @Test func gradientWithCompressionOfferedIsTheSameBits() throws {
        let problem = Heat2D(rows: 48, columns: 64, steps: 60)
        let reference = try DistributedHeatRun.serialGradient(of: problem, checkpointing: .storeAll)
        for ranks in [1, 3] {
            let outcome = try MPIRun.run(ranks: ranks, [
                "--rows", "48", "--columns", "64", "--steps", "60", "--memory", "\(420_000 / ranks)B", "--disk", "0",
                "--compress", "--format", "json",
            ])
            try #require(outcome.status == 0, "P = \(ranks): \(outcome.stderr)")
            let report = try JSONDecoder().decode(HeatGradientReport.self, from: Data(outcome.stdout.utf8))
            #expect(report.diffusionGradient.bitPattern == reference.diffusionGradient.bitPattern, "P = \(ranks): \(report.schedule)")
            #expect(report.initialGradientSHA256 == reference.initialGradientSHA256, "P = \(ranks): \(report.schedule)")
            #expect(report.loss.bitPattern == reference.loss.bitPattern)
        }
    }

    /// Blocks (P_y × P_x = 1 × 1, 1 × 2, 1 × 3, 2 × 2, 1 × 4): the same bits for every
    /// arrangement as the one-process block run, and the strips' loss and ∂L/∂u[0].
    @Test func blockGradientIsBitwiseIdenticalForEveryArrangement() throws {
        let reference = try DistributedHeatRun.serialGradient(of: Self.problem, layout: .blocks)
        let strips = try DistributedHeatRun.serialGradient(of: Self.problem, layout: .strips)
        #expect(reference.initialGradientSHA256 == strips.initialGradientSHA256 && reference.loss == strips.loss)
        for (ranks, across) in [(1, 1), (2, 2), (3, 3), (4, 2), (4, 4)] {
            let outcome = try MPIRun.run(
                ranks: ranks, Self.arguments(ranks: ranks, memory: 66_000) + ["--layout", "blocks", "--block-columns", "\(across)"])
            try #require(outcome.status == 0, "P = \(ranks): \(outcome.stderr)")
            let report = try JSONDecoder().decode(HeatGradientReport.self, from: Data(outcome.stdout.utf8))
            #expect(report.layout == "blocks \(ranks / across) × \(across)")
            #expect(report.loss.bitPattern == reference.loss.bitPattern, "\(report.layout)")
            #expect(report.diffusionGradient.bitPattern == reference.diffusionGradient.bitPattern, "\(report.layout)")
            #expect(report.initialGradientSHA256 == reference.initialGradientSHA256, "\(report.layout)")
        }
    }

    /// ⟨u, H v⟩ = ⟨Hᵀ u, v⟩ across ranks for strips with halo widths 1–3 and every
    /// arrangement of blocks (1 × P, …, P × 1) with widths 1–2, on every set of sides.
    @Test func haloReverseIsTheAdjointAcrossRanks() throws {
        for ranks in 1...4 {
            let outcome = try MPIRun.run(ranks: ranks, ["halo-check", "--every-arrangement", "--rows", "12", "--columns", "12"])
            try #require(outcome.status == 0, "P = \(ranks): \(outcome.stderr)")
            let results = try JSONDecoder().decode([String: [String: Double]].self, from: Data(outcome.stdout.utf8))
            #expect(results.keys.contains { $0.hasPrefix("strips w3") } && results.keys.contains { $0.hasPrefix("blocks 1×\(ranks) w2") })
            for (check, products) in results {
                let lhs = try #require(products["lhs"]), rhs = try #require(products["rhs"])
                #expect(abs(lhs - rhs) <= 1e-13 * max(1, abs(lhs)), "P = \(ranks), \(check): \(lhs) vs \(rhs)")
            }
        }
    }

    @Test func ranksThatDisagreeStopWithOneError() throws {
        let outcome = try MPIRun.run(ranks: 3, Self.arguments(ranks: 3) + ["--inject-fault", "different-steps:1"])
        #expect(outcome.status != 0)
        #expect(MPIRun.occurrences(of: "ranks disagree about the step count", in: outcome.stderr) == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("rank 1: 41"))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func budgetTooSmallStopsEveryRankWithOneError() throws {
        let outcome = try MPIRun.run(ranks: 2, ["--rows", "24", "--columns", "16", "--steps", "40", "--memory", "1KB"])
        #expect(outcome.status != 0)
        #expect(MPIRun.occurrences(of: "a memory budget of 1000 bytes", in: outcome.stderr) == 1, "\(outcome.stderr)")
    }

    @Test func corruptCheckpointOnOneRankAbortsEveryRankAndLeavesNoFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mpi-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try MPIRun.run(
            ranks: 3, Self.arguments(ranks: 3) + ["--disk-directory", root.path, "--inject-fault", "corrupt-checkpoint:1"])
        #expect(outcome.status != 0)
        #expect(MPIRun.occurrences(of: "is corrupt", in: outcome.stderr) == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("error: rank 1:"))
        let left = try FileManager.default.subpathsOfDirectory(atPath: root.path)
        #expect(left.isEmpty, "files left behind: \(left)")
    }
}
