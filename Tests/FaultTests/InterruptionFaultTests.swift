import CheckpointStorage
import Foundation
import Glibc
import Testing

/// Signals in the middle of a disk run of the `rewind` executable, and what is left after.
@Suite(.enabled(if: RewindProcess.binary != nil, "the rewind executable is not next to the test bundle; build it with swift build --build-tests"))
struct InterruptionFaultTests {
    /// Starts a disk run under `root` and waits until its own directory holds checkpoint files.
    func runningDiskRun(root: CheckpointRoot) throws -> RewindProcess {
        let child = try RewindProcess(RewindProcess.diskRun(root: root.path))
        let pid = child.process.processIdentifier
        let writing = RewindProcess.waitUntil {
            ((try? CheckpointRunDirectory.scan(root: root.path)) ?? []).contains { $0.owner.processID == pid && $0.files > 0 }
        }
        #expect(writing, "the disk run never wrote a checkpoint")
        return child
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, 143, "SIGTERM"), (SIGHUP, 129, "SIGHUP")])
    func aHandledSignalRemovesTheRunDirectoryAndExits128PlusN(signal: Int32, status: Int32, name: String) throws {
        let root = CheckpointRoot()
        let child = try runningDiskRun(root: root)
        child.send(signal)
        let outcome = child.wait()
        #expect(outcome.reason == .exit && outcome.status == status, "\(outcome)")
        #expect(outcome.stderr.contains("interrupted by \(name); removed the checkpoint directory \(root.path)/rewind-"), "\(outcome.stderr)")
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test func afterSIGKILLCleanRemovesTheStaleDirectory() throws {
        let root = CheckpointRoot()
        let child = try runningDiskRun(root: root)
        child.send(SIGKILL)
        let outcome = child.wait()
        #expect(outcome.reason == .uncaughtSignal && outcome.status == SIGKILL)
        let left = try CheckpointRunDirectory.scan(root: root.path)
        #expect(left.count == 1 && left.first?.isStale == true && (left.first?.files ?? 0) > 0, "SIGKILL leaves the directory, marked stale")

        let dryRun = try RewindProcess(["clean", "--dry-run", "--checkpoint-dir", root.path]).wait()
        #expect(dryRun.status == 0 && !root.leftovers.isEmpty, "a dry run removes nothing")
        let clean = try RewindProcess(["clean", "--checkpoint-dir", root.path]).wait()
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test func afterSIGKILLTheNextRunReapsTheStaleDirectory() throws {
        let root = CheckpointRoot()
        let child = try runningDiskRun(root: root)
        child.send(SIGKILL)
        _ = child.wait()
        #expect(try CheckpointRunDirectory.scan(root: root.path).first?.isStale == true)
        // The next disk run under the root, interrupted in turn: nothing of either is left.
        let next = try runningDiskRun(root: root)
        #expect(try CheckpointRunDirectory.scan(root: root.path).allSatisfy { !$0.isStale }, "the new run reaped the old directory")
        next.send(SIGTERM)
        #expect(next.wait().status == 143)
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test func cleanNeverRemovesALiveRunsDirectory() throws {
        let root = CheckpointRoot()
        let child = try runningDiskRun(root: root)
        let clean = try RewindProcess(["clean", "--checkpoint-dir", root.path]).wait()
        #expect(clean.status == 0)
        let live = try CheckpointRunDirectory.scan(root: root.path)
        #expect(live.count == 1 && live.first?.liveness == .alive, "the running run's directory is still there")
        child.send(SIGINT)
        #expect(child.wait().status == 130)
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }
}
