import CheckpointSchedules

/// Checkpoints held in RAM as ordinary Swift values.
///
/// ```swift
/// let store = MemoryCheckpointStore<[Double]>(capacity: 8, bytesPerState: 8 * 1024)
/// try store.store(x, step: 4, slot: 1)
/// let x4 = try store.restore(step: 4, slot: 1, release: true)
/// ```
///
/// - Complexity: O(1) per store and restore beyond copying the value (which for
///   copy-on-write types such as arrays is a reference count).
public final class MemoryCheckpointStore<State>: CheckpointStore {
    private var slots: [(step: Int, state: State)?]
    private let bytesPerState: Int
    private var liveCount = 0
    /// The largest value ``bytesInUse`` has had.
    public private(set) var peakBytes = 0

    /// A store with `capacity` slots; `bytesPerState` is what each state costs, for the
    /// byte accounting in ``bytesInUse``.
    public init(capacity: Int, bytesPerState: Int) {
        precondition(capacity >= 0, "a store's capacity cannot be negative, got \(capacity)")
        slots = Array(repeating: nil, count: capacity)
        self.bytesPerState = bytesPerState
    }

    /// The bytes held now: live slots × bytes per state.
    public var bytesInUse: Int { liveCount * bytesPerState }

    public func store(_ state: State, step: Int, slot: Int) throws(CheckpointStoreError) {
        guard slots.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: slots.count) }
        if let held = slots[slot] { throw .slotOccupied(slot: slot, heldStep: held.step) }
        slots[slot] = (step, state)
        liveCount += 1
        peakBytes = max(peakBytes, bytesInUse)
    }

    public func restore(step: Int, slot: Int, release: Bool) throws(CheckpointStoreError) -> State {
        guard slots.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: slots.count) }
        guard let held = slots[slot], held.step == step else {
            throw .missingCheckpoint(step: step, slot: slot, heldStep: slots[slot]?.step)
        }
        if release {
            slots[slot] = nil
            liveCount -= 1
        }
        return held.state
    }

    public func removeAll() {
        for i in slots.indices { slots[i] = nil }
        liveCount = 0
    }
}
