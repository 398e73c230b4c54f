import CheckpointStorage
import CheckpointedAD
import Foundation
import Testing

/// Several runs in one checkpoint root at once: each has its own directory and run
/// identifier, each gradient is the store-all gradient, nothing is left.
@Suite struct ConcurrentRunsFaultTests {
    @Test func fourConcurrentRunsInOneRootAreEachBitwiseStoreAll() async throws {
        let root = CheckpointRoot()
        let reference = try storeAllGradient()
        let (x0, p, value) = (reference.initialState, reference.parameters, reference.value)
        let matches = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let g = try twoLevelGradient(root: root) { _ in }
                    return g.initialState == x0 && g.parameters == p && g.value == value
                }
            }
            var all: [Bool] = []
            for try await match in group { all.append(match) }
            return all
        }
        #expect(matches == [true, true, true, true], "every concurrent gradient is bitwise store-all")
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }

    @Test(.enabled(if: RewindProcess.binary != nil, "the rewind executable is not next to the test bundle"))
    func twoProcessesInOneRootDoNotDisturbEachOther() throws {
        let root = CheckpointRoot()
        let arguments = ["demo", "--steps", "3000", "--memory", "16KB", "--disk", "200KB", "--checkpoint-dir", root.path]
        let first = try RewindProcess(arguments)
        let second = try RewindProcess(arguments)
        let (a, b) = (first.wait(), second.wait())
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }
}
