// What the fault suite shares: a scratch checkpoint root, a small differentiable problem
// whose disk files the step function can reach, and the `rewind` executable.
import _Differentiation
import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD
import Foundation
import Glibc
import RewindTestSupport

/// A checkpoint root for one test, removed (recursively) at the end. `leftovers` is what a
/// test asserts empty: every entry under the root.
final class CheckpointRoot: @unchecked Sendable {
    let path: String
    init(under parent: String = "/tmp") {
        var template = Array("\(parent)/fault-root-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Every file and directory under the root, recursively, as relative paths.
    var leftovers: [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
    }

    /// The slot files under the root's run directories.
    var slotFiles: [String] { leftovers.filter { $0.hasSuffix(".ckpt") }.map { path + "/" + $0 } }
}

let faultSteps = 40

/// x ↦ x + 0.02·(0.3a·roll(x, 1) − 0.2x + 0.05·x·roll(x, −1) + (i mod 3)/10): smooth,
/// nonlinear, cheap.
@differentiable(reverse, wrt: (x, a))
func faultStep(_ x: Vector, _ a: Double, _ i: Int) -> Vector {
    let drift = (0.3 * a) * x.rolled(by: 1) - 0.2 * x + 0.05 * (x * x.rolled(by: -1)) + Double(i % 3) / 10
    return x + 0.02 * drift
}

func faultInitialState() -> Vector {
    var generator = SplitMix64(seed: 15)
    return Vector((0..<256).map { _ in Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1 })
}

/// The store-all gradient: what every run that does not fail must return, bit for bit.
func storeAllGradient() throws -> CheckpointedGradient<Vector, Vector, Double> {
    try valueWithCheckpointedGradient(at: faultInitialState(), parameters: 1.3, steps: faultSteps, checkpointing: .storeAll,
                                      step: faultStep, loss: { $0.halfSquaredNorm() })
}

/// Counts the step function's calls across threads, to inject a fault at one of them.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    /// Counts a call; `true` exactly once, at call number `target`.
    func reached(_ target: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        calls += 1
        return calls == target
    }
}

/// A two-level run (2 memory slots, 6 disk slots in a file store under `root`), whose step
/// function calls `inject` with the store's directory once the forward sweep is over
/// (the first call after n − 1 recording advances, so every disk checkpoint is written).
func twoLevelGradient(root: CheckpointRoot, inject: @escaping @Sendable (String) -> Void) throws -> CheckpointedGradient<Vector, Vector, Double> {
    let schedule = try TwoLevelRevolve(
        steps: faultSteps, memorySlots: 2, diskSlots: 6, costModel: CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3]))
    let disk = try FileCheckpointStore<Vector>(capacity: schedule.capacity(of: .disk), directory: root.path, codec: .shuffledZstd(level: 1),
                                               writeBehind: 0, readAhead: 0)
    let directory = disk.directory
    let counter = CallCounter()
    return try valueWithCheckpointedGradient(
        at: faultInitialState(), parameters: 1.3, steps: faultSteps,
        checkpointing: .schedule(schedule, stores: [.memory: MemoryCheckpointStore<Vector>(capacity: schedule.capacity(of: .memory), bytesPerState: 2056), .disk: disk]),
        step: { x, a, i in
            if counter.reached(faultSteps) { inject(directory) }
            return faultStep(x, a, i)
        },
        loss: { $0.halfSquaredNorm() })
}

/// Whether `error` is a corrupt-checkpoint error from the driver's disk store.
func isCorruptCheckpoint(_ error: any Error) -> Bool {
    if case .storage(.corrupt) = error as? CheckpointingError { return true }
    return false
}

/// Applies `edit` to the bytes of the file at `path`.
func modify(_ path: String, _ edit: (inout [UInt8]) -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    edit(&bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
