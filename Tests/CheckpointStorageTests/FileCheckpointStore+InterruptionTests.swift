@testable import CheckpointStorage
import Foundation
import Testing

/// Terminating a store from another thread, as the interruption clean-up does.
@Suite struct FileCheckpointStoreInterruptionTests {
    func state(_ step: Int) -> [Double] { (0 ..< 4096).map { Double($0 * step) } }

    @Test(arguments: [0, 2])
    func terminationRemovesEverythingAndLaterCallsFail(writeBehind: Int) throws {
        let root = ScratchDirectory()
        let store = try FileCheckpointStore<[Double]>(capacity: 4, directory: root.path, codec: .shuffledZstd(level: 1), writeBehind: writeBehind)
        for slot in 0 ..< 3 { try store.store(state(slot), step: slot, slot: slot) }
        let removed = try #require(store.terminate())
        #expect(removed.path == store.directory)
        #expect(removed.files <= 3)
        #expect(ScratchDirectory.entries(root.path).isEmpty, "the directory is gone")
        #expect(store.terminate() == nil, "a second termination does nothing")
        #expect {
            try store.store(state(3), step: 3, slot: 3)
        } throws: { error in
            guard case let .unavailable(reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("interrupted") && reason.contains(removed.path)
        }
        #expect(throws: CheckpointStoreError.self) { _ = try store.restore(step: 0, slot: 0, release: true) }
    }

    @Test func terminationWhileAnotherThreadStoresLeavesNothing() async throws {
        let root = ScratchDirectory()
        let store = try FileCheckpointStore<[Double]>(capacity: 64, directory: root.path, writeBehind: 2, readAhead: 1)
        let box = UncheckedBox(store)
        let writer = Task.detached {
            var stored = 0
            do {
                for step in 0 ..< 64 {
                    try box.store.store((0 ..< 8192).map { Double($0 + step) }, step: step, slot: step)
                    stored += 1
                }
            } catch {}
            return stored
        }
        while store.statistics.stores < 4 { await Task.yield() }
        _ = store.terminate()
        _ = await writer.value
        #expect(ScratchDirectory.entries(root.path).isEmpty, "no file written after the directory went")
    }
}

/// A store handed to one other task in a test (the store is not Sendable by design).
final class UncheckedBox: @unchecked Sendable {
    let store: FileCheckpointStore<[Double]>
    init(_ store: FileCheckpointStore<[Double]>) { self.store = store }
}
