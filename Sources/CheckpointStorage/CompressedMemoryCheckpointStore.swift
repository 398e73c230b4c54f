/// Checkpoints held in RAM, encoded by a codec: more states in the same bytes.
///
/// ```swift
/// let store = CompressedMemoryCheckpointStore<[Double]>(capacity: 12, codec: .shuffledZstd(level: 1))
/// try store.store(x, step: 8, slot: 0)
/// print(store.bytesInUse)           // the compressed size, plus one scratch state
/// let x8 = try store.restore(step: 8, slot: 0, release: true)
/// ```
///
/// Each slot holds the encoded bytes, sized exactly. ``bytesInUse`` counts them and the
/// one raw scratch buffer used to encode and decode. With `.shuffledZstd(level: 1)` a
/// smooth float64 field takes ~1/1.5 of its raw size (see the storage report), so a
/// planner can give this level ~1.5× the slots of a plain memory store of equal bytes.
/// Decoding checks that the bytes decode to exactly the expected size; the zstd stream
/// itself is not checksummed (RAM is trusted as it is for ``MemoryCheckpointStore``).
///
/// - Complexity: O(state bytes) per store and restore (encoding and decoding on the
///   caller's thread).
public final class CompressedMemoryCheckpointStore<State: CheckpointCodable>: CheckpointStore {
    private var slots: [(step: Int, rawCount: Int, encoded: [UInt8])?]
    /// The codec the states are held in.
    public let codec: CheckpointCodec
    private let compressor: CheckpointCompressor
    private let decompressor: CheckpointDecompressor
    private var scratch = ByteBuffer(capacity: 0)
    private var encoded = [UInt8]()
    private var heldBytes = 0
    /// The largest value ``bytesInUse`` has had.
    public private(set) var peakBytes = 0
    /// Encoding times and byte counts (all blocking: this store has no I/O thread).
    public private(set) var statistics = CheckpointIOStatistics()
    private var recordsOperations = false
    private var records: [CheckpointOperationRecord] = []

    /// A store with `capacity` slots holding states encoded by `codec`.
    public init(capacity: Int, codec: CheckpointCodec = .shuffledZstd(level: 1)) {
        precondition(capacity >= 0, "a store's capacity cannot be negative, got \(capacity)")
        slots = Array(repeating: nil, count: capacity)
        self.codec = codec
        compressor = CheckpointCompressor(codec: codec)
        decompressor = CheckpointDecompressor(codec: codec)
    }

    /// Encoded bytes held plus the scratch buffer.
    public var bytesInUse: Int { heldBytes + scratch.capacity }
    /// The same as ``statistics``, through the ``CheckpointStore`` protocol.
    public var ioStatistics: CheckpointIOStatistics? { statistics }

    private func scratch(_ count: Int) -> ByteBuffer {
        if scratch.capacity < count { scratch = ByteBuffer(capacity: count) }
        scratch.count = count
        return scratch
    }

    public func store(_ state: State, step: Int, slot: Int) throws(CheckpointStoreError) {
        guard slots.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: slots.count) }
        if let held = slots[slot] { throw .slotOccupied(slot: slot, heldStep: held.step) }
        let start = monotonicSeconds()
        let raw = scratch(state.checkpointEncodedByteCount)
        state.encodeCheckpoint(into: raw.mutableBytes)
        encoded.removeAll(keepingCapacity: true)
        encoded.reserveCapacity(codec.maxEncodedCount(rawCount: raw.count))
        compressor.compress(raw.bytes) { (chunk: UnsafeRawBufferPointer) in encoded.append(contentsOf: chunk) }
        let exact = [UInt8](unsafeUninitializedCapacity: encoded.count) { buffer, count in
            _ = buffer.initialize(from: encoded)
            count = encoded.count
        }
        slots[slot] = (step, raw.count, exact)
        heldBytes += exact.count
        peakBytes = Swift.max(peakBytes, bytesInUse)
        let elapsed = monotonicSeconds() - start
        statistics.stores += 1
        statistics.rawBytesStored += raw.count
        statistics.rawBytesEncoded += raw.count
        statistics.encodedBytesStored += exact.count
        statistics.encodeSeconds += elapsed
        statistics.blockingSeconds += elapsed
        if recordsOperations {
            records.append(CheckpointOperationRecord(kind: .store, step: step, slot: slot, rawBytes: raw.count, storedBytes: exact.count))
        }
    }

    public func restore(step: Int, slot: Int, release: Bool) throws(CheckpointStoreError) -> State {
        guard slots.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: slots.count) }
        guard let held = slots[slot], held.step == step else {
            throw .missingCheckpoint(step: step, slot: slot, heldStep: slots[slot]?.step)
        }
        let start = monotonicSeconds()
        let raw = scratch(held.rawCount)
        do throws(CheckpointCodingError) {
            try decompressor.decompress(into: raw.mutableBytes, from: held.encoded)
            let state = try State(checkpointBytes: raw.bytes)
            if release {
                slots[slot] = nil
                heldBytes -= held.encoded.count
            }
            let elapsed = monotonicSeconds() - start
            statistics.restores += 1
            statistics.rawBytesRestored += raw.count
            statistics.decodeSeconds += elapsed
            statistics.blockingSeconds += elapsed
            if recordsOperations {
                records.append(CheckpointOperationRecord(
                    kind: .restore, step: step, slot: slot, rawBytes: raw.count, storedBytes: held.encoded.count, source: .onDemand))
            }
            return state
        } catch {
            throw .corrupt(step: step, slot: slot, reason: error.reason)
        }
    }

    /// Starts keeping a ``CheckpointOperationRecord`` of every later store and restore (the
    /// encoded size; no waits and no background work: everything runs on the caller's thread).
    public func startRecordingOperations() { recordsOperations = true }

    /// Stops keeping records and drops the ones not taken.
    public func stopRecordingOperations() {
        recordsOperations = false
        records.removeAll()
    }

    /// The records kept since recording started or since the last call, in call order.
    public func takeOperationRecords() -> [CheckpointOperationRecord] {
        defer { records.removeAll() }
        return records
    }

    public func removeAll() {
        for i in slots.indices { slots[i] = nil }
        heldBytes = 0
        scratch = ByteBuffer(capacity: 0)
    }
}
