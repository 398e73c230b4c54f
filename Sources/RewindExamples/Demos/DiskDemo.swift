import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD
import Foundation
import ScheduleInspector

/// `rewind demo --disk`: Lorenz-96 through the driver's planned gradient over memory and
/// disk (the planner picks store-all, revolve or the two-level schedule, slots and codec),
/// checked bitwise against store-all and against a central finite difference in F; the
/// planner's predicted time is printed beside the measured one, and the disk model's
/// verdict (what one checkpoint file costs against the recomputation it saves).
package struct DiskDemo {
    package var sites: Int
    package var steps: Int
    package var horizon: Double
    package var memory: Int
    package var disk: Int
    package var compression: Bool
    package var trace: String?
    /// Measure the file store's latency and bandwidth first instead of assuming them.
    package var measuresDisk = false
    /// Where the run's checkpoint directory goes (`nil`: `$TMPDIR`, else `/tmp`).
    package var checkpointDirectory: String?

    let forcing = 8.0

    /// The demo for N = `sites`, n = `steps` RK4 steps over T = `horizon`, within `memory`
    /// and `disk` bytes.
    package init(sites: Int, steps: Int, horizon: Double, memory: Int, disk: Int, compression: Bool, trace: String?, measuresDisk: Bool = false,
                checkpointDirectory: String? = nil) {
        self.sites = sites
        self.steps = steps
        self.horizon = horizon
        self.memory = memory
        self.disk = disk
        self.compression = compression
        self.trace = trace
        self.measuresDisk = measuresDisk
        self.checkpointDirectory = checkpointDirectory
    }

    /// Runs the planned gradient, the store-all one and the finite difference; returns the
    /// printout and whether every check passed.
    package func run(progress: some DemoProgress) throws -> (text: String, passed: Bool) {
        let dt = horizon / Double(steps)
        let x0 = Lorenz96.initialState(count: sites, forcing: forcing)
        var options = CheckpointingOptions()
        options.progress = { progress.update($0) }
        options.recordsTrace = trace != nil
        // Directories of earlier runs that were killed (SIGKILL, power loss) go first.
        let reaped = try CheckpointRunDirectory.removeStale(in: checkpointDirectory)
        let measuredDisk = measuresDisk ? try DiskSpeedMeasurement.measure(directory: checkpointDirectory) : nil
        let diskBudget = measuredDisk.map { DiskBudget(bytes: disk, directory: checkpointDirectory, measured: $0) }
            ?? DiskBudget(bytes: disk, directory: checkpointDirectory)
        let clock = ContinuousClock()
        var planned: CheckpointedGradient<Vector, Vector, Double>?
        let plannedTime = try clock.measure {
            planned = try valueWithCheckpointedGradient(
                at: x0, parameters: forcing, steps: steps,
                checkpointing: .planned(memory: .bytes(memory), disk: diskBudget, compression: compression ? .shuffledZstd(level: 1) : nil),
                options: options, step: { x, f, _ in Lorenz96.composedStep(x, f, dt) }, loss: { $0.halfSquaredNorm() })
        }
        progress.finish()
        let g = planned!
        guard let plan = g.plan else { preconditionFailure("a planned gradient carries its plan") }
        var storeAll: CheckpointedGradient<Vector, Vector, Double>?
        let storeAllTime = try clock.measure {
            storeAll = try valueWithCheckpointedGradient(
                at: x0, parameters: forcing, steps: steps, checkpointing: .storeAll,
                step: { x, f, _ in Lorenz96.composedStep(x, f, dt) }, loss: { $0.halfSquaredNorm() })
        }
        let reference = storeAll!
        let bitwise = g.value == reference.value && g.initialState == reference.initialState && g.parameters == reference.parameters
        let h = 1e-6 * forcing
        // ½‖x(T)‖² run forward without taping, for the finite difference in F.
        func loss(forcing: Double) -> Double {
            var x = x0
            for _ in 0..<steps { x = Lorenz96.composedStep(x, forcing, dt) }
            return x.halfSquaredNorm()
        }
        let fd = (loss(forcing: forcing + h) - loss(forcing: forcing - h)) / (2 * h)
        let fdError = abs(g.parameters - fd) / max(abs(fd), 1e-300)
        if let trace, let recorded = g.trace {
            // A trace holds numbers and names only, so encoding it cannot fail; writing can.
            let json = try JSONEncoder().encode(recorded)
            try OutputFile.write(String(decoding: json, as: UTF8.self), toPath: trace, exampleName: "trace.json")
        }

        let s = g.statistics
        let stateBytes = s.stateBytes
        let slots = s.capacities.values.reduce(0, +)
        var lines = Self.reapingLines(reaped, root: FileSystemSpace.checkpointParent(checkpointDirectory)) + [
            "Lorenz-96, N = \(sites), RK4, n = \(steps), T = \(Format.decimal(horizon, digits: 3)): gradient of ½‖x(T)‖² with respect to x0 and F",
            "  loss L = \(g.value), dL/dF = \(g.parameters)",
            "budgets: memory \(Format.bytes(memory)), disk \(Format.bytes(disk))\(compression ? ", shuffle+zstd offered" : ""); "
                + "storing all \(steps + 1) states of \(Format.bytes(stateBytes)) would need \(Format.bytes((steps + 1) * stateBytes))",
            "model: advance \(Format.seconds(plan.problem.advanceTime)), reverse \(Format.seconds(plan.problem.reverseTime)) (timed on x0); "
                + "a checkpoint file costs " + PlanReport.diskCosts(plan.problem) + (measuredDisk == nil ? " (assumed; --measure-disk measures it)" : " (measured)"),
            "plan: \(plan.decision.summary)",
            "  " + Self.diskVerdict(plan),
            "  advances \(s.advances) (recording \(s.recordingAdvances), recomputation \(s.recomputationAdvances)), reverses \(s.reverses), "
                + StorageLevel.allCases.compactMap { l in s.stores[l].map { "\(l) stores \($0), restores \(s.restores[l] ?? 0)" } }.joined(separator: ", ")
                + "; \(slots) slots in all, peak checkpoint memory \(Format.bytes(s.peakCheckpointBytes))",
        ]
        func perAction(_ seconds: Double, _ count: Int) -> String { Format.seconds(seconds / Double(Swift.max(count, 1))) }
        lines.append("  measured per action (stores and restores included): recording advance \(perAction(s.recordingSeconds, s.recordingAdvances)), "
            + "recomputation advance \(perAction(s.recomputationSeconds, s.recomputationAdvances)), reverse \(perAction(s.reverseSeconds, s.reverses))")
        if let io = g.storage[.disk] {
            lines.append("  disk: \(Format.bytes(io.bytesWritten)) written, \(Format.bytes(io.bytesRead)) read"
                + (io.encodedBytesStored > 0 ? ", compression ratio \(Format.decimal(Double(io.rawBytesEncoded) / Double(io.encodedBytesStored), digits: 2))" : "")
                + ", \(io.restoresFromReadAhead) of \(io.restores) restores read ahead, waited \(Format.seconds(io.waitSeconds))")
        }
        lines += [
            "  [\(bitwise ? "ok" : "FAIL")] planned gradient == store-all gradient (bitwise)",
            "  [\(fdError <= 1e-4 ? "ok" : "FAIL")] dL/dF vs central finite difference: error \(Format.significant(fdError)) (tolerance 0.0001)",
            "time: planned gradient \(Format.seconds(seconds(plannedTime))) = planning and set-up \(Format.seconds(seconds(plannedTime) - s.totalSeconds))"
                + " + sweeps \(Format.seconds(s.totalSeconds))"
                + (plan.decision.predictedTime.map { " (predicted \(Format.seconds($0)), measured/predicted \(Format.decimal(s.totalSeconds / $0, digits: 2)))" } ?? "")
                + "; store-all gradient \(Format.seconds(seconds(storeAllTime)))",
        ]
        if let trace { lines.append("trace written to \(trace): rewind trace \(trace)") }
        let passed = bitwise && fdError <= 1e-4
        lines.append(passed ? "all checks passed" : "SOME CHECKS FAILED")
        return (lines.joined(separator: "\n"), passed)
    }

    /// Why the plan uses the disk or not: one state's round trip through a file (as the
    /// plan's disk option prices it, codec included) in advances, and the best plan of the
    /// other kind.
    static func diskVerdict(_ plan: CheckpointPlan) -> String {
        let p = plan.problem
        let usesDisk = plan.decision.disk != nil
        let rival = plan.alternatives.first { $0.isFeasible && ($0.disk != nil) != usesDisk }
        let rivalText = rival.flatMap { option in option.predictedTime.map { "\(Format.seconds($0)) (\(option.summary.prefix { $0 != "," }))" } }
        let disk = (usesDisk ? plan.decision : rival)?.disk
        let roundTrip = disk.map { $0.writeTime + $0.readTime }
            ?? CostModel.transferTime(of: p.stateSize, latency: p.diskWriteLatency, bandwidth: p.diskWriteBandwidth)
            + CostModel.transferTime(of: p.stateSize, latency: p.diskReadLatency, bandwidth: p.diskReadBandwidth)
        let cost = "one state to disk and back costs \(Format.seconds(roundTrip)), \(Format.decimal(roundTrip / p.advanceTime, digits: 1)) advances"
        if usesDisk {
            return "the disk pays: \(cost); the best memory-only plan was predicted at " + (rivalText ?? "nothing feasible")
        }
        return "the disk does not pay: \(cost), and recomputing is cheaper; the best plan with disk was predicted at "
            + (rivalText ?? "nothing feasible (the disk store's four buffers do not fit in the memory budget, or no state fits on the disk)")
    }

    /// What reaping the checkpoint root did before the run, if it did anything.
    static func reapingLines(_ reaping: CheckpointRunDirectory.Reaping, root: String) -> [String] {
        var lines: [String] = []
        if !reaping.removed.isEmpty {
            let bytes = reaping.removed.reduce(0) { $0 + $1.bytes }
            lines.append("removed \(reaping.removed.count) stale checkpoint director\(reaping.removed.count == 1 ? "y" : "ies") (\(Format.bytes(bytes))) "
                + "under \(root) left by runs that were killed")
        }
        for (directory, error) in reaping.failed {
            lines.append("left \(directory.path) in place: \(error)")
        }
        return lines
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
