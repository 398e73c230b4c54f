import CheckpointSchedules
import CheckpointStorage

/// Where the sweep keeps checkpoints: the built-in memory level (a slot array inside the
/// specialised hot loop) or the store given for a level.
extension CheckpointSweep {
    @inlinable
    mutating func store(_ x: State, step stepIndex: Int, level: StorageLevel, slot: Int, index: Int, action: CheckpointAction)
        throws(CheckpointingError)
    {
        if let store = stores[level.index] {
            do throws(CheckpointStoreError) { try store.store(x, stepIndex, slot) } catch { throw .storage(error) }
            return
        }
        guard level == .memory else { throw invalid(index, action, "no store was given for the \(level) level") }
        guard memorySlots.indices.contains(slot) else {
            throw .storage(.slotOutOfRange(slot: slot, capacity: memorySlots.count))
        }
        if let held = memorySlots[slot] { throw .storage(.slotOccupied(slot: slot, heldStep: held.step)) }
        memorySlots[slot] = (stepIndex, x)
        liveMemorySlots += 1
    }

    @inlinable
    mutating func restore(step stepIndex: Int, level: StorageLevel, slot: Int, release: Bool, index: Int, action: CheckpointAction)
        throws(CheckpointingError) -> State
    {
        if let store = stores[level.index] {
            do throws(CheckpointStoreError) { return try store.restore(stepIndex, slot, release) } catch { throw .storage(error) }
        }
        guard level == .memory else { throw invalid(index, action, "no store was given for the \(level) level") }
        guard memorySlots.indices.contains(slot), let held = memorySlots[slot], held.step == stepIndex else {
            let heldStep = memorySlots.indices.contains(slot) ? memorySlots[slot]?.step : nil
            throw .storage(.missingCheckpoint(step: stepIndex, slot: slot, heldStep: heldStep))
        }
        if release {
            memorySlots[slot] = nil
            liveMemorySlots -= 1
        }
        return held.state
    }

    /// The bytes all levels hold now.
    @inlinable
    func liveCheckpointBytes() -> Int {
        var total = liveMemorySlots * stateBytes
        if hasGivenStores { for store in stores { if let store { total += store.bytesInUse() } } }
        return total
    }

    /// Tells the given stores to stop keeping operation records (the driver is done).
    @usableFromInline
    func stopRecordingStoreOperations() {
        if options.recordsTrace { for store in stores { store?.stopRecordingOperations() } }
    }

    @usableFromInline
    mutating func removeAllCheckpoints() {
        for i in memorySlots.indices { memorySlots[i] = nil }
        liveMemorySlots = 0
        for store in stores { store?.removeAll() }
    }

    /// Frees `slot` of `level`, which holds x[step], for a `.discard` action: a given store
    /// frees it through ``CheckpointStorage/CheckpointStore/discard(step:slot:)`` (a file
    /// store without reading the file); the built-in memory level drops its reference. The
    /// current state is untouched.
    ///
    /// - Throws: ``CheckpointingError/storage(_:)`` when the slot does not hold x[step].
    /// - Complexity: O(1) for the built-in memory level; the store's discard otherwise.
    @inlinable
    mutating func discard(step stepIndex: Int, level: StorageLevel, slot: Int, index: Int, action: CheckpointAction)
        throws(CheckpointingError)
    {
        if let store = stores[level.index] {
            do throws(CheckpointStoreError) { try store.discard(stepIndex, slot) } catch { throw .storage(error) }
            return
        }
        _ = try restore(step: stepIndex, level: level, slot: slot, release: true, index: index, action: action)
    }
}
