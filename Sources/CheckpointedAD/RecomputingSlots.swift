import CheckpointStorage

/// The memory slots in which a two-thread reversal's recomputing thread keeps its
/// checkpoints, with the counts the run's statistics report. Only the recomputing thread
/// (and the recording sweep before it starts) touches it; the caller reads the counts after
/// joining that thread.
@usableFromInline
struct RecomputingSlots<State> {
    /// Slot k: the step whose state it holds and the state, or nil when free.
    @usableFromInline var slots: [(step: Int, state: State)?]
    /// Slots holding a state now.
    @usableFromInline var live = 0
    /// The most slots held at once.
    @usableFromInline var peakLive = 0
    /// Stores and restores since the counts were last reset.
    @usableFromInline var stores = 0
    @usableFromInline var restores = 0

    /// `count` free slots.
    @usableFromInline
    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    /// Frees every slot, as a new recording sweep begins (the peak stays).
    @inlinable
    mutating func freeAll() {
        for index in slots.indices { slots[index] = nil }
        live = 0
    }

    /// Stores `x`, the state at `stepIndex`, in the free slot `slot`.
    ///
    /// - Throws: ``CheckpointStoreError/slotOccupied(slot:heldStep:)`` (as
    ///   ``CheckpointingError/storage(_:)``) when the slot holds a state: a broken schedule.
    @inlinable
    mutating func put(_ x: State, step stepIndex: Int, slot: Int) throws(CheckpointingError) {
        if let held = slots[slot] { throw .storage(.slotOccupied(slot: slot, heldStep: held.step)) }
        slots[slot] = (stepIndex, x)
        live += 1
        peakLive = Swift.max(peakLive, live)
        stores += 1
    }

    /// The state at `stepIndex` from `slot`, freeing the slot when `release` is set.
    ///
    /// - Throws: ``CheckpointStoreError/missingCheckpoint(step:slot:heldStep:)`` (as
    ///   ``CheckpointingError/storage(_:)``) when the slot does not hold that step.
    @inlinable
    mutating func take(step stepIndex: Int, slot: Int, release: Bool) throws(CheckpointingError) -> State {
        guard let held = slots[slot], held.step == stepIndex else {
            throw .storage(.missingCheckpoint(step: stepIndex, slot: slot, heldStep: slots[slot]?.step))
        }
        if release {
            slots[slot] = nil
            live -= 1
        }
        restores += 1
        return held.state
    }
}
