@testable import CheckpointStorage
import Glibc
import SystemPackage
import Testing

/// A real ENOSPC from the kernel: /dev/full accepts opens and fails every write with ENOSPC.
/// The store writes every file through `writeCompletely`, so this is its disk-full path.
/// Skipped where /dev/full is not that device (a plain file there accepts every write).
@Test(.enabled(if: devFullIsTheFullDevice, "needs /dev/full to be the character device that fails writes with ENOSPC"))
func writingToDevFullIsATypedENOSPC() throws {
    let fd = open("/dev/full", O_WRONLY)
    try #require(fd >= 0)
    defer { close(fd) }
    let bytes = randomBytes(4096, seed: 1)
    #expect {
        try bytes.withUnsafeBytes { try FileDescriptor(rawValue: fd).writeCompletely($0, path: "/dev/full", bytesNeeded: 4176) }
    } throws: { error in
        guard case let .writeFailed(path, needed, reason) = error as? CheckpointStoreError else { return false }
        return path == "/dev/full" && needed == 4176 && reason.contains("ENOSPC")
            && "\(error)".contains("could not write 4176 bytes to /dev/full")
    }
}

/// A real short write: a non-blocking pipe takes what fits in its buffer (64 KiB on Linux)
/// and then refuses the rest with EAGAIN. The error says how far the write got.
@Test func aShortWriteSaysHowFarItGot() throws {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer { close(ends[0]); close(ends[1]) }
    try #require(fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK) == 0)
    let capacity = Int(fcntl(ends[1], 1032 /* F_GETPIPE_SZ */))
    let bytes = randomBytes(capacity + 5000, seed: 2)
    #expect {
        try bytes.withUnsafeBytes { try FileDescriptor(rawValue: ends[1]).writeCompletely($0, path: "pipe", bytesNeeded: bytes.count) }
    } throws: { error in
        guard case let .writeFailed(_, needed, reason) = error as? CheckpointStoreError else { return false }
        return needed == bytes.count && reason.contains("short write (\(capacity) of \(bytes.count) bytes)")
    }
}
