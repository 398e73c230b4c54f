import CheckpointStorage
import Foundation
import Glibc
import Testing

/// The file store keeps one file per slot and overwrites it in place. These tests pin what
/// that must not change: every state reads back bit for bit whatever the slot held before,
/// a write cut short or damaged after the fact is refused with a typed error, a discard
/// frees its slot without reading it, and nothing is left on disk at the end.
@Suite struct FileCheckpointStoreSlotFileReuseTests {
    /// The file's inode number and length, straight from the file system.
    func fileIdentity(_ path: String) -> (inode: UInt, length: Int)? {
        var info = stat()
        return stat(path, &info) == 0 ? (UInt(info.st_ino), Int(info.st_size)) : nil
    }

    /// Writes `bytes` into the file at `offset` without replacing the file.
    func overwrite(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY)
        try #require(fd >= 0, "cannot open \(path)")
        defer { close(fd) }
        try #require(pwrite(fd, bytes, bytes.count, off_t(offset)) == bytes.count)
    }

    /// A larger, a much smaller, a slightly smaller and a larger state again, all in slot 0:
    /// each reads back exactly, from the same file, through every codec and overlap setting.
    @Test(arguments: diskCodecs, [(0, 0), (2, 1)])
    func statesOfChangingSizeInOneSlotReadBackExactly(codec: CheckpointCodec, overlap: (writeBehind: Int, readAhead: Int)) throws {
        let store = try FileCheckpointStore<[Double]>(
            capacity: 1, codec: codec, writeBehind: overlap.writeBehind, readAhead: overlap.readAhead)
        var inode: UInt?
        for (step, count) in [(1, 20_000), (2, 100), (3, 99), (4, 5_000), (5, 4_990), (6, 30_000)] {
            let x = state(step, count: count)
            try store.store(x, step: step, slot: 0)
            try store.flush()
            let file = try #require(fileIdentity(store.filePath(slot: 0)))
            if let inode { #expect(file.inode == inode, "step \(step): the slot's file was replaced, not overwritten") }
            inode = file.inode
            #expect(store.slotFileBytes == file.length, "step \(step)")
            #expect(file.length >= store.diskBytesInUse, "step \(step)")
            store.prefetch(step: step, slot: 0)
            #expect(bits(try store.restore(step: step, slot: 0, release: true)) == bits(x), "codec \(codec), step \(step)")
        }
        #expect(ScratchDirectory.slotFiles(store.directory) == ["slot-0.ckpt"])
    }

    /// After a 160 kB state, a 800-byte one: the file is cut back, not left at 160 kB.
    @Test func aMuchSmallerStateCutsTheFileBack() throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 1, writeBehind: 0, readAhead: 0)
        try store.store(state(1, count: 20_000), step: 1, slot: 0)
        _ = try store.restore(step: 1, slot: 0, release: true)
        try store.store(state(2, count: 100), step: 2, slot: 0)
        let length = try #require(fileIdentity(store.filePath(slot: 0))).length
        #expect(length == 80 + state(2, count: 100).checkpointEncodedByteCount)
    }

    /// A stale tail as short as a store may leave (here 100 bytes) does not hide the
    /// checkpoint in front of it.
    @Test func aShortStaleTailIsAccepted() throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 1, codec: .zstd(level: 1), writeBehind: 0)
        try store.store(state(7), step: 7, slot: 0)
        try overwrite(store.filePath(slot: 0), at: try #require(fileIdentity(store.filePath(slot: 0))).length,
                      with: randomBytes(100, seed: 7))
        #expect(bits(try store.restore(step: 7, slot: 0, release: true)) == bits(state(7)))
    }

    /// Garbage written into the payload of a reused slot's file, its header intact: the
    /// payload checksum refuses it, for every codec.
    @Test(arguments: diskCodecs)
    func garbageInAReusedSlotsPayloadIsRefused(codec: CheckpointCodec) throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 1, codec: codec)
        try store.store(state(3), step: 3, slot: 0)
        _ = try store.restore(step: 3, slot: 0, release: true)
        try store.store(state(7), step: 7, slot: 0)
        try store.flush()
        try overwrite(store.filePath(slot: 0), at: 80 + 40, with: randomBytes(64, seed: 11))
        #expect {
            try store.restore(step: 7, slot: 0, release: true)
        } throws: { error in
            guard case let .corrupt(7, 0, reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("checksum")
        }
    }

    /// What a crash right after a store blanked the header leaves: a blank header in front
    /// of the previous checkpoint's payload (or of part of the new one). Refused as unfinished.
    @Test(arguments: [0, 300])
    func aBlankHeaderReadsAsAnUnfinishedWrite(payloadBytesOverwritten: Int) throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 1, codec: .shuffledZstd(level: 1))
        try store.store(state(7), step: 7, slot: 0)
        try store.flush()
        let path = store.filePath(slot: 0)
        try overwrite(path, at: 0, with: [UInt8](repeating: 0, count: 80))
        if payloadBytesOverwritten > 0 { try overwrite(path, at: 80, with: randomBytes(payloadBytesOverwritten, seed: 5)) }
        #expect {
            try store.restore(step: 7, slot: 0, release: true)
        } throws: { error in
            guard case let .corrupt(7, 0, reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("did not finish")
        }
    }

    // MARK: Discard

    /// A discard reads nothing: a damaged file is discarded without complaint, no restore
    /// or byte read is counted, and the slot takes the next state.
    @Test(arguments: [(0, 0), (2, 1)])
    func aDiscardFreesTheSlotWithoutReadingIt(overlap: (writeBehind: Int, readAhead: Int)) throws {
        let store = try FileCheckpointStore<[Double]>(
            capacity: 2, codec: .zstd(level: 1), writeBehind: overlap.writeBehind, readAhead: overlap.readAhead)
        try store.store(state(7), step: 7, slot: 0)
        try store.store(state(8), step: 8, slot: 1)
        try store.flush()
        #expect(store.diskBytesInUse > 0)
        try overwrite(store.filePath(slot: 0), at: 100, with: randomBytes(64, seed: 3))
        try store.discard(step: 7, slot: 0)
        store.prefetch(step: 8, slot: 1)  // a read-ahead that nobody will take
        try store.discard(step: 8, slot: 1)
        #expect(store.diskBytesInUse == 0)
        let io = store.statistics
        #expect(io.discards == 2 && io.restores == 0 && io.rawBytesRestored == 0)
        #expect(io.bytesRead == 0 || overlap.readAhead > 0, "only the abandoned read-ahead may have read")
        #expect(throws: CheckpointStoreError.missingCheckpoint(step: 7, slot: 0, heldStep: nil)) { try store.discard(step: 7, slot: 0) }
        try store.store(state(9), step: 9, slot: 0)
        try store.store(state(10), step: 10, slot: 1)
        #expect(bits(try store.restore(step: 10, slot: 1, release: true)) == bits(state(10)))
        #expect(bits(try store.restore(step: 9, slot: 0, release: true)) == bits(state(9)))
    }

    /// A discard of a state still waiting in the write-behind queue cancels or outruns the
    /// write: once flushed, the store holds no checkpoint bytes and no RAM beyond its pool.
    @Test func aDiscardOfAWriteStillBehindLeavesNothingHeld() throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 2, codec: .zstd(level: 3), writeBehind: 2, readAhead: 0)
        try store.store(state(1, count: 50_000), step: 1, slot: 0)
        try store.store(state(2, count: 50_000), step: 2, slot: 1)
        try store.discard(step: 2, slot: 1)
        try store.discard(step: 1, slot: 0)
        try store.flush()
        #expect(store.diskBytesInUse == 0)
        #expect(store.bytesInUse <= 3 * state(0, count: 50_000).checkpointEncodedByteCount, "only pooled buffers remain")
        #expect(throws: CheckpointStoreError.missingCheckpoint(step: 1, slot: 0, heldStep: nil)) {
            try store.restore(step: 1, slot: 0, release: true)
        }
    }

    /// The protocol's default discard, used by stores that restore cheaply, frees the slot.
    @Test func theDefaultDiscardFreesAMemorySlot() throws {
        let store = MemoryCheckpointStore<[Double]>(capacity: 1, bytesPerState: 80)
        try store.store(state(4, count: 10), step: 4, slot: 0)
        try store.discard(step: 4, slot: 0)
        #expect(throws: CheckpointStoreError.missingCheckpoint(step: 4, slot: 0, heldStep: nil)) {
            try store.restore(step: 4, slot: 0, release: true)
        }
    }

    // MARK: Clean-up

    /// Reused and discarded slots leave their files until `removeAll`, and the directory goes
    /// with the store.
    @Test func noFileRemainsAfterRemoveAllOrRelease() throws {
        var directory = ""
        do {
            let store = try FileCheckpointStore<[Double]>(capacity: 3, codec: .shuffledZstd(), writeBehind: 2, readAhead: 1)
            directory = store.directory
            for round in 0 ..< 3 {
                for slot in 0 ..< 3 { try store.store(state(10 * round + slot), step: 10 * round + slot, slot: slot) }
                try store.flush()
                try store.discard(step: 10 * round, slot: 0)
                _ = try store.restore(step: 10 * round + 1, slot: 1, release: true)
                if round < 2 { try store.discard(step: 10 * round + 2, slot: 2) }
            }
            #expect(ScratchDirectory.slotFiles(directory).count == 3)
            store.removeAll()
            #expect(ScratchDirectory.slotFiles(directory).isEmpty && store.slotFileBytes == 0)
            try store.store(state(1), step: 1, slot: 2)
            try store.flush()
        }
        #expect(!FileManager.default.fileExists(atPath: directory), "the run's directory and files go with the store")
    }
}
