import Foundation
import Testing
@testable import CheckpointStorage

/// A store's per-call records add up to its own statistics, which it counts independently.
@Suite struct CheckpointOperationRecordTests {
    /// Stores four states, restores slot 3 at once (often from the write buffer), then the
    /// rest in reverse, each prefetched but the last: every source a restore can have.
    func play(_ store: FileCheckpointStore<[Double]>) throws {
        for slot in 0 ..< 4 { try store.store(state(10 * slot), step: 10 * slot, slot: slot) }
        _ = try store.restore(step: 30, slot: 3, release: false)
        for slot in (0 ..< 4).reversed() {
            if slot > 1 { store.prefetch(step: 10 * (slot - 1), slot: slot - 1) }
            _ = try store.restore(step: 10 * slot, slot: slot, release: true)
        }
    }

    @Test(arguments: [CheckpointCodec.identity, .shuffledZstd(level: 1)], [(0, 0), (2, 1)])
    func fileStoreRecordsSumToItsStatistics(codec: CheckpointCodec, overlap: (writeBehind: Int, readAhead: Int)) throws {
        let scratch = ScratchDirectory()
        let store = try FileCheckpointStore<[Double]>(
            capacity: 4, directory: scratch.path, codec: codec, writeBehind: overlap.writeBehind, readAhead: overlap.readAhead)
        store.startRecordingOperations()
        try play(store)
        let records = store.takeOperationRecords()
        let io = store.statistics
        let stores = records.filter { $0.kind == .store }
        let restores = records.filter { $0.kind == .restore }
        #expect(stores.map(\.step) == [0, 10, 20, 30] && restores.map(\.step) == [30, 30, 20, 10, 0])
        #expect(stores.count == io.stores && restores.count == io.restores)
        #expect(stores.compactMap(\.storedBytes).reduce(0, +) == io.encodedBytesStored)
        #expect(stores.filter { $0.storedBytes != nil }.map(\.rawBytes).reduce(0, +) == io.rawBytesEncoded)
        #expect(restores.map(\.rawBytes).reduce(0, +) == io.rawBytesRestored)
        let fileReads = restores.filter { $0.source != .writeBuffer }
        #expect(fileReads.compactMap(\.storedBytes).reduce(0, +) + fileReads.count * CheckpointFileHeader.size == io.bytesRead)
        #expect(restores.filter { $0.source == .readAhead }.count == io.restoresFromReadAhead)
        #expect(restores.filter { $0.source == .writeBuffer }.count == io.restoresFromWriteBuffer)
        #expect(restores.allSatisfy { $0.source != nil } && stores.allSatisfy { $0.source == nil })
        // Every read-ahead was taken, so all background work belongs to a record.
        #expect(io.prefetches == io.restoresFromReadAhead)
        #expect(abs(records.map(\.backgroundSeconds).reduce(0, +) - io.backgroundSeconds) <= 1e-12)
        #expect(abs(records.map(\.waitSeconds).reduce(0, +) - io.waitSeconds) <= 1e-12)
        #expect(abs(restores.map(\.waitSeconds).reduce(0, +) - io.restoreWaitSeconds) <= 1e-12)
        if overlap.writeBehind == 0 {
            #expect(records.allSatisfy { $0.backgroundSeconds == 0 }, "without write-behind, stores run on the caller")
            #expect(restores.first?.source == .onDemand)
        } else {
            #expect(stores.filter { $0.storedBytes != nil }.allSatisfy { $0.backgroundSeconds > 0 },
                    "each write behind took the I/O thread some time")
        }
        // A write behind cancelled before it ran (slot 3, released while in flight) encoded nothing.
        if codec == .identity { #expect(stores.allSatisfy { $0.storedBytes == nil || $0.storedBytes == $0.rawBytes }) }
        if overlap.writeBehind == 0 { #expect(stores.allSatisfy { $0.storedBytes != nil }) }
        #expect(store.takeOperationRecords().isEmpty, "taken records are gone")
    }

    @Test func recordsAreKeptOnlyWhileAsked() throws {
        let scratch = ScratchDirectory()
        let store = try FileCheckpointStore<[Double]>(capacity: 2, directory: scratch.path)
        try store.store(state(0), step: 0, slot: 0)
        store.startRecordingOperations()
        try store.store(state(1), step: 1, slot: 1)
        store.stopRecordingOperations()
        _ = try store.restore(step: 1, slot: 1, release: true)
        #expect(store.takeOperationRecords().isEmpty, "stopping drops the record of the store before it")
        store.startRecordingOperations()
        _ = try store.restore(step: 0, slot: 0, release: true)
        #expect(store.takeOperationRecords().map(\.step) == [0])
    }

    @Test func compressedMemoryRecordsTheEncodedSizes() throws {
        let store = CompressedMemoryCheckpointStore<[Double]>(capacity: 2, codec: .shuffledZstd(level: 1))
        store.startRecordingOperations()
        for slot in 0 ..< 2 { try store.store(state(slot, count: 20_000), step: slot, slot: slot) }
        for slot in (0 ..< 2).reversed() { _ = try store.restore(step: slot, slot: slot, release: true) }
        let records = store.takeOperationRecords()
        let stores = records.filter { $0.kind == .store }
        let raw = stores.map(\.rawBytes).reduce(0, +)
        let stored = stores.compactMap(\.storedBytes).reduce(0, +)
        #expect(raw == store.statistics.rawBytesEncoded && stored == store.statistics.encodedBytesStored)
        #expect(Double(raw) / Double(stored) == store.statistics.compressionRatio && store.statistics.compressionRatio > 1.3)
        #expect(records.filter { $0.kind == .restore }.map(\.storedBytes) == stores.reversed().map(\.storedBytes))
        #expect(records.allSatisfy { $0.waitSeconds == 0 && $0.backgroundSeconds == 0 })
        #expect(records.filter { $0.kind == .restore }.allSatisfy { $0.source == .onDemand })
    }

    @Test func aStoreWithoutIOKeepsNoRecords() throws {
        let store = MemoryCheckpointStore<[Double]>(capacity: 1, bytesPerState: 8)
        store.startRecordingOperations()
        try store.store([1], step: 0, slot: 0)
        #expect(store.takeOperationRecords().isEmpty)
    }
}
