import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD
import Distributed
import Foundation

/// A fault to inject into a distributed run, to show that the job stops cleanly.
public enum HeatFault: Hashable, Sendable {
    /// After the recording sweep, this rank damages one byte of each of its checkpoint
    /// files; its next restore from disk fails its checksum.
    case corruptCheckpoint(rank: Int)
    /// This rank runs one step more than the others (caught by the start-up check).
    case differentSteps(rank: Int)
}

/// An error one rank met alone, in the middle of a run (a corrupt checkpoint, a full
/// disk): the other ranks may be waiting for this one in an exchange, so the job must be
/// aborted, not unwound.
public struct RankFailure: Error, CustomStringConvertible {
    /// The rank that failed.
    public var rank: Int
    /// What failed.
    public var message: String
    /// "rank r: message".
    public var description: String { "rank \(rank): \(message)" }
}

/// The checkpointed gradient of ``Heat2D``: distributed over MPI ranks, or in one process
/// with the plain driver (the reference the distributed run must match bit for bit).
public enum DistributedHeatRun {
    /// Runs the gradient on every rank of `communicator` within `memory` bytes (and `disk`)
    /// per rank, optionally offering the planner `compression`, with the grid cut into
    /// `layout` (for blocks, `blockColumns` of them across, or the most nearly square
    /// array), and returns the report on rank 0 (nil elsewhere).
    ///
    /// - Throws: ``DistributedError`` (the same on every rank) when the ranks disagree or a
    ///   budget is too small; ``RankFailure`` on the one rank whose run failed (the caller
    ///   aborts the job).
    public static func gradient(
        of problem: Heat2D, layout: HeatLayout = .strips, blockColumns: Int? = nil, memory: Int, disk: DiskBudget?, compression: CheckpointCodec? = nil,
        across communicator: Communicator, fault: HeatFault? = nil
    ) throws -> HeatGradientReport? {
        let rank = communicator.rank
        var steps = problem.steps
        if case .differentSteps(rank) = fault { steps += 1 }
        let shard = try HeatShard(problem, layout: layout, blockColumns: blockColumns, communicator: communicator)
        let times = measureStepTimes(shard.step, at: shard.x0, parameters: problem.diffusion)
        var options = CheckpointingOptions()
        options.workspaceStates = shard.workspaceStates
        let planned = try DistributedCheckpointing<Vector>.plan(
            steps: steps, initialState: shard.x0, memory: memory, disk: disk, compression: compression, stepTimes: times,
            options: options, across: communicator)
        if case .corruptCheckpoint(rank) = fault, let store = planned.fileStore {
            var damaged = false
            options.progress = { progress in
                guard !damaged, progress.stepsReversed == 0 else { return }
                damaged = true
                damageCheckpointFiles(of: store)
            }
        }
        let start = ContinuousClock.now
        let result: CheckpointedGradient<Vector, Vector, Vector>
        do {
            result = try valueWithCheckpointedGradient(
                at: shard.x0, parameters: problem.diffusion, steps: steps, checkpointing: planned.checkpointing,
                options: options, step: shard.step, losses: [Heat2D.loss])
        } catch {
            throw RankFailure(rank: rank, message: "\(error)")
        }
        let seconds = (ContinuousClock.now - start).seconds
        let finalState = communicator.gather(result.finalState.scalars)
        let parameterTerms = communicator.gather(rowValues(result.parameters, rows: shard.parameterTerms))
        let initialGradient = communicator.gather(result.initialState.scalars)
        let rankFacts = communicator.gather([
            Double(shard.rows), Double(shard.columns), Double(result.statistics.peakCheckpointBytes),
            Double(planned.fileStore?.peakDiskBytes ?? 0), Double(peakResidentBytes()), seconds,
        ])
        guard let finalState, let parameterTerms, let initialGradient, let rankFacts else { return nil }
        let perRank = stride(from: 0, to: rankFacts.count, by: 6).map { k in
            HeatGradientReport.Rank(
                rank: k / 6, rows: Int(rankFacts[k]), columns: Int(rankFacts[k + 1]), peakCheckpointBytes: Int(rankFacts[k + 2]),
                peakDiskBytes: Int(rankFacts[k + 3]), peakResidentBytes: Int(rankFacts[k + 4]), seconds: rankFacts[k + 5])
        }
        return report(
            problem, layout: shard.layoutName, ranks: communicator.size, finalState: shard.globalOrder(finalState),
            diffusionGradient: shard.parameterTotal(parameterTerms), initialGradient: shard.globalOrder(initialGradient),
            statistics: result.statistics, schedule: planned.plan.decision.summary, perRank: perRank)
    }

    /// The same gradient in one process with the plain driver over the whole grid (no MPI;
    /// the halo is the grid's own periodic wrap-around), with the layout's step and sums.
    public static func serialGradient(
        of problem: Heat2D, layout: HeatLayout = .strips, checkpointing: Checkpointing<Vector> = .storeAll
    ) throws -> HeatGradientReport {
        let shard = try HeatShard(problem, layout: layout, communicator: nil)
        let start = ContinuousClock.now
        let result = try valueWithCheckpointedGradient(
            at: shard.x0, parameters: problem.diffusion, steps: problem.steps, checkpointing: checkpointing,
            step: shard.step, losses: [Heat2D.loss])
        let seconds = (ContinuousClock.now - start).seconds
        let rank = HeatGradientReport.Rank(
            rank: 0, rows: problem.rows, columns: problem.columns, peakCheckpointBytes: result.statistics.peakCheckpointBytes,
            peakDiskBytes: 0, peakResidentBytes: peakResidentBytes(), seconds: seconds)
        return report(
            problem, layout: shard.layoutName, ranks: 1, finalState: result.finalState.scalars,
            diffusionGradient: shard.parameterTotal(rowValues(result.parameters, rows: shard.parameterTerms)),
            initialGradient: result.initialState.scalars, statistics: result.statistics,
            schedule: result.statistics.schedule, perRank: [rank])
    }

    /// The report from the gathered fields (in global row-major order): the loss is summed
    /// per row in column order, then over rows in order.
    static func report(
        _ problem: Heat2D, layout: String, ranks: Int, finalState: [Double], diffusionGradient: Double, initialGradient: [Double],
        statistics: CheckpointingStatistics, schedule: String, perRank: [HeatGradientReport.Rank]
    ) -> HeatGradientReport {
        var hash = SHA256()
        hash.update(doubles: initialGradient)
        func byLevel(_ counts: [StorageLevel: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: counts.map { ("\($0.key)", $0.value) })
        }
        return HeatGradientReport(
            rows: problem.rows, columns: problem.columns, steps: problem.steps, ranks: ranks, layout: layout,
            loss: FixedOrderSum.sum(Heat2D.rowLosses(Vector(finalState), columns: problem.columns)),
            diffusionGradient: diffusionGradient,
            initialGradientSHA256: hash.finalize().hexadecimal, schedule: schedule,
            advances: statistics.advances, reverses: statistics.reverses,
            stores: byLevel(statistics.stores), restores: byLevel(statistics.restores), slots: byLevel(statistics.capacities),
            perRank: perRank, seconds: perRank.map(\.seconds).max() ?? 0)
    }

    /// The terms of a parameter cotangent (zeros for the zero-sized cotangent of n = 0).
    static func rowValues(_ v: Vector, rows: Int) -> [Double] {
        v.count == 0 ? [Double](repeating: 0, count: rows) : v.scalars
    }

    /// Times two advances and one taped step with its pullback at x0, after one untimed
    /// step and pullback to warm caches and the allocator, the same count on every rank
    /// (each call exchanges halos, so every rank must make the same calls).
    public static func measureStepTimes(_ step: CheckpointedStep<Vector, Double, Vector, Vector>, at x0: Vector, parameters p: Double) -> StepTimes {
        let clock = ContinuousClock()
        let (warm, warmPullback) = step.valueWithPullback(x0, p, 0)
        _ = warmPullback(warm)
        let advance = clock.measure { _ = step.forward(step.forward(x0, p, 0), p, 1) }.seconds / 2
        let reverse = clock.measure {
            let (value, pullback) = step.valueWithPullback(x0, p, 0)
            _ = pullback(value)
        }.seconds
        return StepTimes(advance: Swift.max(advance, 1e-9), reverse: Swift.max(reverse, 1e-9))
    }

    /// Flips one byte in the middle of each checkpoint file `store` holds (after writing
    /// whatever is still in flight).
    static func damageCheckpointFiles(of store: FileCheckpointStore<Vector>) {
        try? store.flush()
        for slot in 0..<store.capacity {
            let path = store.filePath(slot: slot)
            guard let handle = FileHandle(forUpdatingAtPath: path) else { continue }
            defer { try? handle.close() }
            guard let size = try? handle.seekToEnd(), size > 0 else { continue }
            let offset = size / 2
            try? handle.seek(toOffset: offset)
            guard let byte = try? handle.read(upToCount: 1)?.first else { continue }
            try? handle.seek(toOffset: offset)
            try? handle.write(contentsOf: [byte ^ 0xFF])
        }
    }

    /// The process's peak resident memory (`VmHWM` in /proc/self/status), 0 where unknown.
    public static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
