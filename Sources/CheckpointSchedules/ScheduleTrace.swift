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
/// `bytes` is the state's size for a `store` or `restore`, 0 otherwise.
/// The actions, replayed in order, form a valid stream for the ``ScheduleSimulator``.
///
/// **Storage I/O.** At a level whose store encodes or does I/O (disk, compressed memory),
/// the driver adds what the store reports for each call, once the reverse sweep is over
/// (a write behind finishes after its `store` returned):
///
/// ```json
/// { "kind": "store", "level": "disk", "step": 40, "slot": 3, "start": 0.0121, "duration": 0.0000031,
///   "bytes": 32768, "storedBytes": 21430, "waitSeconds": 0, "backgroundSeconds": 0.000061 }
/// { "kind": "restore", "level": "disk", "step": 40, "slot": 3, "release": true, "start": 0.0533,
///   "duration": 0.0000052, "bytes": 32768, "storedBytes": 21430, "waitSeconds": 0.0000012,
///   "backgroundSeconds": 0.000048, "source": "readAhead", "readAheadRequestSeconds": 0.0000043 }
/// ```
///
/// `duration` is what the sweep spent in the action, of which `waitSeconds` blocked on the
/// store's I/O thread; `backgroundSeconds` is that thread's work for the action (hidden
/// behind computation except for the wait). `storedBytes` is the encoded size: `bytes` over
/// `storedBytes` is the compression ratio. Traces written before these fields existed, and
/// events at the built-in memory level, have none of them.
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

    /// Where a restore found its state.
    public enum RestoreSource: String, Hashable, Sendable, Codable {
        /// In a write-behind buffer whose write had not finished: nothing was read.
        case writeBuffer
        /// In a read-ahead the driver asked for earlier.
        case readAhead
        /// Read (and decoded) on the sweep's own thread when the restore came.
        case onDemand
    }

    /// Which action this is.
    public var kind: Kind
    /// `advance`: the first step run.
    public var from: Int?
    /// `advance`: one past the last step run.
    public var to: Int?
    /// `store`, `restore`, `discard`, `reverse`: the step.
    public var step: Int?
    /// `store`, `restore`, `discard`: the storage level.
    public var level: StorageLevel?
    /// `store`, `restore`, `discard`: the slot.
    public var slot: Int?
    /// `restore`: whether the slot was freed.
    public var release: Bool?
    /// Seconds from the start of the run to the start of the action.
    public var start: Double
    /// Seconds the action took.
    public var duration: Double
    /// The state's size in bytes for a `store` or `restore`, before any encoding (at a level
    /// with I/O facts, the size of the flat bytes its store encodes); 0 for the other actions.
    public var bytes: Int
    /// `store`, `restore`, `discard` at a level whose store encodes or does I/O: the encoded
    /// bytes written or read for the checkpoint (file headers excluded; 0 for a restore
    /// from a write buffer). Absent for a write behind cancelled before it ran.
    public var storedBytes: Int?
    /// Of ``duration``, the seconds the sweep was blocked waiting for the store's I/O thread
    /// (a full write queue, a read-ahead still running).
    public var waitSeconds: Double?
    /// Seconds the store's I/O thread worked for this action (its write behind, or the
    /// read-ahead a restore took), in parallel with the sweep except for ``waitSeconds``.
    public var backgroundSeconds: Double?
    /// `restore`, `discard`: where the store found the state.
    public var source: RestoreSource?
    /// `restore`: seconds the sweep spent asking the store to read this checkpoint ahead
    /// (waking its I/O thread), at the previous restore or at `endForward`. Not part of any
    /// event's ``duration``: it falls between that action's end and the next one's start.
    public var readAheadRequestSeconds: Double?
    /// On a run with two threads: the thread that played the action, 0 for the caller's
    /// (the recording sweep and every reverse) and 1 for the recomputing thread; absent on
    /// one thread. Events stay in stream order, which interleaves the threads' actions.
    public var thread: Int?

    /// The event for `action`, started `start` seconds into the run, without storage I/O facts.
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

    /// Whether the event carries its store's I/O facts (``storedBytes``, ``waitSeconds``,
    /// ``backgroundSeconds``, ``source``): a store or restore at a level whose store encodes
    /// or does I/O, recorded by a driver that knows them.
    public var hasStorageFacts: Bool {
        storedBytes != nil || waitSeconds != nil || backgroundSeconds != nil || source != nil
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
