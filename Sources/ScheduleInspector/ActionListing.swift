import CheckpointSchedules

/// Writes a schedule's action stream, one action per line, as text, JSON or CSV: what
/// `rewind schedule` prints.
///
/// The stream is generated lazily and written as it is generated, so listing revolve for
/// 10^9 steps needs O(s) memory. Every action is also played through the
/// `ScheduleSimulator` on the way, which gives each line its *time* (the number of step
/// executions, advances plus reverses, before it) and the closing summary.
///
/// ```swift
/// var out = ""
/// try ActionListing.write(Revolve(steps: 10, slots: 3), name: "revolve", slots: 3, format: .csv, to: &out)
/// // index,time,action,step,to,level,slot,release
/// // 0,0,store,0,,memory,0,
/// // 1,0,advance,0,4,,,
/// ```
///
/// Fields: `step` is the action's step (an advance's first step), `to` an advance's end,
/// `level` and `slot` a store's, restore's or discard's place, `release` whether a restore
/// frees it.
///
/// - Complexity: O(actions) time, O(s) memory.
public enum ActionListing {
    /// The CSV header, also the JSON field names (package access: the CLI's help lists them).
    package static let fields = ["index", "time", "action", "step", "to", "level", "slot", "release"]

    /// Writes `schedule`'s actions in `format`, ending with a newline.
    /// - Parameters:
    ///   - schedule: the schedule to list, iterated once; each action is played through the
    ///     simulator as it is written, and an action that breaks a rule (or a stream that
    ///     ends incomplete) is a programmer error and traps with the simulator's message.
    ///   - name: the schedule's name for the header.
    ///   - slots: the slot budget for the header and t(n, s).
    ///   - format: text (a header line, aligned index and time columns, then a summary
    ///     line), CSV (the `index,time,action,step,to,level,slot,release` header, then one
    ///     row per action) or JSON (one object: name, steps and slots, the `actions` array,
    ///     then the advance and reverse counts).
    ///   - output: the stream the listing is appended to, action by action as the schedule
    ///     generates them; nothing is buffered.
    ///   - discoveryAdvances: untaped steps the run performs outside the stream (an online
    ///     schedule's end-discovering step), mentioned in the text summary.
    /// - Throws: ``InspectorError/schedule(_:)`` if t(n, s) overflows; the failure of a
    ///   ``CheckedTextOutputStream`` output, within 4,096 actions of the failed write.
    public static func write(
        _ schedule: some CheckpointSchedule, name: String, slots: Int, format: OutputFormat, to output: inout some TextOutputStream,
        discoveryAdvances: Int = 0
    ) throws(InspectorError) {
        let n = schedule.steps
        let optimal: Int
        do { optimal = try BinomialCheckpointing.minimalAdvances(steps: n, slots: slots) } catch { throw .schedule(error) }
        let capacities = Dictionary(uniqueKeysWithValues: StorageLevel.allCases.map { ($0, schedule.capacity(of: $0)) })
        var simulator = ScheduleSimulator(steps: n, capacities: capacities)
        // Column widths from an upper bound on the time: revolve's t(n, s), others < 2n.
        let timeBound = Double(Swift.max(optimal, 2 * n)) + Double(n)
        let timeWidth = Swift.max(4, Format.digits(Int(Swift.min(timeBound, 9e18))))
        let indexWidth = Swift.max(5, Format.digits(Int(Swift.min(3 * timeBound + 2, 9e18))))

        switch format {
        case .text:
            output.write("\(name): \(n) steps, \(slots) slots (x0 included)\n")
            output.write(pad("index", indexWidth) + "  " + pad("time", timeWidth) + "  action\n")
        case .csv:
            output.write(fields.joined(separator: ",") + "\n")
        case .json:
            output.write("{\n  \"schedule\": \(JSONValue.quoted(name)),\n  \"steps\": \(n),\n  \"slots\": \(slots),\n  \"actions\": [")
        }
        var index = 0
        for action in schedule {
            let time = simulator.statistics.advances + simulator.statistics.reverses
            do { try simulator.play(action) } catch {
                preconditionFailure("the \(name) schedule for \(n) steps broke a rule: \(error)")
            }
            let values = Self.values(of: action)
            switch format {
            case .text:
                output.write(pad(String(index), indexWidth) + "  " + pad(String(time), timeWidth) + "  \(action)\n")
            case .csv:
                output.write("\(index),\(time)," + values.map { $0 ?? "" }.joined(separator: ",") + "\n")
            case .json:
                var line = (index == 0 ? "\n    " : ",\n    ") + "{\"index\":\(index),\"time\":\(time)"
                for (field, value) in zip(fields.dropFirst(2), values) {
                    guard let value else { continue }
                    let literal = field == "action" || field == "level" ? JSONValue.quoted(value) : value
                    line += ",\"\(field)\":\(literal)"
                }
                output.write(line + "}")
            }
            index += 1
            // A checked stream that lost a write (full disk, closed pipe) ends the listing.
            if index & 4095 == 0, let failure = (output as? any CheckedTextOutputStream)?.failure { throw failure }
        }
        do { try simulator.finish() } catch { preconditionFailure("the \(name) schedule for \(n) steps is incomplete: \(error)") }
        let s = simulator.statistics
        switch format {
        case .text:
            output.write("\(s.advances) advances (t(\(n), \(slots)) = \(optimal)), \(s.reverses) reverses, "
                + "\(s.totalStores) stores, \(s.totalRestores) restores, peak \(s.totalPeakSlots) slots"
                + (discoveryAdvances > 0 ? "; the run also advances \(discoveryAdvances) step to find its end, not in the stream" : "") + "\n")
        case .csv:
            break
        case .json:
            output.write("\n  ],\n  \"advances\": \(s.advances),\n  \"optimalAdvances\": \(optimal),\n  \"reverses\": \(s.reverses)\n}\n")
        }
    }

    /// The fields `action`, `step`, `to`, `level`, `slot`, `release` of one action; nil
    /// where a field does not apply.
    static func values(of action: CheckpointAction) -> [String?] {
        switch action {
        case let .advance(from, to): ["advance", String(from), String(to), nil, nil, nil]
        case let .store(step, level, slot): ["store", String(step), nil, level.rawValue, String(slot), nil]
        case let .restore(step, level, slot, release): ["restore", String(step), nil, level.rawValue, String(slot), String(release)]
        case let .discard(step, level, slot): ["discard", String(step), nil, level.rawValue, String(slot), nil]
        case let .reverse(step): ["reverse", String(step), nil, nil, nil, nil]
        case .endForward: ["endForward", nil, nil, nil, nil, nil]
        case .endReverse: ["endReverse", nil, nil, nil, nil, nil]
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - text.count)) + text
    }
}
