import CheckpointSchedules
import Foundation

/// Where the time of a real checkpointed run went, read from the `ScheduleTrace` the
/// `CheckpointedAD` driver records (`CheckpointingOptions.recordsTrace`): what
/// `rewind trace FILE` prints.
///
/// Phases: the recording sweep (advances before `endForward`), recomputation (advances
/// after it), reverses (taped step + pullback), storage per level (stores and restores,
/// with the state bytes moved), `read-ahead requests` (the sweep asking a store to read
/// the next restore ahead, which wakes its I/O thread), and `other`, the time charged to
/// `endForward` and `endReverse` (progress reports). *Overlap / gaps* is the part of the
/// wall time not covered by these: the driver's bookkeeping between actions.
///
/// **Storage I/O.** When the events of a level carry their store's I/O facts (a disk or
/// compressed level, recorded by a driver that adds them), ``storage`` summarises them per
/// level: encoded bytes and compression ratio, the I/O thread's background seconds, the
/// seconds the sweep waited for it, the share of background time hidden behind
/// computation, and how many restores a read-ahead or a write buffer served.
///
/// ```swift
/// let trace = try JSONDecoder().decode(ScheduleTrace.self, from: data)
/// print(try TraceReport(trace).rendered(as: .text))
/// ```
///
/// The actions are replayed through the `ScheduleSimulator` first, so a corrupt or
/// hand-edited trace is rejected with the rule it breaks.
///
/// - Complexity: O(events).
public struct TraceReport: Sendable {
    /// One phase's share of the run.
    public struct Phase: Sendable, Equatable {
        /// `recording`, `recomputation`, `reverse`, `store memory`, …
        public var name: String
        /// Seconds spent in it.
        public var seconds: Double
        /// Actions in it.
        public var actions: Int
        /// Step executions (advances, reverses) or checkpoints moved (stores, restores).
        public var count: Int
        /// Checkpoint bytes moved (stores and restores only).
        public var bytes: Int
    }

    /// The trace read.
    public var trace: ScheduleTrace
    /// The simulator's count of the trace's actions.
    public var statistics: ScheduleStatistics
    /// The phases, in the order above; empty ones left out.
    public var phases: [Phase]
    /// From the first event's start to the last event's end.
    public var wallSeconds: Double
    /// I/O per level whose events carry their store's facts, fastest level first.
    public var storage: [TraceStorageSummary]

    /// Analyses a trace, after checking it field by field (`ScheduleTrace.invalidField()`).
    /// - Throws: ``InspectorError/invalidTrace(reason:)`` naming the first impossible field,
    ///   or the first action that breaks a rule.
    public init(_ trace: ScheduleTrace) throws(InspectorError) {
        if let field = trace.invalidField() { throw .invalidTrace(reason: field) }
        do { statistics = try ScheduleSimulator.run(trace.actions, steps: trace.steps, capacities: trace.capacities) } catch {
            throw .invalidTrace(reason: error.description)
        }
        self.trace = trace
        var phases: [String: Phase] = [:]
        var order: [String] = []
        var forwardEnded = false
        for event in trace.events {
            let name: String
            var count = 0
            switch event.action {
            case let .advance(from, to):
                name = forwardEnded ? "recomputation" : "recording"
                count = to - from
            case .reverse:
                name = "reverse"
                count = 1
            case let .store(_, level, _): name = "store \(level)"; count = 1
            case let .restore(_, level, _, _): name = "restore \(level)"; count = 1
            case let .discard(_, level, _): name = "discard \(level)"; count = 1
            case .endForward:
                forwardEnded = true
                name = "other"
            case .endReverse:
                name = "other"
            }
            if phases[name] == nil {
                phases[name] = Phase(name: name, seconds: 0, actions: 0, count: 0, bytes: 0)
                order.append(name)
            }
            phases[name]!.seconds += event.duration
            phases[name]!.actions += 1
            phases[name]!.count += count
            phases[name]!.bytes += event.bytes
            if let requested = event.readAheadRequestSeconds {
                let name = "read-ahead requests"
                if phases[name] == nil {
                    phases[name] = Phase(name: name, seconds: 0, actions: 0, count: 0, bytes: 0)
                    order.append(name)
                }
                phases[name]!.seconds += requested
                phases[name]!.actions += 1
                phases[name]!.count += 1
            }
        }
        // Step work first, then storage per level, then the rest.
        func rank(_ name: String) -> Int { ["recording", "recomputation", "reverse"].firstIndex(of: name) ?? (name == "other" ? 4 : 3) }
        self.phases = order.map { phases[$0]! }.sorted { a, b in (rank(a.name), a.name) < (rank(b.name), b.name) }
        let start = trace.events.map(\.start).min() ?? 0
        let end = trace.events.map { $0.start + $0.duration }.max() ?? 0
        wallSeconds = end - start
        storage = TraceStorageSummary.summaries(of: trace.events)
    }

    /// Reads a trace JSON file.
    /// - Throws: ``InspectorError/cannotRead(path:reason:)`` or ``InspectorError/invalidTrace(reason:)``.
    public init(contentsOf path: String) throws(InspectorError) {
        let data = Data(try InputFile.read(path: path))
        guard !data.isEmpty else { throw .invalidTrace(reason: "\(path) is empty") }
        let trace: ScheduleTrace
        do { trace = try JSONDecoder().decode(ScheduleTrace.self, from: data) } catch {
            throw .invalidTrace(reason: "\(path) is not a trace JSON file (\(Self.describe(error)))")
        }
        try self.init(trace)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): "missing key '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            context.codingPath.isEmpty ? "the top level is not a JSON object"
                : "wrong type or null at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case let DecodingError.dataCorrupted(context):
            context.codingPath.isEmpty ? "not valid JSON"
                : "invalid value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: "\(error)"
        }
    }

    /// Seconds summed over all events.
    public var eventSeconds: Double { phases.reduce(0) { $0 + $1.seconds } }
    /// Wall time not covered by events (negative: concurrent work).
    public var overlapSeconds: Double { wallSeconds - eventSeconds }
    /// State bytes stored (before any encoding), over all levels.
    public var bytesWritten: Int { phases.filter { $0.name.hasPrefix("store") }.reduce(0) { $0 + $1.bytes } }
    /// State bytes restored, over all levels.
    public var bytesRead: Int { phases.filter { $0.name.hasPrefix("restore") }.reduce(0) { $0 + $1.bytes } }
    /// State bytes over the encoded bytes the stores wrote, over the levels that report
    /// them (``storage``); nil when none does.
    public var compressionRatio: Double? {
        let stored = storage.reduce(0) { $0 + $1.storedBytes }
        return stored == 0 ? nil : Double(storage.reduce(0) { $0 + $1.rawBytesEncoded }) / Double(stored)
    }

    /// The optimum t(n, s) for the slots the run had, s summed over levels.
    public var optimalAdvances: Int? {
        try? BinomialCheckpointing.minimalAdvances(steps: trace.steps, slots: Swift.max(1, trace.capacities.values.reduce(0, +)))
    }

    /// The report as text: a header, the phase table, totals.
    var text: String {
        let s = statistics
        let slots = StorageLevel.allCases.compactMap { l in trace.capacities[l].map { "\($0) \(l)" } }.joined(separator: " + ")
        var lines = ["trace: \(trace.steps) steps, \(slots.isEmpty ? "no" : slots) slots, state \(Format.bytes(trace.stateBytes)), \(trace.events.count) actions"]
        var table = TextTable(columns: [.init("phase"), .init("seconds", alignment: .right), .init("share", alignment: .right),
                                        .init("actions", alignment: .right), .init("steps/states", alignment: .right), .init("bytes", alignment: .right)])
        let total = Swift.max(wallSeconds, 1e-300)
        for p in phases {
            table.append([p.name, Format.seconds(p.seconds), Format.decimal(100 * p.seconds / total, digits: 1) + "%", String(p.actions), String(p.count),
                          p.bytes > 0 ? Format.bytes(p.bytes) : ""])
        }
        table.append(["overlap / gaps", Format.seconds(overlapSeconds), Format.decimal(100 * overlapSeconds / total, digits: 1) + "%", "", "", ""])
        table.append(["wall", Format.seconds(wallSeconds), "100%", String(trace.events.count), "", ""])
        lines.append(table.rendered())
        lines.append("advances \(s.advances) (recording \(s.recordingAdvances), recomputation \(s.recomputationAdvances))"
            + (optimalAdvances.map { ", t(n, s) = \($0)" } ?? "") + ", reverses \(s.reverses)")
        lines.append("state bytes stored \(Format.bytes(bytesWritten)), restored \(Format.bytes(bytesRead))"
            + (compressionRatio.map { "; encoded by the stores at a compression ratio of \(Format.decimal($0, digits: 2))" } ?? ""))
        if !storage.isEmpty { lines.append(storageTable) }
        return lines.joined(separator: "\n")
    }

    /// The per-level I/O table of ``text``.
    var storageTable: String {
        var table = TextTable(columns: [
            .init("storage"), .init("stores", alignment: .right), .init("restores", alignment: .right),
            .init("encoded", alignment: .right), .init("ratio", alignment: .right), .init("sweep", alignment: .right),
            .init("waited", alignment: .right), .init("requests", alignment: .right), .init("background", alignment: .right),
            .init("overlap", alignment: .right), .init("read ahead", alignment: .right), .init("write buffer", alignment: .right),
        ])
        for level in storage {
            let reads = level.restores + level.discards
            table.append([
                "\(level.level)", String(level.stores), String(reads), Format.bytes(level.storedBytes),
                level.compressionRatio.map { Format.decimal($0, digits: 2) } ?? "", Format.seconds(level.sweepSeconds),
                Format.seconds(level.waitSeconds), Format.seconds(level.readAheadRequestSeconds), Format.seconds(level.backgroundSeconds),
                level.overlapFraction.map { Format.decimal(100 * $0, digits: 1) + "%" } ?? "",
                "\(level.restoresFromReadAhead)/\(reads)", "\(level.restoresFromWriteBuffer)/\(reads)",
            ])
        }
        return table.rendered()
    }

    /// The report as an ordered JSON object.
    var json: JSONValue {
        let s = statistics
        return .object([
            ("steps", .int(trace.steps)),
            ("stateBytes", .int(trace.stateBytes)),
            ("capacities", .object(StorageLevel.allCases.compactMap { l in trace.capacities[l].map { (l.rawValue, .int($0)) } })),
            ("actions", .int(trace.events.count)),
            ("advances", .int(s.advances)),
            ("recordingAdvances", .int(s.recordingAdvances)),
            ("recomputationAdvances", .int(s.recomputationAdvances)),
            ("optimalAdvances", optimalAdvances.map(JSONValue.int) ?? .null),
            ("reverses", .int(s.reverses)),
            ("phases", .array(phases.map { p in
                .object([("name", .string(p.name)), ("seconds", .double(p.seconds)), ("actions", .int(p.actions)),
                         ("count", .int(p.count)), ("bytes", .int(p.bytes))])
            })),
            ("wallSeconds", .double(wallSeconds)),
            ("overlapSeconds", .double(overlapSeconds)),
            ("bytesWritten", .int(bytesWritten)),
            ("bytesRead", .int(bytesRead)),
            ("compressionRatio", compressionRatio.map(JSONValue.double) ?? .null),
            ("storage", .array(storage.map(\.json))),
        ])
    }

    /// One CSV row per phase: `phase,seconds,actions,count,bytes`.
    var csv: String {
        var table = TextTable(columns: ["phase", "seconds", "actions", "count", "bytes"].map { .init($0) })
        for p in phases { table.append([p.name, "\(p.seconds)", String(p.actions), String(p.count), String(p.bytes)]) }
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
