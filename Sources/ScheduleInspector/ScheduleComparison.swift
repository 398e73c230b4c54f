import CheckpointSchedules

/// Several schedules side by side for the same n and slot budget: what `rewind compare`
/// prints. Shows what memory buys: store-all's speed needs n − 1 slots, revolve attains
/// the fewest advances t(n, s) any schedule can with s slots, periodic sits between.
///
/// A schedule that cannot fit the budget is still listed, with the slots it needs and
/// `fits: no`, so the table answers "how much memory would the faster one need?".
///
/// ```swift
/// let comparison = try ScheduleComparison(steps: 1000, slots: 10)
/// print(comparison.rendered(as: .text))
/// ```
///
/// - Complexity: one simulation per schedule, O(actions) each.
public struct ScheduleComparison: Sendable {
    /// One schedule's row.
    public struct Row: Sendable {
        /// Its statistics under the common budget.
        public var report: ScheduleReport
        /// Whether its slots fit the budget.
        public var fits: Bool
    }

    /// n.
    public var steps: Int
    /// s: the common slot budget, x0 included.
    public var slots: Int
    /// The two-level schedule's disk slots, if it is compared.
    public var diskSlots: Int?
    /// One row per schedule, in the order requested.
    public var rows: [Row]

    /// The schedules compared when none are named: with disk slots the two-level schedule
    /// joins revolve, the online schedules, periodic and store-all. H-Revolve, which needs
    /// a compressed level's slots and costs, is compared only when named.
    static func defaultKinds(disk: Bool) -> [ScheduleKind] {
        ScheduleKind.allCases.filter { (disk || $0 != .twoLevel) && $0 != .hRevolve }
    }

    /// Simulates each schedule of `kinds` for `steps` steps under `slots` slots; the
    /// two-level schedule gets `slots` memory slots and `diskSlots` disk slots as well.
    /// With `kinds` nil, every ``ScheduleKind`` is compared, two-level only when
    /// `diskSlots` is given.
    /// Revolve and two-level are counted without playing; every other schedule is
    /// simulated, and all are refused before any work when their (n + 2) actions each,
    /// summed, exceed `maxActions`; `progress`
    /// hears each simulation's name and fraction of steps reversed every 2^16 actions.
    /// - Throws: ``InspectorError`` for non-positive numbers or too much work.
    public init(
        steps: Int, slots: Int, diskSlots: Int? = nil, kinds: [ScheduleKind]? = nil,
        costModel: CostModel = CostModel(), stateBytes: Int? = nil, maxActions: Int = .max,
        progress: ((_ schedule: String, _ fraction: Double) -> Void)? = nil
    ) throws(InspectorError) {
        let kinds = kinds ?? Self.defaultKinds(disk: diskSlots != nil)
        guard steps >= 1 else { throw .schedule(.invalidStepCount(steps)) }
        guard slots >= 1 else { throw .schedule(.invalidSlotCount(slots)) }
        let simulated = kinds.filter { $0 != .revolve && $0 != .twoLevel }.count
        if simulated > 0 { try ScheduleRequest.checkWork(steps: steps, schedules: simulated, maxActions: maxActions) }
        self.steps = steps
        self.slots = slots
        self.diskSlots = diskSlots
        var rows: [Row] = []
        for kind in kinds {
            let request = ScheduleRequest(kind: kind, steps: steps, slots: slots, diskSlots: diskSlots, costModel: costModel)
            if kind == .revolve {
                rows.append(Row(report: try ScheduleReport(request, stateBytes: stateBytes, maxActions: maxActions), fits: true))
                continue
            }
            do {
                let schedule = try request.makeSchedule()
                rows.append(Row(report: try ScheduleReport(schedule: schedule, name: request.name, slots: slots, costModel: costModel,
                                                           stateBytes: stateBytes, discoveryAdvances: request.discoveryAdvances,
                                                           progress: progress.map { report in { report(request.name, $0) } }), fits: true))
            } catch .doesNotFit {
                // List it anyway, with the smallest footprint it can have.
                let schedule = try Self.unconstrained(kind, steps: steps)
                rows.append(Row(report: try ScheduleReport(schedule: schedule, name: request.name, slots: slots, costModel: costModel, stateBytes: stateBytes,
                                                           progress: progress.map { report in { report(request.name, $0) } }), fits: false))
            }
        }
        self.rows = rows
    }

    /// The schedule of `kind` with the fewest slots it can use for n steps.
    static func unconstrained(_ kind: ScheduleKind, steps n: Int) throws(InspectorError) -> any CheckpointSchedule {
        switch kind {
        case .storeAll: return try ScheduleRequest(kind: .storeAll, steps: n).makeSchedule()
        case .periodic: return try ScheduleRequest(kind: .periodic, steps: n, slots: ScheduleRequest.periodicMinimumSlots(steps: n)).makeSchedule()
        default: return try ScheduleRequest(kind: kind, steps: n, slots: 1).makeSchedule()
        }
    }

    /// Levels any row stores at, fastest first.
    var levels: [StorageLevel] {
        let used = Set(rows.flatMap(\.report.usedLevels))
        return StorageLevel.allCases.filter { used.contains($0) }
    }

    var hasBytes: Bool { rows.contains { $0.report.stateBytes != nil } }

    /// Column headers of the text and CSV forms.
    var headers: [String] {
        var headers = ["schedule", "fits", "period", "advances", "ratio", "recomputation"]
        for level in levels { headers += ["stores \(level)", "restores \(level)"] }
        headers.append("peak slots")
        if hasBytes { headers.append("peak bytes") }
        headers.append("predicted time")
        return headers
    }

    func cells(_ row: Row, bytes: (Int) -> String) -> [String] {
        let r = row.report
        let s = r.statistics
        var cells = [r.schedule, row.fits ? "yes" : "no", r.period.map(String.init) ?? "", String(s.advances),
                     Format.decimal(s.recomputationRatio, digits: 3), String(s.recomputationAdvances)]
        for level in levels { cells += [String(s.stores[level] ?? 0), String(s.restores[level] ?? 0)] }
        cells.append(String(s.totalPeakSlots))
        if hasBytes { cells.append(r.stateBytes.map { bytes($0 * s.totalPeakSlots) } ?? "") }
        cells.append(Format.decimal(s.predictedTime, digits: 1))
        return cells
    }

    /// The comparison as an aligned table with a one-line title and a footnote.
    var text: String {
        var table = TextTable(columns: headers.map { .init($0, alignment: ["schedule", "fits"].contains($0) ? .left : .right) })
        for row in rows { table.append(cells(row, bytes: Format.bytes)) }
        let disk = diskSlots.map { " + \($0) disk slots for two-level" } ?? ""
        var lines = ["\(steps) steps, budget \(slots) slots (x0 included)\(disk); optimal advances t(\(steps), \(slots)) = "
            + (rows.first.map { String($0.report.optimalAdvances) } ?? "?"), table.rendered()]
        if rows.contains(where: { !$0.fits }) {
            lines.append("fits = no: the schedule needs more than \(slots) slots even at its smallest; its peak slots column says how many")
        }
        if let model = rows.first?.report.costModel { lines.append("predicted time in units of the " + model.summary) }
        return lines.joined(separator: "\n")
    }

    /// `{"steps", "slots", "schedules": [stats report + "fits"]}`.
    var json: JSONValue {
        .object([
            ("steps", .int(steps)),
            ("slots", .int(slots)),
            ("schedules", .array(rows.map { row in
                guard case var .object(members) = row.report.json else { return row.report.json }
                members.insert(("fits", .bool(row.fits)), at: 1)
                return .object(members)
            })),
        ])
    }

    /// One CSV row per schedule; peak bytes as plain byte counts.
    var csv: String {
        var table = TextTable(columns: headers.map { .init($0) })
        for row in rows { table.append(cells(row, bytes: { String($0) })) }
        return table.csv()
    }

    /// The comparison in the requested format (no trailing newline).
    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .text: text
        case .json: json.rendered()
        case .csv: csv
        }
    }
}
