import CheckpointStorage

/// A ``CheckpointStorage/CheckpointStore`` seen through closures, so that the driver's hot
/// loop calls it without opening a constrained existential (`any CheckpointStore<State>`)
/// on every action, which costs a runtime metadata lookup each time.
@usableFromInline
final class CheckpointStoreBox<State> {
    @usableFromInline let store: (State, Int, Int) throws(CheckpointStoreError) -> Void
    @usableFromInline let restore: (Int, Int, Bool) throws(CheckpointStoreError) -> State
    @usableFromInline let discard: (Int, Int) throws(CheckpointStoreError) -> Void
    @usableFromInline let prefetch: (Int, Int) -> Void
    @usableFromInline let bytesInUse: () -> Int
    @usableFromInline let removeAll: () -> Void
    @usableFromInline let startRecordingOperations: () -> Void
    @usableFromInline let stopRecordingOperations: () -> Void
    @usableFromInline let takeOperationRecords: () -> [CheckpointOperationRecord]

    @usableFromInline
    init(_ base: any CheckpointStore<State>) {
        store = { state, step, slot throws(CheckpointStoreError) in try base.store(state, step: step, slot: slot) }
        restore = { step, slot, release throws(CheckpointStoreError) in try base.restore(step: step, slot: slot, release: release) }
        discard = { step, slot throws(CheckpointStoreError) in try base.discard(step: step, slot: slot) }
        prefetch = { step, slot in base.prefetch(step: step, slot: slot) }
        bytesInUse = { base.bytesInUse }
        removeAll = { base.removeAll() }
        startRecordingOperations = { base.startRecordingOperations() }
        stopRecordingOperations = { base.stopRecordingOperations() }
        takeOperationRecords = { base.takeOperationRecords() }
    }
}
