/// Stumm & Walther's multistage heuristic: revolve with all memory and disk slots, the
/// least used slots on disk (Stumm & Walther 2009, "MultiStage approaches for optimal
/// offline checkpointing", SIAM J. Sci. Comput. 31(3), 1946–1967,
/// doi:10.1137/080718036).
///
/// Revolve with s = s_m + s_d slots uses its slots as a stack: the checkpoint of a segment
/// nested k deep lives in slot k. Some slots are written and read far more often than
/// others. The multistage approach plays the revolve schedule once, counts each slot's
/// writes plus reads, keeps the s_m busiest slots in memory and puts the others on disk.
/// The advances are revolve's t(n, s) — optimal for s slots — but the disk traffic is not
/// optimised: ``TwoLevelRevolve`` (Aupy et al. 2016) is never slower and often faster.
///
/// ```swift
/// let schedule = try MultistageRevolve(steps: 1000, memorySlots: 4, diskSlots: 16)
/// for action in schedule { … }   // revolve's actions, slots mapped to memory or disk
/// ```
///
/// - Complexity: building plays revolve once, O(t(n, s)) time and O(s) memory; then O(1)
///   per action.
public struct MultistageRevolve: CheckpointSchedule {
    /// n: the number of steps to reverse.
    public let steps: Int
    /// s_m: memory slots.
    public let memorySlots: Int
    /// s_d: disk slots.
    public let diskSlots: Int
    /// The underlying revolve schedule with s_m + s_d slots.
    public let revolve: Revolve
    /// For each revolve slot: where it lives and its index within that level.
    public let placement: [(level: StorageLevel, slot: Int)]

    /// Revolve with `memorySlots + diskSlots` slots, the `memorySlots` busiest in memory.
    ///
    /// - Throws: ``ScheduleError/invalidStepCount(_:)`` if `steps < 1`,
    ///   ``ScheduleError/invalidSlotCount(_:)`` if there is no slot at all or a count is negative.
    public init(steps: Int, memorySlots: Int, diskSlots: Int) throws(ScheduleError) {
        guard memorySlots >= 0, diskSlots >= 0 else { throw .invalidSlotCount(Swift.min(memorySlots, diskSlots)) }
        let revolve = try Revolve(steps: steps, slots: memorySlots + diskSlots)
        self.steps = steps
        self.memorySlots = memorySlots
        self.diskSlots = diskSlots
        self.revolve = revolve
        // Count writes plus reads per revolve slot (the unit weights of Stumm & Walther).
        // Revolve never uses more than n slots.
        var accesses = [Int](repeating: 0, count: Swift.min(memorySlots + diskSlots, steps))
        for action in revolve {
            switch action {
            case let .store(_, _, slot), let .restore(_, _, slot, _): accesses[slot] += 1
            default: break
            }
        }
        let busiest = accesses.indices.sorted { accesses[$0] != accesses[$1] ? accesses[$0] > accesses[$1] : $0 < $1 }
        var placement = [(level: StorageLevel, slot: Int)](repeating: (.memory, 0), count: accesses.count)
        for (rank, slot) in busiest.enumerated() {
            placement[slot] = rank < memorySlots ? (.memory, rank) : (.disk, rank - memorySlots)
        }
        self.placement = placement
    }

    /// `memorySlots` for memory, `diskSlots` for disk.
    public func capacity(of level: StorageLevel) -> Int {
        switch level {
        case .memory: memorySlots
        case .compressedMemory: 0
        case .disk: diskSlots
        }
    }

    /// A fresh generator: revolve's actions with each slot moved to its level.
    public func makeIterator() -> Iterator { Iterator(base: revolve.makeIterator(), placement: placement) }

    /// Maps revolve's slots to memory and disk slots.
    public struct Iterator: IteratorProtocol {
        var base: Revolve.Iterator
        let placement: [(level: StorageLevel, slot: Int)]

        /// Revolve's next action with its slot moved to memory or disk.
        public mutating func next() -> CheckpointAction? {
            switch base.next() {
            case let .store(step, _, slot)?:
                let (level, index) = placement[slot]
                return .store(step: step, level: level, slot: index)
            case let .restore(step, _, slot, release)?:
                let (level, index) = placement[slot]
                return .restore(step: step, level: level, slot: index, release: release)
            case let other:
                return other
            }
        }
    }
}
