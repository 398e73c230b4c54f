import CheckpointSchedules

/// What one storage level's checkpoint I/O cost a recorded run, summed from the I/O facts
/// the driver adds to the store and restore events of a level whose store encodes or does
/// I/O (disk, compressed memory): the rows under `storage` in `rewind trace`.
///
/// A disk store writes behind and reads ahead on its own thread, so its I/O time
/// (``backgroundSeconds``) is not the sweep's: the sweep pays only ``waitSeconds`` (blocked
/// on that thread), the rest of its events' time (copying, encoding or reading on demand),
/// and ``readAheadRequestSeconds`` (waking the thread). ``overlapFraction`` is the share of
/// the background time hidden behind computation.
///
/// A ``TraceReport`` holds one per level (``TraceReport/storage``); ``summaries(of:)``
/// builds them from any events.
///
/// ```swift
/// for level in TraceStorageSummary.summaries(of: trace.events) {
///     print(level.level, level.compressionRatio ?? 1, level.waitSeconds, level.overlapFraction ?? 0)
/// }
/// ```
///
/// - Complexity: O(events) to build.
public struct TraceStorageSummary: Sendable, Equatable {
    /// The level.
    public var level: StorageLevel
    /// Store events.
    public var stores = 0
    /// Restore events.
    public var restores = 0
    /// Discard events (a store reads a checkpoint to drop it).
    public var discards = 0
    /// State bytes of the stores that were encoded (a write behind cancelled before it ran
    /// encodes nothing).
    public var rawBytesEncoded = 0
    /// Encoded bytes the stores wrote.
    public var storedBytes = 0
    /// Encoded bytes the restores and discards read (0 for those served by a write buffer).
    public var bytesRead = 0
    /// Seconds the sweep spent on the level: its events' durations plus the read-ahead
    /// requests for its restores.
    public var sweepSeconds = 0.0
    /// Of ``sweepSeconds``, the time blocked waiting for the store's I/O thread.
    public var waitSeconds = 0.0
    /// Seconds the store's I/O thread worked for these events.
    public var backgroundSeconds = 0.0
    /// Of ``sweepSeconds``, the time spent asking the store to read ahead.
    public var readAheadRequestSeconds = 0.0
    /// Restores (and discards) that took a read-ahead.
    public var restoresFromReadAhead = 0
    /// Restores (and discards) served by a write still in its buffer.
    public var restoresFromWriteBuffer = 0

    /// An empty summary of `level`.
    init(level: StorageLevel) { self.level = level }

    /// ``rawBytesEncoded`` over ``storedBytes``: 1 for the identity codec, more when
    /// compression pays; `nil` when nothing was encoded.
    public var compressionRatio: Double? {
        storedBytes == 0 ? nil : Double(rawBytesEncoded) / Double(storedBytes)
    }

    /// Background time the sweep did not wait for: I/O hidden behind computation.
    public var overlappedSeconds: Double { Swift.max(0, backgroundSeconds - waitSeconds) }

    /// ``overlappedSeconds`` over ``backgroundSeconds``, in 0…1; `nil` without background work.
    public var overlapFraction: Double? {
        backgroundSeconds > 0 ? overlappedSeconds / backgroundSeconds : nil
    }

    /// Adds one event at this level.
    mutating func add(_ event: TraceEvent) {
        switch event.kind {
        case .store:
            stores += 1
            if let stored = event.storedBytes {
                rawBytesEncoded += event.bytes
                storedBytes += stored
            }
        case .restore, .discard:
            if event.kind == .restore { restores += 1 } else { discards += 1 }
            bytesRead += event.storedBytes ?? 0
            if event.source == .readAhead { restoresFromReadAhead += 1 }
            if event.source == .writeBuffer { restoresFromWriteBuffer += 1 }
        case .advance, .reverse, .endForward, .endReverse:
            return
        }
        let requested = event.readAheadRequestSeconds ?? 0
        sweepSeconds += event.duration + requested
        readAheadRequestSeconds += requested
        waitSeconds += event.waitSeconds ?? 0
        backgroundSeconds += event.backgroundSeconds ?? 0
    }

    /// One summary per level whose events carry I/O facts, in `StorageLevel` order; empty
    /// for a trace without them (memory only, or written before they existed).
    public static func summaries(of events: [TraceEvent]) -> [TraceStorageSummary] {
        let levels = Set(events.filter(\.hasStorageFacts).compactMap(\.level))
        return StorageLevel.allCases.filter(levels.contains).map { level in
            var summary = TraceStorageSummary(level: level)
            for event in events where event.level == level { summary.add(event) }
            return summary
        }
    }
}

extension TraceStorageSummary {
    /// The summary as an ordered JSON object (an element of `storage` in `rewind trace --format json`).
    var json: JSONValue {
        .object([
            ("level", .string(level.rawValue)),
            ("stores", .int(stores)),
            ("restores", .int(restores)),
            ("discards", .int(discards)),
            ("rawBytesEncoded", .int(rawBytesEncoded)),
            ("storedBytes", .int(storedBytes)),
            ("bytesRead", .int(bytesRead)),
            ("compressionRatio", compressionRatio.map(JSONValue.double) ?? .null),
            ("sweepSeconds", .double(sweepSeconds)),
            ("waitSeconds", .double(waitSeconds)),
            ("readAheadRequestSeconds", .double(readAheadRequestSeconds)),
            ("backgroundSeconds", .double(backgroundSeconds)),
            ("overlappedSeconds", .double(overlappedSeconds)),
            ("overlapFraction", overlapFraction.map(JSONValue.double) ?? .null),
            ("restoresFromReadAhead", .int(restoresFromReadAhead)),
            ("restoresFromWriteBuffer", .int(restoresFromWriteBuffer)),
        ])
    }
}
