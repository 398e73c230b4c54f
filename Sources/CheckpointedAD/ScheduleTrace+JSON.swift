import CheckpointSchedules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ScheduleTrace {
    /// The trace as JSON (see `ScheduleTrace` in `CheckpointSchedules` for the format), keys
    /// sorted so that equal traces give equal files.
    ///
    /// ```swift
    /// var options = CheckpointingOptions()
    /// options.recordsTrace = true
    /// let g = try valueWithCheckpointedGradient(at: x0, parameters: p, steps: n, checkpointing: .revolve(memory: .slots(10)),
    ///                                           options: options, step: f, loss: l)
    /// try g.trace!.writeJSON(to: URL(filePath: "run.trace.json"))   // rewind trace run.trace.json
    /// ```
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes ``jsonData()`` to `url`, replacing any file there.
    public func writeJSON(to url: URL) throws {
        try jsonData().write(to: url, options: .atomic)
    }

    /// A trace read back from ``jsonData()``.
    public init(jsonData data: Data) throws {
        self = try JSONDecoder().decode(ScheduleTrace.self, from: data)
    }
}
