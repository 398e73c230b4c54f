import _Differentiation
import CheckpointSchedules
import CheckpointStorage
import Foundation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// A three-level H-Revolve schedule through the checkpointed driver, on real stores: plain
/// memory, compressed memory and files. The gradient is the store-all gradient bit for bit.
@Suite struct HRevolveDriverTests {
    static let steps = 40

    static func initialState() -> Vector {
        Vector((0..<512).map { i in sin(Double(i) * 0.01) + 0.25 * cos(Double(i) * 0.003) })
    }

    @Test(arguments: [CheckpointCodec.identity, .shuffledZstd(level: 1)])
    func threeLevelGradientIsBitwiseStoreAll(diskCodec: CheckpointCodec) throws {
        let directory = NSTemporaryDirectory() + "rewind-hrevolve-\(UInt64.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reference = try valueWithCheckpointedGradient(
            at: Self.initialState(), parameters: 1.3, steps: Self.steps, checkpointing: .storeAll, step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        // Compression is cheap next to the disk: the schedule uses all three levels.
        let costs = CostModel(advance: 1, reverse: 2, write: [.compressedMemory: 1, .disk: 6], read: [.compressedMemory: 1, .disk: 6])
        let schedule = try HRevolve(
            steps: Self.steps,
            levels: [.init(.memory, slots: 1), .init(.compressedMemory, slots: 2), .init(.disk, slots: 3)], costModel: costs)
        let memory = MemoryCheckpointStore<Vector>(capacity: schedule.capacity(of: .memory), bytesPerState: 512 * 8)
        let compressed = CompressedMemoryCheckpointStore<Vector>(
            capacity: schedule.capacity(of: .compressedMemory), codec: .shuffledZstd(level: 1))
        let disk = try FileCheckpointStore<Vector>(capacity: schedule.capacity(of: .disk), directory: directory, codec: diskCodec)
        let g = try valueWithCheckpointedGradient(
            at: Self.initialState(), parameters: 1.3, steps: Self.steps,
            checkpointing: .schedule(schedule, stores: [.memory: memory, .compressedMemory: compressed, .disk: disk]),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        #expect(g.initialState == reference.initialState && g.parameters == reference.parameters && g.value == reference.value)
        let simulated = try ScheduleSimulator.run(schedule, costModel: costs)
        for level in StorageLevel.allCases {
            #expect((simulated.stores[level] ?? 0) > 0, "the schedule uses \(level)")
            #expect(g.statistics.stores[level] == simulated.stores[level] && g.statistics.restores[level] == simulated.restores[level])
        }
        #expect(g.statistics.recomputationAdvances == simulated.recomputationAdvances)
        #expect(compressed.statistics.stores == simulated.stores[.compressedMemory] && compressed.statistics.compressionRatio > 1, "the store really compresses")
        #expect(disk.statistics.restores == simulated.restores[.disk] && disk.diskBytesInUse == 0)
    }

    @Test func aMissingThirdLevelStoreIsATypedError() throws {
        let schedule = try HRevolve(
            steps: Self.steps, levels: [.init(.memory, slots: 1), .init(.compressedMemory, slots: 2)],
            costModel: CostModel(write: [.compressedMemory: 1], read: [.compressedMemory: 1]))
        #expect(throws: CheckpointingError.missingStore(level: .compressedMemory, slots: 2)) {
            try valueWithCheckpointedGradient(
                at: Self.initialState(), parameters: 1.3, steps: Self.steps, checkpointing: .schedule(schedule),
                step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        }
    }
}

/// The planner's H-Revolve decision, made into stores by the planned strategy's own
/// `makeStores` and run: plain memory, compressed memory and files, bitwise store-all.
@Suite struct PlannedHRevolveTests {
    @Test func thePlannedHierarchyRunsOnItsStoresAndMatchesStoreAll() throws {
        let steps = HRevolveDriverTests.steps
        let x0 = HRevolveDriverTests.initialState()
        let stateBytes = x0.checkpointByteCount
        // 3 plain slots or 6 compressed ones, a codec at a third of a step, a slow disk of 3 slots.
        let codec = CodecProfile(name: "shuffle8+zstd(1)", ratio: 2, compressionSpeed: 3 * Double(stateBytes) / 1e-3,
                                 decompressionSpeed: 3 * Double(stateBytes) / 1e-3)
        let problem = PlanningProblem(
            steps: steps, stateSize: ByteCount(stateBytes), memory: ByteCount(3 * stateBytes), disk: ByteCount(3 * stateBytes),
            advanceTime: 1e-3, reverseTime: 3e-3, diskWriteBandwidth: Double(stateBytes) / 4e-3, diskReadBandwidth: Double(stateBytes) / 4e-3,
            diskWriteLatency: 0, diskReadLatency: 0, codecs: [codec])
        let plan = try CheckpointPlanner.plan(problem)
        let decision = plan.decision
        #expect(decision.strategy == .hRevolve && decision.compressedMemory != nil, "\(decision.summary)")
        let schedule = try decision.makeSchedule(steps: steps)
        let directory = NSTemporaryDirectory() + "rewind-planned-hrevolve-\(UInt64.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stores = try makeStores(
            for: decision, schedule: schedule, state: x0, disk: DiskBudget(bytes: 3 * stateBytes, directory: directory),
            compression: .shuffledZstd(level: 1))
        #expect(stores[.compressedMemory] is CompressedMemoryCheckpointStore<Vector>)
        #expect(stores[.memory] is MemoryCheckpointStore<Vector>)
        let reference = try valueWithCheckpointedGradient(
            at: x0, parameters: 1.3, steps: steps, checkpointing: .storeAll, step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        let g = try valueWithCheckpointedGradient(
            at: x0, parameters: 1.3, steps: steps, checkpointing: .schedule(schedule, stores: stores),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        #expect(g.initialState == reference.initialState && g.parameters == reference.parameters)
        let simulated = try ScheduleSimulator.run(schedule, costModel: decision.costModel)
        #expect(abs(simulated.predictedTime - decision.predictedTime!) <= 1e-9 * simulated.predictedTime)
        #expect((g.statistics.stores[.memory] ?? 0) > 0 && (g.statistics.stores[.compressedMemory] ?? 0) > 0)
    }
}
