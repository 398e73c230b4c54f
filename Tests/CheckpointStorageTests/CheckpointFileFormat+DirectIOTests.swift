@testable import CheckpointStorage
import Foundation
import Glibc
import Testing

/// A run directory with a direct-I/O switch, and formats over it with one run identifier.
final class DirectIOFixture {
    private let scratch = ScratchDirectory()
    let directory: CheckpointDirectory
    let io: CheckpointDirectIO

    init(parent: String? = nil, alignment: Int = 4096) throws {
        directory = try CheckpointDirectory(under: parent ?? scratch.path)
        guard let io = CheckpointDirectIO(alignment: alignment) else { throw CheckpointStoreError.unavailable(reason: "no O_DIRECT in this build") }
        self.io = io
    }

    deinit {
        directory.removeEveryFile()
        directory.remove()
    }

    /// The identity format, moving large states directly when `direct`.
    func format(direct: Bool, sync: Bool = false) -> CheckpointFileFormat {
        CheckpointFileFormat(directory: directory, runID: 0x5EED, codec: .identity, syncEveryCheckpoint: sync, directIO: direct ? io : nil)
    }

    /// The bytes of `slot`'s file.
    func file(_ slot: Int = 0) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: directory.path(slot: slot)) ?? Data()) }

    /// Cuts or extends `slot`'s file to `length` bytes.
    func resize(_ slot: Int = 0, to length: Int) { #expect(truncate(directory.path(slot: slot), off_t(length)) == 0) }

    /// A buffer holding `values`: laid out for direct I/O when `direct`.
    func buffer(_ values: [Double], direct: Bool = true) -> ByteBuffer {
        let buffer = direct ? io.makeBuffer(rawCount: values.count * 8) : ByteBuffer(capacity: values.count * 8)
        buffer.count = values.count * 8
        values.withUnsafeBytes { buffer.mutableBytes.copyMemory(from: $0) }
        return buffer
    }

    /// An empty buffer for a state of `count` doubles.
    func emptyBuffer(count: Int, direct: Bool = true) -> ByteBuffer { buffer([Double](repeating: 0, count: count), direct: direct) }
}

/// The doubles in a buffer.
func doubles(_ buffer: ByteBuffer) -> [Double] { Array(buffer.bytes.bindMemory(to: Double.self)) }

/// Whether the filesystem of `directory` takes a page-aligned `O_DIRECT` write (ext4 and xfs
/// do; tmpfs does since Linux 6.6).
func acceptsDirectIO(_ directory: String) -> Bool { directWriteProbe(directory, length: 4096) == 0 }

/// Whether the filesystem of `directory` refuses an `O_DIRECT` write of 4100 bytes with
/// `EINVAL` (block filesystems do; tmpfs copies it through its cache).
func refusesMisalignedDirectIO(_ directory: String) -> Bool { directWriteProbe(directory, length: 4100) == EINVAL }

/// The errno of one `O_DIRECT` write of `length` bytes from a page-aligned buffer (0: success).
func directWriteProbe(_ directory: String, length: Int) -> Int32 {
    guard let flag = CheckpointDirectIO.openFlag else { return EINVAL }
    let path = directory + "/direct-probe"
    defer { unlink(path) }
    let fd = open(path, O_CREAT | O_WRONLY | flag, 0o600)
    guard fd >= 0 else { return errno }
    defer { close(fd) }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8192, alignment: 4096)
    defer { buffer.deallocate() }
    buffer.initializeMemory(as: UInt8.self, repeating: 7, count: 8192)
    return pwrite(fd, buffer, length, 0) == length ? 0 : errno
}

/// A fresh identity compressor (one per use: codec contexts are not shared between tests).
var identityCompressor: CheckpointCompressor { CheckpointCompressor(codec: .identity) }
/// A fresh identity decompressor.
var identityDecompressor: CheckpointDecompressor { CheckpointDecompressor(codec: .identity) }

@Suite struct CheckpointFileFormatDirectIOTests {
    /// 1.2 MB: above the 1 MiB from which states move directly, not a whole number of blocks.
    static let count = 150_001

    @Test func aDirectFileIsTheBufferedFileWithZeroPaddingToABlock() throws {
        let direct = try DirectIOFixture(), buffered = try DirectIOFixture()
        try #require(acceptsDirectIO(direct.directory.path), "the test directory's filesystem takes O_DIRECT")
        let x = state(3, count: Self.count)
        let written = direct.format(direct: true).write(direct.buffer(x), step: 3, slot: 0, compressor: identityCompressor)
        let reference = buffered.format(direct: false).write(buffered.buffer(x, direct: false), step: 3, slot: 0, compressor: identityCompressor)
        #expect(written.isDirect && !reference.isDirect)
        #expect(try written.result.get() == 80 + 8 * Self.count)
        #expect(try reference.result.get() == 80 + 8 * Self.count)
        let file = direct.file(), expected = buffered.file()
        #expect(expected.count == 80 + 8 * Self.count)
        #expect(file.count == direct.io.padded(expected.count) && file.count % 4096 == 0)
        #expect(Array(file[..<expected.count]) == expected, "header and payload byte for byte as the page-cache path writes them")
        #expect(file[expected.count...].allSatisfy { $0 == 0 }, "the padding is zeros")
    }

    @Test(arguments: [false, true])
    func directRoundTripsAreBitExact(sync: Bool) throws {
        let fixture = try DirectIOFixture()
        try #require(acceptsDirectIO(fixture.directory.path))
        let x = state(7, count: Self.count)
        let format = fixture.format(direct: true, sync: sync)
        #expect(format.write(fixture.buffer(x), step: 7, slot: 2, compressor: identityCompressor).isDirect)
        let back = fixture.emptyBuffer(count: Self.count)
        let read = format.read(step: 7, slot: 2, into: back, decompressor: identityDecompressor)
        #expect(read.isDirect)
        #expect(try read.result.get() == 80 + 8 * Self.count)
        #expect(bits(doubles(back)) == bits(x))
        // The format is unchanged: the page-cache path reads the direct file too.
        let viaCache = fixture.emptyBuffer(count: Self.count, direct: false)
        let cached = fixture.format(direct: false).read(step: 7, slot: 2, into: viaCache, decompressor: identityDecompressor)
        #expect(!cached.isDirect)
        #expect(try cached.result.get() == 80 + 8 * Self.count)
        #expect(bits(doubles(viaCache)) == bits(x))
    }

    /// `EINVAL` for an alignment the filesystem refuses: the write and the read go through
    /// the page cache instead, with the same bytes, and direct I/O stays off.
    @Test func aRefusedTransferFallsBackToThePageCache() throws {
        let fixture = try DirectIOFixture(alignment: 8)
        try #require(refusesMisalignedDirectIO(fixture.directory.path), "needs a filesystem that checks O_DIRECT alignment")
        let x = state(5, count: Self.count)
        let written = fixture.format(direct: true).write(fixture.buffer(x), step: 5, slot: 0, compressor: identityCompressor)
        #expect(!written.isDirect && fixture.io.isRefused)
        #expect(try written.result.get() == 80 + 8 * Self.count)
        #expect(fixture.file().count == 80 + 8 * Self.count)

        let reader = try DirectIOFixture(alignment: 8)
        let format = CheckpointFileFormat(directory: fixture.directory, runID: 0x5EED, codec: .identity, syncEveryCheckpoint: false, directIO: reader.io)
        let back = reader.emptyBuffer(count: Self.count)
        let read = format.read(step: 5, slot: 0, into: back, decompressor: identityDecompressor)
        #expect(!read.isDirect && reader.io.isRefused)
        #expect(try read.result.get() == 80 + 8 * Self.count)
        #expect(bits(doubles(back)) == bits(x))
    }

    /// A real ENOSPC part of the way through the image: a typed error with the bytes the
    /// file needs, and no file left.
    @Test(.enabled(if: TinyFilesystem.available, "needs permission to mount a tmpfs (root)"))
    func aShortDirectWriteIsATypedErrorAndLeavesNoFile() throws {
        let disk = try #require(TinyFilesystem(kilobytes: 1024))
        let fixture = try DirectIOFixture(parent: disk.path)
        let transfer = fixture.format(direct: true).write(fixture.buffer(state(1, count: Self.count)), step: 1, slot: 0, compressor: identityCompressor)
        if acceptsDirectIO(fixture.directory.path) { #expect(transfer.isDirect) }
        guard case let .failure(.writeFailed(path, needed, reason)) = transfer.result else {
            Issue.record("expected a failed write, got \(transfer.result)")
            return
        }
        #expect(path == fixture.directory.path(slot: 0) && reason.contains("ENOSPC"))
        #expect(needed >= 80 + 8 * Self.count)
        #expect(!FileManager.default.fileExists(atPath: path), "the partial file is removed")
    }

    /// Files cut short (in the header, in the payload, at a block boundary) are truncated
    /// checkpoints; a longer tail than a store leaves is extended; a flipped byte fails the
    /// checksum. None is returned as a state.
    @Test(arguments: [0, 40, 80, 4096, 80 + 8 * count - 1, -4096])
    func aDirectReadOfAFileThatEndsEarlyIsTruncated(length: Int) throws {
        let fixture = try DirectIOFixture()
        try #require(acceptsDirectIO(fixture.directory.path))
        let format = fixture.format(direct: true)
        _ = format.write(fixture.buffer(state(2, count: Self.count)), step: 2, slot: 0, compressor: identityCompressor)
        fixture.resize(to: length >= 0 ? length : fixture.file().count + length)
        let read = format.read(step: 2, slot: 0, into: fixture.emptyBuffer(count: Self.count), decompressor: identityDecompressor)
        guard case let .failure(.corrupt(step, slot, reason)) = read.result else {
            Issue.record("expected a corrupt checkpoint, got \(read.result)")
            return
        }
        #expect(step == 2 && slot == 0 && reason.contains("truncated"), "\(reason)")
    }

    @Test func aDirectReadRefusesAnExtendedFileAndAFlippedByte() throws {
        let fixture = try DirectIOFixture()
        try #require(acceptsDirectIO(fixture.directory.path))
        let format = fixture.format(direct: true)
        let x = state(4, count: Self.count)
        _ = format.write(fixture.buffer(x), step: 4, slot: 0, compressor: identityCompressor)
        fixture.resize(to: 80 + 8 * Self.count + 4097 + (80 + 8 * Self.count) / 8)
        let extended = format.read(step: 4, slot: 0, into: fixture.emptyBuffer(count: Self.count), decompressor: identityDecompressor)
        guard case let .failure(.corrupt(_, _, reason)) = extended.result else { Issue.record("\(extended.result)"); return }
        #expect(reason.contains("extended"), "\(reason)")

        _ = format.write(fixture.buffer(x), step: 4, slot: 0, compressor: identityCompressor)
        var bytes = fixture.file()
        bytes[80 + 8 * 1000] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.directory.path(slot: 0)))
        let flipped = format.read(step: 4, slot: 0, into: fixture.emptyBuffer(count: Self.count), decompressor: identityDecompressor)
        guard case let .failure(.corrupt(_, _, why)) = flipped.result else { Issue.record("\(flipped.result)"); return }
        #expect(why.contains("checksum"), "\(why)")
    }

    /// A smaller state overwriting a slot file cuts off the larger one's tail, as the
    /// page-cache path does; what is left reads back exactly.
    @Test func aSmallerStateCutsTheStaleTail() throws {
        let fixture = try DirectIOFixture()
        try #require(acceptsDirectIO(fixture.directory.path))
        let format = fixture.format(direct: true)
        let large = fixture.buffer(state(0, count: 2 * Self.count))
        _ = format.write(large, step: 0, slot: 0, compressor: identityCompressor)
        let small = state(1, count: Self.count)
        // The pool hands the larger buffer back for the smaller state.
        large.count = 8 * Self.count
        small.withUnsafeBytes { large.mutableBytes.copyMemory(from: $0) }
        let written = format.write(large, step: 1, slot: 0, compressor: identityCompressor)
        #expect(written.isDirect && written.fileLength == 80 + 8 * Self.count)
        #expect(fixture.file().count == 80 + 8 * Self.count)
        let back = fixture.emptyBuffer(count: Self.count)
        #expect(try format.read(step: 1, slot: 0, into: back, decompressor: identityDecompressor).result.get() == 80 + 8 * Self.count)
        #expect(bits(doubles(back)) == bits(small))
    }

    /// Through the store, behind the caller and ahead of it or on its thread: large
    /// identity states move directly and come back bit for bit; small ones do not.
    @Test(arguments: [(0, 0), (2, 1)], [FileCheckpointStore<[Double]>.SyncPolicy.never, .everyCheckpoint])
    func largeIdentityStatesGoDirectThroughTheStore(overlap: (writeBehind: Int, readAhead: Int), sync: FileCheckpointStore<[Double]>.SyncPolicy) throws {
        let scratch = ScratchDirectory()
        try #require(acceptsDirectIO(scratch.path))
        let store = try FileCheckpointStore<[Double]>(
            capacity: 3, directory: scratch.path, writeBehind: overlap.writeBehind, readAhead: overlap.readAhead, sync: sync)
        for slot in 0 ..< 3 { try store.store(state(slot, count: Self.count), step: slot, slot: slot) }
        try store.flush()
        for slot in (0 ..< 3).reversed() {
            if slot > 0 { store.prefetch(step: slot - 1, slot: slot - 1) }
            #expect(bits(try store.restore(step: slot, slot: slot, release: true)) == bits(state(slot, count: Self.count)))
        }
        store.removeAll()
        try store.store(state(9), step: 9, slot: 0)
        #expect(bits(try store.restore(step: 9, slot: 0, release: true)) == bits(state(9)))
        let io = store.statistics
        #expect(io.directWrites == 3 && io.directReads == 3, "\(io)")
        #expect(io.writeSeconds > 0 && io.readSeconds > 0, "the system calls' time is counted: \(io)")
    }
}
