@testable import CheckpointStorage
import Foundation
import Glibc
import Testing

/// Finding run directories under a root, and reaping only the stale ones of Rewind's kind.
@Suite struct CheckpointRunDirectoryTests {
    /// An owner that ended: this host, namespace and boot, a process ID no process has.
    static func goneOwner() -> CheckpointRunOwner {
        var owner = CheckpointRunOwner.current
        owner.processID = 4_000_000  // above Linux's pid_max limit (2^22)
        return owner
    }

    /// A run directory as a killed run leaves it: an owner record and `files` slot files.
    @discardableResult
    static func makeLeftover(in root: String, owner: CheckpointRunOwner? = goneOwner(), files: Int = 3, name: String = "rewind-left1") throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        if let owner { try owner.recordText.write(toFile: path + "/owner", atomically: false, encoding: .utf8) }
        for slot in 0 ..< files { try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: path + "/slot-\(slot).ckpt")) }
        return path
    }

    @Test func aLiveStoreIsListedAndNeverRemoved() throws {
        let root = ScratchDirectory()
        let store = try FileCheckpointStore<[Double]>(capacity: 2, directory: root.path, writeBehind: 0)
        try store.store([1, 2, 3], step: 0, slot: 0)
        let found = try CheckpointRunDirectory.scan(root: root.path)
        #expect(found.map(\.path) == [store.directory])
        #expect(found.first?.liveness == .alive && found.first?.files == 1 && found.first?.owner == .current)
        let outcome = try CheckpointRunDirectory.removeStale(in: root.path)
        #expect(outcome.removed.isEmpty && outcome.live.count == 1)
        #expect(throws: CheckpointStoreError.self) { try found[0].remove() }
        #expect(ScratchDirectory.slotFiles(store.directory) == ["slot-0.ckpt"])
    }

    @Test func aStaleDirectoryIsRemovedAndADryRunOnlyListsIt() throws {
        let root = ScratchDirectory()
        let path = try Self.makeLeftover(in: root.path)
        let dry = try CheckpointRunDirectory.removeStale(in: root.path, dryRun: true)
        #expect(dry.removed.map(\.path) == [path] && dry.removed.first?.files == 3 && dry.removed.first?.bytes == 300)
        #expect(FileManager.default.fileExists(atPath: path), "a dry run removes nothing")
        let outcome = try CheckpointRunDirectory.removeStale(in: root.path)
        #expect(outcome.removed.map(\.path) == [path] && outcome.failed.isEmpty)
        #expect(ScratchDirectory.entries(root.path).isEmpty)
    }

    @Test func onlyRewindsOwnKindIsTouched() throws {
        let root = ScratchDirectory()
        // No owner record (another program's, or an older Rewind's): not listed.
        let anonymous = try Self.makeLeftover(in: root.path, owner: nil, name: "rewind-anon01")
        // A file Rewind does not write: listed as stale, but refused.
        let mixed = try Self.makeLeftover(in: root.path, name: "rewind-mixed1")
        try "keep me".write(toFile: mixed + "/notes.txt", atomically: false, encoding: .utf8)
        // Another prefix: not listed.
        let other = try Self.makeLeftover(in: root.path, name: "other-run")
        // A symbolic link named like a run directory, to a stale directory elsewhere: not followed.
        let elsewhere = ScratchDirectory()
        let target = try Self.makeLeftover(in: elsewhere.path)
        #expect(symlink(target, root.path + "/rewind-link01") == 0)

        let outcome = try CheckpointRunDirectory.removeStale(in: root.path)
        #expect(outcome.removed.isEmpty)
        #expect(outcome.failed.map(\.directory.path) == [mixed])
        #expect(outcome.failed.first?.error.description.contains("notes.txt") == true)
        for path in [anonymous, mixed, other, target] {
            #expect(ScratchDirectory.entries(path).count >= 3, "\(path) is untouched")
        }
    }

    @Test func aNewStoreReapsItsRootOnce() throws {
        let root = ScratchDirectory()
        let path = try Self.makeLeftover(in: root.path)
        let store = try FileCheckpointStore<[Double]>(capacity: 1, directory: root.path, writeBehind: 0)
        #expect(!FileManager.default.fileExists(atPath: path), "the first store under a root reaps it")
        #expect(ScratchDirectory.entries(root.path) == [String(store.directory.split(separator: "/").last!)])
    }

    @Test func aMissingRootIsATypedErrorNamingIt() {
        #expect {
            _ = try CheckpointRunDirectory.scan(root: "/nonexistent/rewind-root")
        } throws: { error in
            (error as? CheckpointStoreError)?.description.contains("/nonexistent/rewind-root") == true
        }
    }
}
