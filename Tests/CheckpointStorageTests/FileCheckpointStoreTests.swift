import CheckpointStorage
import Foundation
import Glibc
import Testing

/// The codecs the disk path must carry bit-exactly (the last with tiny blocks, so the
/// streaming path that serves states beyond 2 GiB runs here on small states).
let diskCodecs: [CheckpointCodec] = [
    .identity, .zstd(level: 3), .shuffledZstd(level: 1), .shuffledZstd(level: 1, xorWithPrevious: true),
    CheckpointCodec(filter: .shuffle(width: 8, xorWithPrevious: true), compression: .zstd(level: 1, workers: 0), blockSize: 40),
]

/// States x[step] for the tests: a smooth field with NaN payloads and signed zeros mixed in.
func state(_ step: Int, count: Int = 3000) -> [Double] {
    var x = smoothField(count).map { $0 + Double(step) }
    for (i, special) in awkwardDoubles.enumerated() where i * 97 < count { x[i * 97] = special }
    return x
}

func directoryMode(_ path: String) -> mode_t {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
}

@Suite struct FileCheckpointStoreTests {
    /// Plays a revolve-like pattern: store several states, restore them in reverse with and
    /// without prefetch and release, through every codec and every overlap setting.
    @Test(arguments: diskCodecs, [(0, 0), (2, 1), (1, 2)])
    func roundTripsAreBitExact(codec: CheckpointCodec, overlap: (writeBehind: Int, readAhead: Int)) throws {
        let scratch = ScratchDirectory()
        var directory = ""
        do {
            let store = try FileCheckpointStore<[Double]>(
                capacity: 4, directory: scratch.path, codec: codec, writeBehind: overlap.writeBehind, readAhead: overlap.readAhead)
            directory = store.directory
            #expect(directoryMode(directory) == 0o700)
            #expect(directory.hasPrefix(scratch.path + "/rewind-"))
            for slot in 0 ..< 4 { try store.store(state(10 * slot), step: 10 * slot, slot: slot) }
            // Slot 3 is restored at once (often still in flight), kept, then restored again.
            #expect(bits(try store.restore(step: 30, slot: 3, release: false)) == bits(state(30)))
            for slot in (0 ..< 4).reversed() {
                if slot > 0 { store.prefetch(step: 10 * (slot - 1), slot: slot - 1) }
                let x = try store.restore(step: 10 * slot, slot: slot, release: true)
                #expect(bits(x) == bits(state(10 * slot)), "codec \(codec) slot \(slot)")
            }
            try store.flush()
            // Released slots keep their file for the next store; the writes still queued when
            // their slots were released (at most `writeBehind` of them) may have been cancelled
            // before they began. There is nothing else.
            let files = Set(ScratchDirectory.slotFiles(directory))
            #expect(files.isSubset(of: (0 ..< 4).map { "slot-\($0).ckpt" }), "\(files)")
            #expect(files.count >= 4 - Swift.max(1, overlap.writeBehind), "\(files)")
            let io = store.statistics
            #expect(io.stores == 4 && io.restores == 5)
            #expect(io.rawBytesStored == 4 * state(0).checkpointEncodedByteCount)
            #expect(io.restoresFromWriteBuffer + io.restoresFromReadAhead <= io.restores)
            // (Tiny test blocks spend more on lane headers than zstd saves.)
            if case .shuffle = codec.filter, codec.blockSize >= 4096 { #expect(io.compressionRatio > 1.2, "ratio \(io.compressionRatio)") }
            if case .zstd = codec.compression, codec.blockSize >= 4096 { #expect(io.compressionRatio > 1, "ratio \(io.compressionRatio)") }
            if codec == .identity { #expect(io.compressionRatio == 1) }
            #expect(store.diskBytesInUse == 0 && store.slotFileBytes > 0)
            store.removeAll()
            #expect(ScratchDirectory.slotFiles(directory).isEmpty && store.slotFileBytes == 0)
        }
        #expect(!FileManager.default.fileExists(atPath: directory), "the run's directory goes with the store")
    }

    @Test func aStructStateRoundTrips() throws {
        let store = try FileCheckpointStore<Particles>(capacity: 1, codec: .shuffledZstd())
        let particles = Particles(positions: state(3, count: 100), masses: [1, -0.0, .nan], time: 2.5, scale: 7)
        try store.store(particles, step: 3, slot: 0)
        try store.flush()
        let back = try store.restore(step: 3, slot: 0, release: true)
        #expect(bits(back.positions) == bits(particles.positions) && bits(back.masses) == bits(particles.masses))
        #expect(back.time == 2.5 && back.scale == 7)
    }

    @Test func readAheadAndSynchronousPathsAreCounted() throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 2, codec: .zstd(level: 1), writeBehind: 1, readAhead: 1)
        try store.store(state(1), step: 1, slot: 0)
        try store.store(state(2), step: 2, slot: 1)
        try store.flush()
        store.prefetch(step: 2, slot: 1)
        store.prefetch(step: 1, slot: 0)  // over the read-ahead depth of 1: ignored
        #expect(bits(try store.restore(step: 2, slot: 1, release: true)) == bits(state(2)))
        #expect(bits(try store.restore(step: 1, slot: 0, release: false)) == bits(state(1)))
        let io = store.statistics
        #expect(io.prefetches == 1 && io.restoresFromReadAhead == 1 && io.restoresFromWriteBuffer == 0)
        #expect(io.bytesRead == io.bytesWritten && io.bytesWritten == 2 * 80 + io.encodedBytesStored)
        #expect(io.backgroundSeconds > 0 && io.blockingSeconds > 0)
        #expect(store.bytesInUse > 0 && store.bytesInUse <= 3 * state(0).checkpointEncodedByteCount)
        #expect(ScratchDirectory.slotFiles(store.directory).sorted() == ["slot-0.ckpt", "slot-1.ckpt"])
        store.removeAll()
        #expect(ScratchDirectory.slotFiles(store.directory).isEmpty && store.bytesInUse == 0)
    }

    @Test func slotMisuseIsATypedError() throws {
        let store = try FileCheckpointStore<[Double]>(capacity: 2)
        try store.store([1], step: 4, slot: 0)
        #expect(throws: CheckpointStoreError.slotOutOfRange(slot: 2, capacity: 2)) { try store.store([1], step: 5, slot: 2) }
        #expect(throws: CheckpointStoreError.slotOccupied(slot: 0, heldStep: 4)) { try store.store([1], step: 5, slot: 0) }
        #expect(throws: CheckpointStoreError.missingCheckpoint(step: 5, slot: 0, heldStep: 4)) {
            try store.restore(step: 5, slot: 0, release: false)
        }
        #expect(throws: CheckpointStoreError.missingCheckpoint(step: 5, slot: 1, heldStep: nil)) {
            try store.restore(step: 5, slot: 1, release: false)
        }
    }

    // MARK: Damaged files are refused

    /// Stores x7 in slot 0, lets `damage` change the file, and returns the restore's error.
    func restoreAfter(codec: CheckpointCodec = .zstd(level: 1), _ damage: (String, FileCheckpointStore<[Double]>) throws -> Void) throws -> CheckpointStoreError? {
        let store = try FileCheckpointStore<[Double]>(capacity: 2, codec: codec)
        try store.store(state(7), step: 7, slot: 0)
        try store.flush()
        try damage(store.filePath(slot: 0), store)
        do {
            let x = try store.restore(step: 7, slot: 0, release: true)
            Issue.record("a damaged file was accepted; equal to x7: \(bits(x) == bits(state(7)))")
            return nil
        } catch {
            return error
        }
    }

    func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func isCorrupt(_ error: CheckpointStoreError?, _ words: String) -> Bool {
        guard case let .corrupt(step, slot, reason) = error else { return false }
        return step == 7 && slot == 0 && reason.contains(words)
    }

    @Test(arguments: [.identity, CheckpointCodec.zstd(level: 1), .shuffledZstd()])
    func aFlippedPayloadByteIsDetected(codec: CheckpointCodec) throws {
        for position in [80, 81, 200, -1] {
            let error = try restoreAfter(codec: codec) { path, _ in
                try modify(path) { bytes in bytes[position < 0 ? bytes.count - 1 : position] ^= 0x10 }
            }
            #expect(isCorrupt(error, "checksum"), "codec \(codec), byte \(position): \(String(describing: error))")
        }
    }

    @Test func aFlippedHeaderByteIsDetected() throws {
        for position in [9, 20, 26, 41, 50, 60, 66, 75] {
            let error = try restoreAfter { path, _ in try modify(path) { $0[position] ^= 1 } }
            #expect(isCorrupt(error, "header checksum"), "byte \(position): \(String(describing: error))")
        }
    }

    @Test func aTruncatedFileIsDetected() throws {
        for keep in [0, 50, 80, 81, -1] {
            let error = try restoreAfter { path, _ in
                try modify(path) { bytes in bytes.removeLast(keep < 0 ? 1 : bytes.count - keep) }
            }
            #expect(isCorrupt(error, "truncated"), "kept \(keep): \(String(describing: error))")
        }
        // Longer than any tail a store leaves behind (one page, or an eighth of the checkpoint).
        let extended = try restoreAfter { path, _ in
            try modify(path) { bytes in bytes += [UInt8](repeating: 0, count: 4097 + bytes.count / 8) }
        }
        #expect(isCorrupt(extended, "extended"), "\(String(describing: extended))")
    }

    @Test func aForeignFileIsDetected() throws {
        let text = try restoreAfter { path, _ in try Data(String(repeating: "not a checkpoint\n", count: 20).utf8).write(to: URL(fileURLWithPath: path)) }
        #expect(isCorrupt(text, "foreign"), "\(String(describing: text))")
        let linked = try restoreAfter { path, _ in
            unlink(path)
            Glibc.symlink("/etc/passwd", path)
        }
        #expect(isCorrupt(linked, "not a regular file"), "\(String(describing: linked))")
        let missing = try restoreAfter { path, _ in unlink(path) }
        #expect(isCorrupt(missing, "missing"), "\(String(describing: missing))")
    }

    @Test func staleFilesAreDetected() throws {
        // A file of another run, same slot and step.
        let other = try FileCheckpointStore<[Double]>(capacity: 1, codec: .zstd(level: 1))
        try other.store(state(7), step: 7, slot: 0)
        try other.flush()
        let otherRun = try restoreAfter { path, _ in
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: other.filePath(slot: 0), toPath: path)
        }
        #expect(isCorrupt(otherRun, "another run"), "\(String(describing: otherRun))")
        // A file of this run but an older step in the same slot.
        let store = try FileCheckpointStore<[Double]>(capacity: 1, codec: .zstd(level: 1))
        try store.store(state(3), step: 3, slot: 0)
        try store.flush()
        let old = try Data(contentsOf: URL(fileURLWithPath: store.filePath(slot: 0)))
        _ = try store.restore(step: 3, slot: 0, release: true)
        try store.store(state(7), step: 7, slot: 0)
        try store.flush()
        try old.write(to: URL(fileURLWithPath: store.filePath(slot: 0)))
        #expect {
            try store.restore(step: 7, slot: 0, release: true)
        } throws: { error in
            guard case let .corrupt(7, 0, reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("holds x3")
        }
    }

    // MARK: Disk full, read-only directories, clean-up

    @Test(.enabled(if: TinyFilesystem.available, "needs permission to mount a tmpfs (root)"))
    func aFullDiskIsATypedErrorAndLeavesNoFile() throws {
        let disk = try #require(TinyFilesystem(kilobytes: 64))
        let big = state(0, count: 20_000)  // 160 kB: more than the disk
        var directory = ""
        do {
            let store = try FileCheckpointStore<[Double]>(capacity: 1, directory: disk.path, writeBehind: 0)
            directory = store.directory
            #expect {
                try store.store(big, step: 0, slot: 0)
            } throws: { error in
                guard case let .writeFailed(path, needed, reason) = error as? CheckpointStoreError else { return false }
                return path == directory + "/slot-0.ckpt" && needed == 80 + big.checkpointEncodedByteCount && reason.contains("ENOSPC")
            }
            #expect(ScratchDirectory.slotFiles(directory).isEmpty, "the partial file is removed")
            // The store still works for what fits.
            try store.store(state(1, count: 100), step: 1, slot: 0)
            #expect(bits(try store.restore(step: 1, slot: 0, release: true)) == bits(state(1, count: 100)))
        }
        #expect(ScratchDirectory.entries(disk.path).isEmpty, "nothing left after the store is released")
    }

    @Test(.enabled(if: TinyFilesystem.available, "needs permission to mount a tmpfs (root)"))
    func aFailedWriteBehindIsReportedAtTheNextCall() throws {
        let disk = try #require(TinyFilesystem(kilobytes: 64))
        let store = try FileCheckpointStore<[Double]>(capacity: 2, directory: disk.path, writeBehind: 2)
        try store.store(state(0, count: 20_000), step: 0, slot: 0)  // returns: the write is behind
        #expect {
            try store.flush()
        } throws: { error in
            guard case let .writeFailed(_, _, reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("ENOSPC")
        }
        #expect(ScratchDirectory.slotFiles(store.directory).isEmpty)
    }

    /// Root ignores permission bits, so a read-only directory is made for real with a
    /// read-only mount when running as root, and with chmod 0500 otherwise.
    @Test(.enabled(if: geteuid() != 0 || TinyFilesystem.available, "as root (which ignores permission bits) needs permission to mount a tmpfs"))
    func aReadOnlyParentDirectoryIsATypedError() throws {
        let scratch = ScratchDirectory()
        let readOnly: TinyFilesystem?
        if geteuid() == 0 {
            let mounted: TinyFilesystem = try #require(TinyFilesystem(kilobytes: 64, readOnly: true))
            readOnly = mounted
        } else {
            readOnly = nil
            chmod(scratch.path, 0o500)
        }
        let parent = readOnly?.path ?? scratch.path
        defer { withExtendedLifetime(readOnly) { _ = chmod(scratch.path, 0o700) } }
        #expect {
            try FileCheckpointStore<[Double]>(capacity: 1, directory: parent)
        } throws: { error in
            guard case let .unavailable(reason) = error as? CheckpointStoreError else { return false }
            return reason.contains(parent) && (reason.contains("EACCES") || reason.contains("EROFS"))
        }
    }

    @Test func aFileWhereTheDirectoryShouldBeIsATypedError() throws {
        let scratch = ScratchDirectory()
        let file = scratch.path + "/plain-file"
        _ = FileManager.default.createFile(atPath: file, contents: Data([1]))
        #expect {
            try FileCheckpointStore<[Double]>(capacity: 1, directory: file)
        } throws: { error in
            guard case let .unavailable(reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("ENOTDIR")
        }
        #expect(throws: CheckpointStoreError.self) { try FileCheckpointStore<[Double]>(capacity: 1, directory: scratch.path + "/missing") }
    }

    /// The run's own directory turns read-only after creation: chmod 0500 for a normal
    /// user; for root (which ignores permission bits) its filesystem is remounted read-only.
    /// Stores then fail with a typed error naming the path and the bytes needed.
    @Test(.enabled(if: geteuid() != 0 || TinyFilesystem.available, "as root (which ignores permission bits) needs permission to mount a tmpfs"))
    func aReadOnlyRunDirectoryFailsStoresWithATypedError() throws {
        var disk: TinyFilesystem?
        if geteuid() == 0 {
            let mounted: TinyFilesystem = try #require(TinyFilesystem(kilobytes: 256))
            disk = mounted
        }
        let store = try FileCheckpointStore<[Double]>(capacity: 1, directory: disk?.path, writeBehind: 0)
        let directory = store.directory
        if let disk {
            try #require(disk.remountReadOnly())
        } else {
            chmod(directory, 0o500)
        }
        defer { if disk == nil { chmod(directory, 0o700) } }
        #expect {
            try store.store([1, 2, 3], step: 0, slot: 0)
        } throws: { error in
            guard case let .writeFailed(path, needed, reason) = error as? CheckpointStoreError else { return false }
            return path == directory + "/slot-0.ckpt" && needed == 80 + 32 && (reason.contains("EACCES") || reason.contains("EROFS"))
        }
    }

    @Test func noFileIsLeftAfterAThrownErrorOrAtRelease() throws {
        var directory = ""
        do {
            let store = try FileCheckpointStore<[Double]>(capacity: 3, codec: .shuffledZstd(), writeBehind: 2)
            directory = store.directory
            for slot in 0 ..< 3 { try store.store(state(slot), step: slot, slot: slot) }
            try store.flush()
            #expect(ScratchDirectory.slotFiles(directory).count == 3)
            // A restore that throws (corrupt file) mid-run: the driver unwinds and releases the store.
            try modify(store.filePath(slot: 1)) { $0[100] ^= 0xFF }
            #expect(throws: CheckpointStoreError.self) { try store.restore(step: 1, slot: 1, release: true) }
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
