import CheckpointSchedules
import CheckpointStorage

extension CheckpointSweep {
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
