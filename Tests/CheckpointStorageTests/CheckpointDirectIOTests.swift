@testable import CheckpointStorage
import Testing

/// The buffer layout of direct I/O: the file's image (header headroom, state, padding) in
/// one allocation whose address and length are whole blocks.
@Suite struct CheckpointDirectIOTests {
    @Test(arguments: [1 << 20, (1 << 20) + 1, 3_000_017, 4096 * 300 - 80])
    func aBufferIsTheFilesImageInWholeAlignedBlocks(rawCount: Int) throws {
        let io = try #require(CheckpointDirectIO())
        let buffer = io.makeBuffer(rawCount: rawCount)
        buffer.count = rawCount
        let image = buffer.allocation
        #expect(Int(bitPattern: image.baseAddress) % 4096 == 0)
        #expect(image.count % 4096 == 0)
        #expect(image.count >= 80 + rawCount && image.count < 80 + rawCount + 4096, "one partial block of padding at most")
        #expect(buffer.headroom == 80 && buffer.base == image.baseAddress! + 80)
        #expect(io.fits(buffer))
        #expect(io.padded(80 + rawCount) == image.count)
    }

    @Test func smallStatesAndOtherBuffersAreNotMovedDirectly() throws {
        let io = try #require(CheckpointDirectIO())
        #expect(!io.wants(rawCount: (1 << 20) - 1) && io.wants(rawCount: 1 << 20))
        let plain = ByteBuffer(capacity: 2 << 20)
        plain.count = 2 << 20
        #expect(!io.fits(plain), "no headroom for the header")
        let large = io.makeBuffer(rawCount: 2 << 20)
        large.count = 1000
        #expect(!io.fits(large), "a small state in a large buffer stays buffered")
    }

    @Test func aPoolLaysOutLargeStatesForDirectIOAndCountsTheirPadding() throws {
        let io = try #require(CheckpointDirectIO())
        var pool = CheckpointBufferPool(limit: 2, directIO: io)
        let large = pool.take(count: 1 << 20)
        let small = pool.take(count: 1000)
        #expect(io.fits(large) && large.headroom == 80)
        #expect(small.headroom == 0)
        #expect(pool.bytesInUse == io.padded(80 + (1 << 20)) + 1000)
        pool.recycle(large)
        pool.recycle(small)
        pool.freePooled()
        #expect(pool.bytesInUse == 0)
    }

    @Test func refusingTurnsDirectIOOffForNewBuffers() throws {
        let io = try #require(CheckpointDirectIO())
        var pool = CheckpointBufferPool(limit: 1, directIO: io)
        #expect(!io.isRefused)
        io.refuse()
        #expect(io.isRefused && pool.take(count: 1 << 20).headroom == 0)
    }
}
