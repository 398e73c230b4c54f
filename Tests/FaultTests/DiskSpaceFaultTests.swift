import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD
import Foundation
import Glibc
import Testing

/// A tmpfs of `kilobytes` on a fresh directory, when this process may mount one.
final class SmallFilesystem: @unchecked Sendable {
    let root = CheckpointRoot()
    init?(kilobytes: Int) {
        guard mount("tmpfs", root.path, "tmpfs", 0, "size=\(kilobytes)k,mode=0755") == 0 else { return nil }
    }
    deinit { umount2(root.path, 2 /* MNT_DETACH */) }

    static let mayMount: Bool = SmallFilesystem(kilobytes: 4) != nil
}

/// Writes to a new file at `path` until the file system is full.
func fillUp(_ path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let block = [UInt8](repeating: 1, count: 4096)
    while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
}

/// A full file system, before and during a planned disk run.
@Suite(.enabled(if: SmallFilesystem.mayMount, "this process may not mount a tmpfs (not root, or the container forbids mount); ENOSPC needs a small file system"))
struct DiskSpaceFaultTests {
    static let stateBytes = faultInitialState().checkpointByteCount

    /// A plan that must use the disk: memory for the working set and three states.
    func planned(root: String, diskBytes: Int, beforeStep hook: @escaping @Sendable () -> Void = {}) throws
        -> CheckpointedGradient<Vector, Vector, Double> {
        let working = CheckpointingOptions().workingBytes(steps: faultSteps, stateBytes: Self.stateBytes)
        return try valueWithCheckpointedGradient(
            at: faultInitialState(), parameters: 1.3, steps: faultSteps,
            checkpointing: .planned(memory: .bytes(working + 8 * Self.stateBytes),
                                    disk: DiskBudget(bytes: diskBytes, directory: root, writeLatency: 0, readLatency: 0),
                                    stepTimes: StepTimes(advance: 1e-3, reverse: 3e-3)),
            step: { x, a, i in
                hook()
                return faultStep(x, a, i)
            },
            loss: { $0.halfSquaredNorm() })
    }

    @Test func aBudgetBeyondTheFreeSpaceIsRefusedBeforeTheForwardSweep() throws {
        let disk = try #require(SmallFilesystem(kilobytes: 64))
        #expect {
            _ = try planned(root: disk.root.path, diskBytes: 10_000_000)
        } throws: { error in
            guard case let .insufficientDiskSpace(needed, available, directory) = error as? CheckpointingError else { return false }
            return needed > available && directory == disk.root.path
        }
        #expect(disk.root.leftovers.isEmpty, "\(disk.root.leftovers)")
    }

    @Test func spaceTakenByOthersMidRunIsATypedENOSPC() throws {
        let disk = try #require(SmallFilesystem(kilobytes: 256))
        let filler = disk.root.path + "/filler"
        let counter = CallCounter()
        #expect {
            // After a few recording steps another program fills the file system.
            _ = try planned(root: disk.root.path, diskBytes: 100_000) {
                if counter.reached(3) { fillUp(filler) }
            }
        } throws: { error in
            guard case let .storage(.writeFailed(_, _, reason)) = error as? CheckpointingError else { return false }
            return reason.contains("ENOSPC")
        }
        try FileManager.default.removeItem(atPath: filler)
        #expect(disk.root.leftovers.isEmpty, "\(disk.root.leftovers)")
    }
}
