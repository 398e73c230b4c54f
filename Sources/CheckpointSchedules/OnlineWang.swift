/// The dynamic checkpointing scheme of Wang, Moin & Iaccarino: an online schedule that
/// works for any number of steps (SIAM J. Sci. Comput. 31(4):2549–2567, 2009,
/// "Minimal repetition dynamic checkpointing algorithm for unsteady adjoint calculation",
/// doi:10.1137/080727890).
///
/// ```swift
/// let replay = try OnlineScheduleReplay(OnlineWang(slots: 10), steps: 5000)
/// let stats = try ScheduleSimulator.run(replay)
/// ```
///
/// Every state is checkpointed when it is current; each checkpoint carries a *level*.
/// While slots are free the new checkpoint gets level 0. Otherwise a checkpoint is
/// *dispensable* when a later checkpoint has a higher level (x0 and the newest are never
/// dispensable): the most recent dispensable one is dropped and the new checkpoint gets
/// level 0; if none is dispensable, the newest checkpoint (level L) is dropped and the
/// new one gets level L + 1 (their Algorithm 1). The paper proves that the checkpoints
/// then have, at any time, the least repetition number any placement of them could have.
///
/// Under our counting the newest checkpoint is x[n−1] at the end, the state the driver
/// keeps current anyway, so the reversal releases it at once and every gap gets one slot
/// more than in the paper.
///
/// - Complexity: O(s) work and at most one discard and one store per step; s slots.
public struct OnlineWang: OnlineCheckpointSchedule {
    /// s: the number of slots, x0 included.
    public let slots: Int
    /// The level every checkpoint is stored at.
    public let level: StorageLevel
    /// The checkpoints held now.
    public private(set) var layout: OnlineCheckpointLayout
    /// The level of each checkpoint of ``layout``, in the same order (x0's is `Int.max`).
    public private(set) var levels: [Int] = []
    var freeSlots: [Int]

    /// A dynamic schedule with `slots` slots (x0 included).
    public init(slots: Int, level: StorageLevel = .memory) {
        precondition(slots >= 1, "an online schedule needs at least one slot (for x0), got \(slots)")
        self.slots = slots
        self.level = level
        layout = OnlineCheckpointLayout(capacity: slots)
        freeSlots = Array((0..<slots).reversed())
    }

    /// Checkpoint x[step], dropping the most recent dispensable checkpoint when full.
    public mutating func actionsBeforeAdvancing(from step: Int) -> [CheckpointAction] {
        if step == 0 {
            levels = [Int.max]
            return [store(step: 0)]
        }
        guard slots > 1 else { return [] }
        if !freeSlots.isEmpty {
            levels.append(0)
            return [store(step: step)]
        }
        var newLevel = 0
        var victim = -1
        var laterMaximum = levels[levels.count - 1]
        var j = levels.count - 2
        while j >= 1 {
            if levels[j] < laterMaximum { victim = j; break }
            laterMaximum = Swift.max(laterMaximum, levels[j])
            j -= 1
        }
        if victim < 0 {
            victim = levels.count - 1
            newLevel = levels[victim] + 1
        }
        let dropped = layout.remove(at: victim)
        levels.remove(at: victim)
        freeSlots.append(dropped.slot)
        levels.append(newLevel)
        return [.discard(step: dropped.step, level: level, slot: dropped.slot), store(step: step)]
    }

    mutating func store(step: Int) -> CheckpointAction {
        let slot = freeSlots.removeLast()
        layout.append(step: step, slot: slot)
        return .store(step: step, level: level, slot: slot)
    }
}

extension OnlineWang {
    /// Continue from a layout built by another schedule, with the given levels.
    mutating func adopt(layout: OnlineCheckpointLayout, levels: [Int], freeSlots: [Int]) {
        precondition(levels.count == layout.count, "one level per checkpoint: \(levels.count) levels for \(layout.count) checkpoints")
        self.layout = layout
        self.levels = levels
        self.freeSlots = freeSlots
    }
}
