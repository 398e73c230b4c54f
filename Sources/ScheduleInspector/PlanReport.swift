import CheckpointSchedules

/// The planner's decision for a problem given in bytes and seconds, the alternatives it
/// rejected, and a check of the decision by simulation: what `rewind plan` prints.
///
/// ```swift
/// let problem = PlanningProblem(steps: 10_000, stateSize: .megabytes(64), memory: .gigabytes(1),
///                               disk: .gigabytes(100), advanceTime: 0.002, reverseTime: 0.006)
/// print(try PlanReport(problem).rendered(as: .text))
/// ```
///
/// The decision's schedule is built and played through the `ScheduleSimulator` with the
/// plan's cost model, so the advances, stores and restores printed are counted, not
/// estimated, and the simulated time is shown beside the planner's prediction. A revolve
/// decision is counted in closed form instead (`Revolve.statistics(costModel:workLimit:)`,
/// equal to the simulator's counts), and a two-level decision from its table's cells
/// (`TwoLevelRevolve.statistics(costModel:)`), so those answer at once for any n.
///
/// - Complexity: the planner's (one bounded `TwoLevelRevolve` table per option) plus, for a
///   store-all decision or a hierarchical or multistage two-level one, one simulation,
///   O(actions), refused past `maxActions`.
public struct PlanReport: Sendable {
    /// The planner's answer.
    public var plan: CheckpointPlan
    /// The decision's schedule played through the simulator with the plan's cost model.
    public var statistics: ScheduleStatistics
    /// Whether ``statistics`` were counted without simulation (revolve, two-level tables).
    public var isClosedForm = false

    /// Plans `problem` and simulates (or, for revolve, counts) the decision.
    ///
    /// ```swift
    /// let report = try PlanReport(problem, maxActions: 100_000_000) { fraction in bar.update(fraction) }
    /// ```
    ///
    /// - Parameters:
    ///   - problem: the steps, state size, memory, disk and timings to plan for.
    ///   - maxActions: the most actions to simulate; a store-all or two-level decision for
    ///     n steps has at least n + 2.
    ///   - progress: called now and then during a simulation with the fraction of steps
    ///     reversed so far (0…1).
    /// - Throws: ``InspectorError/planning(_:)`` with the planner's reason;
    ///   ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` naming `--max-actions`
    ///   when the simulation needs more than `maxActions` actions.
    public init(_ problem: PlanningProblem, maxActions: Int = .max, progress: ((Double) -> Void)? = nil) throws(InspectorError) {
        do {
            plan = try CheckpointPlanner.plan(problem)
        } catch { throw .planning(error) }
        if plan.decision.strategy == .revolve, problem.steps > 1,
           let revolve = try? Revolve(steps: problem.steps, slots: Swift.max(1, plan.decision.memory.slots), level: .memory),
           let counted = try? revolve.statistics(costModel: plan.decision.costModel, workLimit: ScheduleReport.countingWorkLimit) {
            statistics = counted
            isClosedForm = true
            return
        }
        let schedule: PlannedSchedule
        if plan.decision.strategy == .twoLevel {
            do { schedule = try plan.decision.makeSchedule(steps: problem.steps) } catch { throw .planning(error) }
            if case let .twoLevel(twoLevel) = schedule, let counted = twoLevel.statistics(costModel: plan.decision.costModel) {
                // The table's cells counted once each: any n the planner answers is counted at once.
                statistics = counted
                isClosedForm = true
                return
            }
            try Self.checkSimulationWork(steps: problem.steps, maxActions: maxActions)
        } else {
            try Self.checkSimulationWork(steps: problem.steps, maxActions: maxActions)
            do { schedule = try plan.decision.makeSchedule(steps: problem.steps) } catch { throw .planning(error) }
        }
        statistics = try Self.simulate(schedule, costModel: plan.decision.costModel, maxActions: maxActions, progress: progress)
    }

    /// Refuses to simulate a schedule for n steps past `maxActions`. Any schedule has at least
    /// 2n + 1 actions: n reverses, endForward and endReverse, and a restore before each reverse
    /// but the first (a reverse leaves no current state, so the next one needs a restore).
    ///
    /// - Throws: ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` naming `--max-actions`.
    static func checkSimulationWork(steps n: Int, maxActions: Int) throws(InspectorError) {
        let (twice, overflow) = n.multipliedReportingOverflow(by: 2)
        let estimate = overflow || twice == Int.max ? Int.max : twice + 1
        if estimate > maxActions {
            throw .tooMuchWork(what: "simulating the planned schedule for \(n) steps", estimate: estimate, unit: "actions", limit: maxActions,
                               option: "--max-actions")
        }
    }

    /// Plays `schedule` through the simulator, reporting progress every 2^16 actions and
    /// refusing past `maxActions`.
    static func simulate(
        _ schedule: PlannedSchedule, costModel: CostModel, maxActions: Int, progress: ((Double) -> Void)?
    ) throws(InspectorError) -> ScheduleStatistics {
        let n = schedule.steps
        let capacities = Dictionary(uniqueKeysWithValues: StorageLevel.allCases.map { ($0, schedule.capacity(of: $0)) })
        var simulator = ScheduleSimulator(steps: n, capacities: capacities, costModel: costModel)
        var played = 0
        do {
            for action in schedule {
                try simulator.play(action)
                played += 1
                guard played & 0xFFFF == 0 else { continue }
                let fraction = Double(n - 1 - simulator.nextReverse) / Double(n)
                if played > maxActions {
                    // Extrapolated from the part reversed so far, so that the suggested limit suffices.
                    let total = fraction > 0 ? Swift.min(Double(played) / fraction, 9e18) : 9e18
                    throw InspectorError.tooMuchWork(
                        what: "simulating the planned schedule for \(n) steps (extrapolated from the \(Int(fraction * 100))% simulated)",
                        estimate: Swift.max(played, Int(total * 1.02)), unit: "actions", limit: maxActions, option: "--max-actions")
                }
                progress?(fraction)
            }
            try simulator.finish()
        } catch let error as InspectorError {
            throw error
        } catch {
            preconditionFailure("the planned schedule breaks a rule: \(error)")
        }
        return simulator.statistics
    }

    /// What one checkpoint file costs in the problem's disk model, b being its stored bytes:
    /// `write 1 ms + b / 500 MB/s, read 30 µs + b / 1 GB/s`.
    package static func diskCosts(_ problem: PlanningProblem) -> String {
        func speed(_ bandwidth: Double) -> String { Format.bytes(Int(bandwidth.rounded())) + "/s" }
        return "write \(Format.seconds(problem.diskWriteLatency)) + b / \(speed(problem.diskWriteBandwidth)), "
            + "read \(Format.seconds(problem.diskReadLatency)) + b / \(speed(problem.diskReadBandwidth))"
    }

    /// "4 memory slots (identity) + 64 disk slots (zstd)", with "+ 12 compressed memory
    /// slots (zstd)" between them for an H-Revolve option.
    static func levels(_ option: CheckpointPlan.Option) -> String {
        var text = "\(option.memory.slots) memory slot\(option.memory.slots == 1 ? "" : "s") (\(option.memory.codec.name))"
        if let compressed = option.compressedMemory {
            text += " + \(compressed.slots) compressed memory slot\(compressed.slots == 1 ? "" : "s") (\(compressed.codec.name))"
        }
        if let disk = option.disk { text += " + \(disk.slots) disk slot\(disk.slots == 1 ? "" : "s") (\(disk.codec.name))" }
        return text
    }

    /// The decision, its check, and the alternatives as a table.
    var text: String {
        let p = plan.problem
        let d = plan.decision
        let s = statistics
        var lines = [
            "plan for \(p.steps) steps of \(p.stateSize) each: memory \(p.memory)" + (p.disk.map { ", disk \($0) (\(Self.diskCosts(p)))" } ?? ", no disk")
                + ", advance \(Format.seconds(p.advanceTime)), reverse \(Format.seconds(p.reverseTime))",
            "decision: \(d.strategy), \(Self.levels(d))" + (d.period.map { ", disk checkpoint every \($0) steps" } ?? ""),
            "  predicted time \(Format.seconds(d.predictedTime ?? .nan)) (\(isClosedForm ? "counted" : "simulated") \(Format.seconds(s.predictedTime))), "
                + "memory \(d.predictedMemory) (\(p.reservedStates) reserved working states included), disk \(d.predictedDisk)",
            "  advances \(s.advances) (recomputation \(s.recomputationAdvances)), reverses \(s.reverses), "
                + StorageLevel.allCases.compactMap { l in s.stores[l].map { "\(l) stores \($0), restores \(s.restores[l] ?? 0)" } }.joined(separator: ", "),
            "  \(d.note)",
            "",
            "alternatives:",
        ]
        var table = TextTable(columns: [.init("strategy"), .init("levels"), .init("predicted time", alignment: .right),
                                        .init("memory", alignment: .right), .init("disk", alignment: .right), .init("note")])
        for o in plan.alternatives {
            table.append([o.strategy.description, Self.levels(o), o.predictedTime.map(Format.seconds) ?? "impossible",
                          o.isFeasible ? o.predictedMemory.description : "", o.isFeasible ? o.predictedDisk.description : "", o.note])
        }
        lines.append(plan.alternatives.isEmpty ? "  none" : table.rendered(indent: "  "))
        return lines.joined(separator: "\n")
    }

    static func json(_ option: CheckpointPlan.Option) -> JSONValue {
        func level(_ a: CheckpointPlan.LevelAssignment) -> JSONValue {
            .object([("slots", .int(a.slots)), ("codec", .string(a.codec.name)), ("bytesPerSlot", .int(a.bytesPerSlot.bytes)),
                     ("writeTime", .double(a.writeTime)), ("readTime", .double(a.readTime))])
        }
        // The compressed memory level only where an H-Revolve option has one.
        let compressed: [(String, JSONValue)] = option.compressedMemory.map { [("compressedMemory", level($0))] } ?? []
        return .object([
            ("strategy", .string(option.strategy.description)),
            ("memory", level(option.memory)),
        ] + compressed + [
            ("disk", option.disk.map(level) ?? .null),
            ("predictedTime", option.predictedTime.map(JSONValue.double) ?? .null),
            ("predictedMemory", .int(option.predictedMemory.bytes)),
            ("predictedDisk", .int(option.predictedDisk.bytes)),
            ("period", option.period.map(JSONValue.int) ?? .null),
            ("note", .string(option.note)),
        ])
    }

    /// `{"problem", "decision", "simulated", "alternatives"}`; sizes in bytes, times in seconds.
    var json: JSONValue {
        let p = plan.problem
        let s = statistics
        return .object([
            ("problem", .object([
                ("steps", .int(p.steps)), ("stateSize", .int(p.stateSize.bytes)), ("memory", .int(p.memory.bytes)),
                ("disk", p.disk.map { .int($0.bytes) } ?? .null), ("advanceTime", .double(p.advanceTime)),
                ("reverseTime", .double(p.reverseTime)), ("diskWriteBandwidth", .double(p.diskWriteBandwidth)),
                ("diskReadBandwidth", .double(p.diskReadBandwidth)), ("diskWriteLatency", .double(p.diskWriteLatency)),
                ("diskReadLatency", .double(p.diskReadLatency)), ("codecs", .array(p.codecs.map { .string($0.name) })),
                ("reservedStates", .int(p.reservedStates)),
            ])),
            ("decision", Self.json(plan.decision)),
            ("simulated", .object([
                ("advances", .int(s.advances)), ("recomputationAdvances", .int(s.recomputationAdvances)), ("reverses", .int(s.reverses)),
                ("stores", .object(StorageLevel.allCases.compactMap { l in s.stores[l].map { (l.rawValue, .int($0)) } })),
                ("restores", .object(StorageLevel.allCases.compactMap { l in s.restores[l].map { (l.rawValue, .int($0)) } })),
                ("predictedTime", .double(s.predictedTime)),
            ])),
            ("alternatives", .array(plan.alternatives.map(Self.json))),
        ])
    }

    /// One CSV row per option, the decision first.
    var csv: String {
        var table = TextTable(columns: ["chosen", "strategy", "memory slots", "memory codec", "disk slots", "disk codec",
                                        "predicted time", "memory bytes", "disk bytes", "note",
                                        "compressed memory slots", "compressed memory codec"].map { .init($0) })
        for (i, o) in ([plan.decision] + plan.alternatives).enumerated() {
            table.append([i == 0 ? "yes" : "no", o.strategy.description, String(o.memory.slots), o.memory.codec.name,
                          o.disk.map { String($0.slots) } ?? "", o.disk?.codec.name ?? "", o.predictedTime.map { "\($0)" } ?? "",
                          String(o.predictedMemory.bytes), String(o.predictedDisk.bytes), o.note,
                          o.compressedMemory.map { String($0.slots) } ?? "", o.compressedMemory?.codec.name ?? ""])
        }
        return table.csv()
    }

    /// The report in the requested format (no trailing newline).
    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .text: text
        case .json: json.rendered()
        case .csv: csv
        }
    }
}
