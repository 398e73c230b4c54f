import CheckpointStorage
import Testing

@Test(arguments: diskCodecs)
func compressedMemoryRoundTripsAreBitExact(codec: CheckpointCodec) throws {
    let store = CompressedMemoryCheckpointStore<[Double]>(capacity: 3, codec: codec)
    for slot in 0 ..< 3 { try store.store(state(slot), step: slot, slot: slot) }
    #expect(bits(try store.restore(step: 2, slot: 2, release: false)) == bits(state(2)))
    for slot in (0 ..< 3).reversed() {
        #expect(bits(try store.restore(step: slot, slot: slot, release: true)) == bits(state(slot)), "codec \(codec)")
    }
    #expect(store.statistics.restores == 4 && store.statistics.stores == 3)
    store.removeAll()
    #expect(store.bytesInUse == 0)
}

/// More states in the same bytes: the shuffled smooth field takes less than 1/1.3 of its raw
/// size, so the bytes held (scratch included) stay below those of the raw states.
@Test func compressionHoldsMoreStatesInTheSameBytes() throws {
    let raw = state(0, count: 20_000).checkpointEncodedByteCount
    let store = CompressedMemoryCheckpointStore<[Double]>(capacity: 8, codec: .shuffledZstd(level: 1))
    for slot in 0 ..< 8 { try store.store(state(slot, count: 20_000), step: slot, slot: slot) }
    let held = store.bytesInUse - raw  // minus the one scratch state
    #expect(Double(8 * raw) / Double(held) > 1.3, "8 states of \(raw) bytes held in \(held) bytes")
    #expect(abs(store.statistics.compressionRatio - Double(8 * raw) / Double(held)) < 1e-9)
    #expect(store.peakBytes == store.bytesInUse)
}

@Test func compressedMemorySlotMisuseIsATypedError() throws {
    let store = CompressedMemoryCheckpointStore<[Double]>(capacity: 1)
    try store.store([1], step: 2, slot: 0)
    #expect(throws: CheckpointStoreError.slotOccupied(slot: 0, heldStep: 2)) { try store.store([1], step: 3, slot: 0) }
    #expect(throws: CheckpointStoreError.slotOutOfRange(slot: 1, capacity: 1)) { try store.store([1], step: 3, slot: 1) }
    #expect(throws: CheckpointStoreError.missingCheckpoint(step: 3, slot: 0, heldStep: 2)) { try store.restore(step: 3, slot: 0, release: true) }
}
