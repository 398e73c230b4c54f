/// The planner's answer: the chosen way to checkpoint, its prediction, and every
/// alternative it considered with its own prediction or the reason it was impossible.
///
/// Pure data, `Codable`, so that the CLI's `plan` prints it and a run's statistics keep it.
///
/// ```swift
/// let plan = try CheckpointPlanner.plan(problem)
/// print(plan.decision.summary)   // "two-level: 4 memory slots (identity) + 64 disk slots (zstd-3) …"
/// for action in try plan.decision.makeSchedule(steps: problem.steps) { … }
/// ```
public struct CheckpointPlan: Hashable, Sendable, Codable {
    /// Which schedule an option runs.
    public enum Strategy: String, Hashable, Sendable, Codable, CustomStringConvertible {
        /// Every state in memory (``StoreAll``): no recomputation.
        case storeAll
        /// Binomial checkpointing in memory (``Revolve``).
        case revolve
        /// The optimal schedule over memory and disk, with their costs (``TwoLevelRevolve``);
        /// with no disk slots, revolve that also minimises memory write/read (codec) time.
        case twoLevel
        /// The optimal schedule over plain memory, compressed memory and, when given, disk
        /// (``HRevolve``, Herrmann & Pallez 2020).
        case hRevolve

        /// `store-all`, `revolve`, `two-level` or `h-revolve`.
        public var description: String {
            switch self {
            case .storeAll: "store-all"
            case .revolve: "revolve"
            case .twoLevel: "two-level"
            case .hRevolve: "h-revolve"
            }
        }
    }

    /// How one storage level is used by an option.
    public struct LevelAssignment: Hashable, Sendable, Codable {
        /// The level.
        public var level: StorageLevel
        /// Checkpoint slots at this level.
        public var slots: Int
        /// The codec states are stored with.
        public var codec: CodecProfile
        /// Bytes one stored state occupies (after compression).
        public var bytesPerSlot: ByteCount
        /// Seconds to store one state here (compression and transfer).
        public var writeTime: Double
        /// Seconds to restore one state from here (transfer and decompression).
        public var readTime: Double

        /// The bytes all slots may occupy at once.
        public var bytes: ByteCount { ByteCount(slots * bytesPerSlot.bytes) }
    }

    /// One way to checkpoint and what it would cost.
    public struct Option: Hashable, Sendable, Codable {
        /// The schedule it runs.
        public var strategy: Strategy
        /// Memory slots and their codec.
        public var memory: LevelAssignment
        /// Disk slots and their codec, if the option uses the disk.
        public var disk: LevelAssignment?
        /// Compressed memory slots and their codec, if the option has that third level
        /// (``Strategy/hRevolve``); ``memory`` is then plain memory.
        public var compressedMemory: LevelAssignment? = nil
        /// The prices used for the prediction, in seconds.
        public var costModel: CostModel
        /// Predicted seconds for the whole reverse pass (recording sweep included), or nil
        /// when the option cannot run; then ``note`` says why.
        public var predictedTime: Double?
        /// The largest memory the option may occupy: its slots (at most n − 1 used) plus
        /// the reserved working states.
        public var predictedMemory: ByteCount
        /// The largest disk space it may occupy.
        public var predictedDisk: ByteCount
        /// Why the option is impossible, or how it was predicted.
        public var note: String
        /// The disk-checkpoint period when the two-level schedule runs in its periodic mode.
        public var period: Int?
        /// The work limit the prediction was made with; ``makeSchedule(steps:workLimit:)``
        /// uses it so that the schedule built is the one predicted.
        public var workLimit: Int = CheckpointPlanner.defaultWorkLimit

        /// Whether the option can run within the budgets.
        public var isFeasible: Bool { predictedTime != nil }

        /// A one-line description: strategy, slots and codecs, prediction.
        public var summary: String {
            let name = strategy == .twoLevel && disk == nil ? "codec-aware revolve" : strategy.description
            var text = "\(name): \(memory.slots) memory slot\(memory.slots == 1 ? "" : "s") (\(memory.codec.name))"
            if let compressed = compressedMemory {
                text += " + \(compressed.slots) compressed memory slot\(compressed.slots == 1 ? "" : "s") (\(compressed.codec.name))"
            }
            if let disk { text += " + \(disk.slots) disk slot\(disk.slots == 1 ? "" : "s") (\(disk.codec.name))" }
            if let predictedTime {
                text += ", predicted \(formatSeconds(predictedTime)), memory \(predictedMemory), disk \(predictedDisk)"
            } else {
                text += ": impossible, \(note)"
            }
            return text
        }

        /// Builds the schedule this option runs, for `steps` steps (the planned n), with the
        /// option's own ``workLimit`` unless another is given.
        /// - Throws: ``TwoLevelRevolveError`` or ``ScheduleError`` wrapped in
        ///   ``PlanningError/scheduleFailed(_:)`` (only for an infeasible option).
        public func makeSchedule(steps: Int, workLimit: Int? = nil) throws(PlanningError) -> PlannedSchedule {
            do {
                switch strategy {
                case .storeAll: return .storeAll(try StoreAll(steps: steps, level: .memory))
                case .revolve: return .revolve(try Revolve(steps: steps, slots: Swift.max(1, memory.slots), level: .memory))
                case .twoLevel:
                    let diskSlots = disk.map { $0.slots >= steps - 1 ? nil : $0.slots } ?? 0
                    return .twoLevel(try TwoLevelRevolve(
                        steps: steps, memorySlots: memory.slots, diskSlots: diskSlots, costModel: costModel, workLimit: workLimit ?? self.workLimit))
                case .hRevolve:
                    return .hRevolve(try HRevolve(
                        steps: steps, levels: hierarchy(steps: steps), costModel: costModel, workLimit: workLimit ?? self.workLimit))
                }
            } catch {
                throw .scheduleFailed(String(describing: error))
            }
        }
    }

    /// What was planned for.
    public var problem: PlanningProblem
    /// The feasible option with the least predicted time.
    public var decision: Option
    /// Every other option considered, feasible ones first by predicted time.
    public var alternatives: [Option]
}

/// Seconds in a short human form: `812 µs`, `3.20 ms`, `1.50 s`, `2.0 min`.
func formatSeconds(_ seconds: Double) -> String {
    func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = Double(nearestInteger(value * scale)) / scale
        let text = "\(rounded)"
        guard let dot = text.firstIndex(of: ".") else { return text }
        let decimals = text[text.index(after: dot)...]
        return digits == 0 ? String(text[..<dot]) : String(text[..<dot]) + "." + decimals + String(repeating: "0", count: Swift.max(0, digits - decimals.count))
    }
    if seconds < 1e-3 { return "\(fixed(seconds * 1e6, 0)) µs" }
    if seconds < 1 { return "\(fixed(seconds * 1e3, 2)) ms" }
    if seconds < 120 { return "\(fixed(seconds, 2)) s" }
    return "\(fixed(seconds / 60, 1)) min"
}
