import CheckpointSchedules

/// The statistics of one schedule played through the `ScheduleSimulator`, beside the
/// optimum for the same budget: what `rewind stats` prints.
///
/// ```swift
/// let report = try ScheduleReport(ScheduleRequest(kind: .revolve, steps: 50, slots: 7))
/// report.statistics.advances   // 105
/// report.optimalAdvances       // 105 = t(50, 7)
/// print(report.rendered(as: .text))
/// ```
///
/// Counting convention: an advance is one untaped step, recording sweep included; a
/// reverse is one taped step plus its pullback. t(n, s) = r·n − β(s+1, r−1) is the least
/// number of advances with s slots, x0 included (Griewank & Walther 2000,
/// doi:10.1145/347837.347846).
///
/// - Complexity: revolve in closed form (`Revolve.statistics(costModel:workLimit:)`,
///   O(r·s) for typical budgets), two-level from its table's cells
///   (`TwoLevelRevolve.statistics(costModel:)`); other schedules O(actions) (one
///   simulation pass), O(1) memory beyond the slots.
public struct ScheduleReport: Sendable {
    /// The schedule's name as the CLI spells it (`revolve`, `periodic`, …).
    public var schedule: String
    /// n.
    public var steps: Int
    /// s: the slot budget, x0 included.
    public var slots: Int
    /// The periodic schedule's period, if any.
    public var period: Int?
    /// How a two-level schedule was found (`exact optimum`, or the scalable form used
    /// past the work limit); nil for other schedules.
    public var method: String?
    /// What the simulator counted.
    public var statistics: ScheduleStatistics
    /// t(n, s): the least number of advances any schedule needs with `slots` slots.
    public var optimalAdvances: Int
    /// r(n, s): the repetition number of the budget.
    public var repetitions: Int
    /// The prices behind `ScheduleStatistics.predictedTime`.
    public var costModel: CostModel
    /// The size of one state in bytes, for peak-bytes columns; nil when unknown.
    public var stateBytes: Int?
    /// Untaped steps counted in ``statistics`` that the action stream leaves out (1 for an
    /// online schedule: the step that discovered the end), 0 otherwise.
    public var discoveryAdvances: Int

    /// Builds and simulates the requested schedule, priced by the request's cost model.
    /// - Throws: ``InspectorError`` if the request is invalid or the schedule breaks a rule.
    /// - Parameters:
    ///   - request: the schedule to build, its name and cost model.
    ///   - stateBytes: the bytes of one state, for the report's memory figures.
    ///   - maxActions: the most actions to simulate; revolve and two-level, counted
    ///     without playing, need none, any other schedule has at least n + 2 actions.
    ///   - progress: called now and then during a simulation with the fraction of steps
    ///     reversed so far (0…1); never for a counted schedule.
    /// - Throws: ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` past `maxActions`.
    public init(
        _ request: ScheduleRequest, stateBytes: Int? = nil, maxActions: Int = .max, progress: ((Double) -> Void)? = nil
    ) throws(InspectorError) {
        let schedule = try request.makeSchedule()
        let counted = try Self.counted(schedule, costModel: request.costModel)
        if counted == nil { try ScheduleRequest.checkWork(steps: request.steps, maxActions: maxActions) }
        try self.init(schedule: schedule, name: request.name, slots: request.budget(of: schedule), costModel: request.costModel,
                      stateBytes: stateBytes, discoveryAdvances: request.discoveryAdvances, counted: counted, progress: progress)
    }

    /// The segment expansions revolve's counting may take in a report: about a second in
    /// a debug build and at most about 100 MB; past it the schedule is simulated (or refused).
    public static let countingWorkLimit = 1_000_000

    /// The statistics of a schedule that can be counted without playing it: revolve from
    /// its split recursion, two-level from its table's cells; nil for any other (simulate it).
    /// - Throws: ``InspectorError/schedule(_:)`` when a revolve count overflows.
    static func counted(_ schedule: some CheckpointSchedule, costModel: CostModel) throws(InspectorError) -> ScheduleStatistics? {
        if let revolve = schedule as? Revolve {
            do { return try revolve.statistics(costModel: costModel, workLimit: countingWorkLimit) } catch { throw .schedule(error) }
        }
        return (schedule as? TwoLevelRevolve)?.statistics(costModel: costModel)
    }

    /// Simulates any offline schedule under a budget of `slots` slots (revolve and
    /// two-level are counted without playing, with the same result).
    /// - Parameters:
    ///   - schedule: the schedule to play through the simulator, at the capacities it
    ///     declares; its step count is the report's n, and a ``period`` is read from a
    ///     `Periodic` or `TwoLevelRevolve` schedule.
    ///   - name: the schedule's name as the report shows it (``schedule``).
    ///   - slots: the budget s, x0 included, for t(n, s) and r(n, s); it is reported, not
    ///     checked against what the schedule declares.
    ///   - costModel: the prices of advances, reverses, stores and restores the simulator
    ///     uses for the predicted time (each discovery advance costs one advance too).
    ///   - stateBytes: the size of one state in bytes, for the peak-bytes figures; `nil`
    ///     leaves them out.
    ///   - discoveryAdvances: untaped steps the stream leaves out, added to the
    ///     recording advances and the predicted time.
    ///   - progress: called every 2^16 actions of a simulation with the fraction of steps
    ///     reversed so far (0…1).
    /// - Throws: ``InspectorError/schedule(_:)`` if t(n, s) overflows; a schedule that breaks
    ///   a rule is a programmer error and traps with the simulator's message.
    public init(
        schedule: some CheckpointSchedule, name: String, slots: Int, costModel: CostModel = CostModel(), stateBytes: Int? = nil,
        discoveryAdvances: Int = 0, progress: ((Double) -> Void)? = nil
    ) throws(InspectorError) {
        try self.init(schedule: schedule, name: name, slots: slots, costModel: costModel, stateBytes: stateBytes,
                      discoveryAdvances: discoveryAdvances, counted: nil, progress: progress)
    }

    /// As the public form; `counted` holds statistics already counted for `schedule`.
    init(
        schedule: some CheckpointSchedule, name: String, slots: Int, costModel: CostModel, stateBytes: Int?,
        discoveryAdvances: Int, counted: ScheduleStatistics?, progress: ((Double) -> Void)?
    ) throws(InspectorError) {
        // t(n, s) first: when it overflows, nothing is simulated.
        do { _ = try BinomialCheckpointing.minimalAdvances(steps: schedule.steps, slots: slots) } catch { throw .schedule(error) }
        let statistics: ScheduleStatistics
        let known: ScheduleStatistics? = if let counted { counted } else { try Self.counted(schedule, costModel: costModel) }
        if let counted = known {
            statistics = counted
        } else {
            do { statistics = try Self.simulate(schedule, costModel: costModel, progress: progress) } catch {
                preconditionFailure("the \(name) schedule for \(schedule.steps) steps broke a rule: \(error)")
            }
        }
        try self.init(statistics: statistics, name: name, steps: schedule.steps, slots: slots,
                      period: (schedule as? Periodic)?.period ?? (schedule as? TwoLevelRevolve)?.period,
                      costModel: costModel, stateBytes: stateBytes, discoveryAdvances: discoveryAdvances)
        method = (schedule as? TwoLevelRevolve)?.method.description
    }

    /// Plays `schedule` through the simulator at the capacities it declares, calling
    /// `progress` every 2^16 actions with the fraction of steps reversed.
    static func simulate(
        _ schedule: some CheckpointSchedule, costModel: CostModel, progress: ((Double) -> Void)?
    ) throws(ScheduleViolation) -> ScheduleStatistics {
        let n = schedule.steps
        let capacities = Dictionary(uniqueKeysWithValues: StorageLevel.allCases.map { ($0, schedule.capacity(of: $0)) })
        var simulator = ScheduleSimulator(steps: n, capacities: capacities, costModel: costModel)
        var played = 0
        for action in schedule {
            try simulator.play(action)
            played &+= 1
            if played & 0xFFFF == 0, let progress { progress(Double(n - 1 - simulator.nextReverse) / Double(n)) }
        }
        try simulator.finish()
        return simulator.statistics
    }

    /// A report from counts already made (simulated, or Revolve's closed form).
    init(statistics: ScheduleStatistics, name: String, steps: Int, slots: Int, period: Int?, costModel: CostModel, stateBytes: Int?,
         discoveryAdvances: Int) throws(InspectorError) {
        var statistics = statistics
        statistics.recordingAdvances += discoveryAdvances
        statistics.predictedTime += Double(discoveryAdvances) * costModel.advance
        self.discoveryAdvances = discoveryAdvances
        do {
            optimalAdvances = try BinomialCheckpointing.minimalAdvances(steps: steps, slots: slots)
            repetitions = try BinomialCheckpointing.repetitionNumber(steps: steps, slots: slots)
        } catch { throw .schedule(error) }
        self.schedule = name
        self.steps = steps
        self.slots = slots
        self.period = period
        self.statistics = statistics
        self.costModel = costModel
        self.stateBytes = stateBytes
    }

    /// Peak live slots over all levels.
    public var peakSlots: Int { statistics.totalPeakSlots }
    /// Peak bytes held in checkpoints per level (slots × state size), when the size is known.
    public func peakBytes(_ level: StorageLevel) -> Int? {
        stateBytes.map { $0 * (statistics.peakSlots[level] ?? 0) }
    }

    /// The report as an ordered JSON object. Keys: `schedule`, `steps`, `slots`, [`period`], [`method`],
    /// `advances`, `optimalAdvances`, `repetitions`, `recordingAdvances`,
    /// `recomputationAdvances`, `recomputationRatio`, `reverses`, `stores`, `restores`,
    /// `peakSlots` (totals), `levels` (per level: stores, restores, peakSlots[, peakBytes]),
    /// `actions`, `predictedTime`, `costModel`.
    var json: JSONValue {
        let s = statistics
        var members: [(String, JSONValue)] = [("schedule", .string(schedule)), ("steps", .int(steps)), ("slots", .int(slots))]
        if let period { members.append(("period", .int(period))) }
        if let method { members.append(("method", .string(method))) }
        members += [
            ("advances", .int(s.advances)),
            ("optimalAdvances", .int(optimalAdvances)),
            ("repetitions", .int(repetitions)),
            ("recordingAdvances", .int(s.recordingAdvances)),
            ("recomputationAdvances", .int(s.recomputationAdvances)),
            ("recomputationRatio", .double(s.recomputationRatio)),
            ("reverses", .int(s.reverses)),
            ("stores", .int(s.totalStores)),
            ("restores", .int(s.totalRestores)),
            ("peakSlots", .int(s.totalPeakSlots)),
        ]
        if let stateBytes { members.append(("peakBytes", .int(stateBytes * s.totalPeakSlots))) }
        members.append(("levels", .object(usedLevels.map { level in
            var entry: [(String, JSONValue)] = [
                ("stores", .int(s.stores[level] ?? 0)),
                ("restores", .int(s.restores[level] ?? 0)),
                ("peakSlots", .int(s.peakSlots[level] ?? 0)),
            ]
            if let bytes = peakBytes(level) { entry.append(("peakBytes", .int(bytes))) }
            return (level.rawValue, .object(entry))
        })))
        members += [
            ("actions", .int(s.actions)),
            ("predictedTime", .double(s.predictedTime)),
            ("costModel", costModel.json),
        ]
        return .object(members)
    }

    /// Levels that hold at least one checkpoint during the run.
    public var usedLevels: [StorageLevel] {
        StorageLevel.allCases.filter { (statistics.stores[$0] ?? 0) > 0 }
    }

    /// The report as `name,value` CSV rows (per-level counts as `stores.memory`, …).
    var csv: String {
        var rows: [[String]] = [["key", "value"]]
        func flatten(_ value: JSONValue, prefix: String) {
            switch value {
            case let .object(members): for (key, inner) in members { flatten(inner, prefix: prefix.isEmpty ? key : prefix + "." + key) }
            default: rows.append([prefix, value.rendered(pretty: false).trimmingQuotes()])
            }
        }
        flatten(json, prefix: "")
        return rows.map(CSV.line).joined(separator: "\n")
    }

    /// The report as an aligned text table for people.
    var text: String {
        let s = statistics
        var table = TextTable(columns: [.init("quantity"), .init("value", alignment: .right), .init("note")])
        table.append(["advances", String(s.advances), "recording \(s.recordingAdvances) + recomputation \(s.recomputationAdvances)"
            + (discoveryAdvances > 0 ? "; recording includes the \(discoveryAdvances) step that found the end" : "")])
        let excess = s.advances - optimalAdvances
        table.append(["optimal advances", String(optimalAdvances),
                      "t(\(steps), \(slots)) = r·n − β(s+1, r−1)" + (excess == 0 ? ", attained" : ", \(excess) fewer than this schedule")])
        table.append(["repetition number", String(repetitions), "r(\(steps), \(slots)): no step is advanced more than r times"])
        table.append(["recomputation ratio", Format.decimal(s.recomputationRatio, digits: 3), "advances per step"])
        table.append(["reverses", String(s.reverses), "taped steps with their pullback"])
        for level in usedLevels {
            table.append(["stores (\(level))", String(s.stores[level] ?? 0), ""])
            table.append(["restores (\(level))", String(s.restores[level] ?? 0), ""])
            table.append(["peak slots (\(level))", String(s.peakSlots[level] ?? 0),
                          peakBytes(level).map { Format.bytes($0) } ?? ""])
        }
        table.append(["actions", String(s.actions), "stream length, endForward and endReverse included"])
        table.append(["predicted time", Format.decimal(s.predictedTime, digits: 1), costModel.summary])
        if let method { table.append(["two-level method", "", method]) }
        return header + "\n" + table.rendered()
    }

    /// One line naming the schedule and its budget.
    var header: String {
        "\(schedule): \(steps) steps, \(slots) slots (x0 included)" + (period.map { ", period \($0)" } ?? "")
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

extension CostModel {
    /// The cost model as an ordered JSON object.
    var json: JSONValue {
        .object([
            ("advance", .double(advance)),
            ("reverse", .double(reverse)),
            ("write", .object(StorageLevel.allCases.compactMap { l in write[l].map { (l.rawValue, .double($0)) } })),
            ("read", .object(StorageLevel.allCases.compactMap { l in read[l].map { (l.rawValue, .double($0)) } })),
        ])
    }

    /// "advance 1, reverse 2" plus any non-zero I/O prices.
    var summary: String {
        var parts = ["advance \(Format.decimal(advance, digits: 2))", "reverse \(Format.decimal(reverse, digits: 2))"]
        for level in StorageLevel.allCases {
            if let w = write[level], w != 0 { parts.append("\(level) write \(Format.decimal(w, digits: 2))") }
            if let r = read[level], r != 0 { parts.append("\(level) read \(Format.decimal(r, digits: 2))") }
        }
        return "cost model: " + parts.joined(separator: ", ")
    }
}

extension String {
    func trimmingQuotes() -> String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
