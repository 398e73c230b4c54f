/// What a real checkpointed run did: every action it played, when it started, how long it
/// took and how many checkpoint bytes it moved. Written by the `CheckpointedAD` driver
/// (`CheckpointingOptions.recordsTrace`), read by the inspector, which therefore needs no
/// dependency on the driver.
///
/// The format is plain `Codable`; as JSON a trace reads
///
/// ```json
/// { "steps": 3, "stateBytes": 32768, "capacities": { "memory": 2 },
///   "events": [ { "kind": "store", "step": 0, "level": "memory", "slot": 0,
///                 "start": 0.000001, "duration": 0.0000004, "bytes": 32768 },
///               { "kind": "advance", "from": 0, "to": 2, "start": 0.0000015, … } ] }
/// ```
///
/// Times are in seconds from the start of the run (the start of the recording sweep).
/// `bytes` is what a `store` wrote or a `restore` read (the state's size), 0 otherwise.
/// The actions, replayed in order, form a valid stream for the ``ScheduleSimulator``.
public struct ScheduleTrace: Hashable, Sendable, Codable {
    /// n: the number of steps of the run.
    public var steps: Int
    /// The size of one state in bytes, as the driver measured it (0 if unknown).
    public var stateBytes: Int
    /// The slots the schedule could use at each level.
    public var capacities: [StorageLevel: Int]
    /// Every action played, in order.
    public var events: [TraceEvent]

    /// An empty trace of a run of `steps` steps.
    public init(steps: Int, stateBytes: Int, capacities: [StorageLevel: Int], events: [TraceEvent] = []) {
        self.steps = steps
        self.stateBytes = stateBytes
        self.capacities = capacities
        self.events = events
    }

    /// The actions alone, in order: feed them to a ``ScheduleSimulator`` to check or count.
    public var actions: [CheckpointAction] { events.map(\.action) }
}

/// One action of a ``ScheduleTrace`` with its timing, stored flat so that the JSON stays
/// readable: `kind` names the action, and only the fields that action has are present.
public struct TraceEvent: Hashable, Sendable, Codable {
    /// The kind of action.
    public enum Kind: String, Hashable, Sendable, Codable {
        case advance, store, restore, discard, reverse, endForward, endReverse
    }

    /// Which action this is.
    public var kind: Kind
    /// `advance`: the first step run.
    public var from: Int?
    /// `advance`: one past the last step run.
    public var to: Int?
    /// `store`, `restore`, `reverse`: the step.
    public var step: Int?
    /// `store`, `restore`: the storage level.
    public var level: StorageLevel?
    /// `store`, `restore`: the slot.
    public var slot: Int?
    /// `restore`: whether the slot was freed.
    public var release: Bool?
    /// Seconds from the start of the run to the start of the action.
    public var start: Double
    /// Seconds the action took.
    public var duration: Double
    /// Checkpoint bytes written (`store`) or read (`restore`); 0 for the other actions.
    public var bytes: Int

    /// The event for `action`, started `start` seconds into the run.
    public init(action: CheckpointAction, start: Double, duration: Double, bytes: Int) {
        self.start = start
        self.duration = duration
        self.bytes = bytes
        switch action {
        case let .advance(from, to):
            kind = .advance
            self.from = from
            self.to = to
        case let .store(step, level, slot):
            kind = .store
            self.step = step
            self.level = level
            self.slot = slot
        case let .restore(step, level, slot, release):
            kind = .restore
            self.step = step
            self.level = level
            self.slot = slot
            self.release = release
        case let .discard(step, level, slot):
            kind = .discard
            self.step = step
            self.level = level
            self.slot = slot
        case let .reverse(step):
            kind = .reverse
            self.step = step
        case .endForward:
            kind = .endForward
        case .endReverse:
            kind = .endReverse
        }
    }

    /// The action this event records. A field missing from a hand-edited file reads as 0
    /// (or `memory`, or `false`).
    public var action: CheckpointAction {
        switch kind {
        case .advance: .advance(from: from ?? 0, to: to ?? 0)
        case .store: .store(step: step ?? 0, level: level ?? .memory, slot: slot ?? 0)
        case .restore: .restore(step: step ?? 0, level: level ?? .memory, slot: slot ?? 0, release: release ?? false)
        case .discard: .discard(step: step ?? 0, level: level ?? .memory, slot: slot ?? 0)
        case .reverse: .reverse(step: step ?? 0)
        case .endForward: .endForward
        case .endReverse: .endReverse
        }
    }
}
