import CheckpointStorage
import Foundation
import Testing

@Suite struct FileSystemSpaceTests {
    /// statvfs agrees with the file system's own report of free space, within what other
    /// processes may write in between (1%).
    @Test func availableBytesMatchFoundation() throws {
        let available = try FileSystemSpace.availableBytes(under: "/tmp")
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: "/tmp")
        let free = try #require((attributes[.systemFreeSize] as? NSNumber)?.doubleValue)
        #expect(available > 0)
        // Foundation reports free blocks (root's reserve included), statvfs the available ones.
        #expect(Double(available) <= free * 1.01)
    }

    @Test func aMissingDirectoryIsATypedError() {
        #expect {
            try FileSystemSpace.availableBytes(under: "/nonexistent-rewind-directory")
        } throws: { error in
            guard case let .unavailable(reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("/nonexistent-rewind-directory") && reason.contains("choose an existing")
        }
    }

    @Test func theParentDefaultsToTMPDIRThenSlashTmp() {
        #expect(FileSystemSpace.checkpointParent("/var/data") == "/var/data")
        let environment = ProcessInfo.processInfo.environment["TMPDIR"]
        let expected = environment.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        #expect(FileSystemSpace.checkpointParent(nil) == expected)
    }
}
