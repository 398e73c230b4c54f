import CheckpointSchedules

extension ScheduleTrace {
    /// The first field of the trace that no run can have written, named by its JSON path,
    /// or `nil` when every field is possible. Checked before the actions are played, so a
    /// hand-edited or damaged file is rejected with the field's name instead of being shown
    /// with a clamped value.
    ///
    /// ```swift
    /// var trace = recorded
    /// trace.stateBytes = -5
    /// trace.invalidField()   // "'stateBytes' is -5; a state's size is 0 bytes or more"
    /// ```
    ///
    /// Rules: `steps` ≥ 1; `stateBytes` and every capacity ≥ 0; each event's `start`,
    /// `duration`, `waitSeconds`, `backgroundSeconds` and `readAheadRequestSeconds` finite and
    /// ≥ 0, `waitSeconds` ≤ `duration`; `bytes` and `storedBytes` ≥ 0; the fields its kind
    /// needs present (`from`/`to` for an advance; `step` for a reverse; `step`, `level` and
    /// `slot` for a store, restore or discard) and ≥ 0, with `from` ≤ `to`.
    ///
    /// - Complexity: O(events).
    public func invalidField() -> String? {
        guard steps >= 1 else { return "'steps' is \(steps); a run reverses at least 1 step" }
        guard stateBytes >= 0 else { return "'stateBytes' is \(stateBytes); a state's size is 0 bytes or more" }
        for level in StorageLevel.allCases {
            if let capacity = capacities[level], capacity < 0 {
                return "'capacities.\(level.rawValue)' is \(capacity); a level has 0 slots or more"
            }
        }
        for (index, event) in events.enumerated() {
            if let problem = Self.invalidField(of: event) { return "'events[\(index)].\(problem)" }
        }
        return nil
    }

    /// The first impossible field of one event, as `name' is …` (the caller adds the path).
    static func invalidField(of event: TraceEvent) -> String? {
        let seconds: [(String, Double?)] = [
            ("start", event.start), ("duration", event.duration), ("waitSeconds", event.waitSeconds),
            ("backgroundSeconds", event.backgroundSeconds), ("readAheadRequestSeconds", event.readAheadRequestSeconds),
        ]
        for case let (name, value?) in seconds where !(value.isFinite && value >= 0) {
            return "\(name)' is \(value); times are finite and 0 seconds or more"
        }
        if let wait = event.waitSeconds, wait > event.duration * (1 + 1e-9) + 1e-12 {
            return "waitSeconds' is \(wait), more than the event's duration \(event.duration); the wait is part of the duration"
        }
        for case let (name, value?) in [("bytes", event.bytes), ("storedBytes", event.storedBytes)] as [(String, Int?)] where value < 0 {
            return "\(name)' is \(value); byte counts are 0 or more"
        }
        let needed: [(String, Int?)] = switch event.kind {
        case .advance: [("from", event.from), ("to", event.to)]
        case .reverse: [("step", event.step)]
        case .store, .restore, .discard: [("step", event.step), ("slot", event.slot), ("level", event.level.map { _ in 0 })]
        case .endForward, .endReverse: []
        }
        for (name, value) in needed {
            guard let value else { return "\(name)' is missing; a \(event.kind.rawValue) event has it" }
            guard value >= 0 else { return "\(name)' is \(value); steps and slots are 0 or more" }
        }
        if let from = event.from, let to = event.to, event.kind == .advance, from > to {
            return "from' is \(from), after 'to' (\(to)); an advance runs steps from ..< to"
        }
        return nil
    }
}
