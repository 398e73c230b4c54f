import CheckpointStorage
import CheckpointedAD
import Foundation
import Testing

/// Damaged checkpoint files in the middle of a real two-level gradient: each is a typed
/// `corrupt` error, never a wrong gradient, and the run's directory is gone afterwards.
@Suite struct CorruptCheckpointFaultTests {
    @Test func anUndamagedRunIsBitwiseStoreAll() throws {
        let root = CheckpointRoot()
        let reference = try storeAllGradient()
        let g = try twoLevelGradient(root: root) { _ in }
        #expect(g.initialState == reference.initialState && g.parameters == reference.parameters && g.value == reference.value)
        #expect((g.statistics.restores[.disk] ?? 0) > 0, "the run read checkpoints back from disk")
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test func aFlippedByteIsACorruptCheckpoint() throws {
        let root = CheckpointRoot()
        #expect {
            _ = try twoLevelGradient(root: root) { _ in
                for file in root.slotFiles { try? modify(file) { $0[$0.count / 2] ^= 0x40 } }
            }
        } throws: { isCorruptCheckpoint($0) }
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test func aTruncatedFileIsACorruptCheckpoint() throws {
        let root = CheckpointRoot()
        #expect {
            _ = try twoLevelGradient(root: root) { _ in
                for file in root.slotFiles { truncate(file, 100) }
            }
        } throws: { isCorruptCheckpoint($0) }
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test func aForeignFileIsACorruptCheckpoint() throws {
        // Another run's checkpoint of the same step in the same slot: a valid file with
        // another run's identifier.
        let root = CheckpointRoot()
        let other = CheckpointRoot()
        let foreign = try FileCheckpointStore<Vector>(capacity: 8, directory: other.path, codec: .shuffledZstd(level: 1), writeBehind: 0)
        for slot in 0..<8 { try foreign.store(faultInitialState(), step: 0, slot: slot) }
        let foreignFiles = (0..<8).map { foreign.filePath(slot: $0) }
        #expect {
            _ = try twoLevelGradient(root: root) { _ in
                for file in root.slotFiles {
                    let name = String(file.split(separator: "/").last!)
                    let slot = Int(name.dropFirst("slot-".count).dropLast(".ckpt".count))!
                    try? FileManager.default.removeItem(atPath: file)
                    try? FileManager.default.copyItem(atPath: foreignFiles[slot], toPath: file)
                }
            }
        } throws: { isCorruptCheckpoint($0) }
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }
}
