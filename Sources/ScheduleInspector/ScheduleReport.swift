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
///   O(r·s) for typical budgets); other schedules O(actions) (one simulation pass), O(1)
///   memory beyond the slots.
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
    ///   - maxActions: the most actions to simulate; revolve, counted in closed form,
    ///     needs none, any other schedule has at least n + 2 actions.
    /// - Throws: ``InspectorError/tooMuchWork(what:estimate:unit:limit:option:)`` past `maxActions`.
    public init(_ request: ScheduleRequest, stateBytes: Int? = nil, maxActions: Int = .max) throws(InspectorError) {
        let schedule = try request.makeSchedule()
        if let revolve = schedule as? Revolve {
            // Closed form: no simulation, so any n answers at once.
            let counted: ScheduleStatistics?
            do { counted = try revolve.statistics(costModel: request.costModel) } catch { throw .schedule(error) }
            if let counted {
                try self.init(statistics: counted, name: request.name, steps: revolve.steps, slots: revolve.slots, period: nil,
                              costModel: request.costModel, stateBytes: stateBytes, discoveryAdvances: 0)
                return
            }
        }
        if let twoLevel = schedule as? TwoLevelRevolve, let counted = twoLevel.statistics(costModel: request.costModel) {
            // The table's cells counted once each: no simulation.
            try self.init(statistics: counted, name: request.name, steps: twoLevel.steps, slots: request.budget(of: schedule),
                          period: twoLevel.period, costModel: request.costModel, stateBytes: stateBytes, discoveryAdvances: 0)
            method = twoLevel.method.description
            return
        }
        try ScheduleRequest.checkWork(steps: request.steps, maxActions: maxActions)
        try self.init(schedule: schedule, name: request.name, slots: request.budget(of: schedule), costModel: request.costModel,
                      stateBytes: stateBytes, discoveryAdvances: request.discoveryAdvances)
    }

    /// Simulates any offline schedule under a budget of `slots` slots.
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
    /// - Throws: ``InspectorError/schedule(_:)`` if t(n, s) overflows; a schedule that breaks
    ///   a rule is a programmer error and traps with the simulator's message.
    public init(
        schedule: some CheckpointSchedule, name: String, slots: Int, costModel: CostModel = CostModel(), stateBytes: Int? = nil,
        discoveryAdvances: Int = 0
    ) throws(InspectorError) {
        // t(n, s) first: when it overflows, nothing is simulated.
        do { _ = try BinomialCheckpointing.minimalAdvances(steps: schedule.steps, slots: slots) } catch { throw .schedule(error) }
        let statistics: ScheduleStatistics
        do { statistics = try ScheduleSimulator.run(schedule, costModel: costModel) } catch {
            preconditionFailure("the \(name) schedule for \(schedule.steps) steps broke a rule: \(error)")
        }
        try self.init(statistics: statistics, name: name, steps: schedule.steps, slots: slots,
                      period: (schedule as? Periodic)?.period ?? (schedule as? TwoLevelRevolve)?.period,
                      costModel: costModel, stateBytes: stateBytes, discoveryAdvances: discoveryAdvances)
        method = (schedule as? TwoLevelRevolve)?.method.description
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
