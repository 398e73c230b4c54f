import CheckpointSchedules
import CheckpointStorage
import CheckpointedAD
@testable import Distributed
import DistributedExamples
import Testing

/// A rank's plan turned into stores, without MPI: when the planner chooses H-Revolve with
/// plain and compressed memory slots (a codec that compresses four-fold, a state in about an advance's time), every
/// level the schedule uses gets a store, and the gradient equals store-all's bit for bit.
/// (Ranks once got no store for the compressed memory level and stopped with "the schedule
/// uses 6 slots at the compressedMemory level but no store was given" whenever a loaded
/// machine measured the codec fast enough for the planner to pick H-Revolve.)
@Suite struct DistributedPlanStoresTests {
    @Test func everyLevelOfTheChosenScheduleGetsAStore() throws {
        let problem = Heat2D(rows: 24, columns: 32, steps: 60)
        let halo = try SerialHaloExchange(rows: problem.rows, columns: problem.columns)
        let x0 = problem.initialStrip(firstRow: 0, rows: problem.rows)
        let stateBytes = x0.checkpointByteCount
        let codec = CodecProfile(name: "zstd(level: 1)", ratio: 4, compressionSpeed: 6e6, decompressionSpeed: 6e6)
        let (plan, schedule) = try DistributedCheckpointing<Vector>.makePlan(
            steps: problem.steps, stateBytes: stateBytes, memory: 14 * stateBytes, disk: nil, codecs: [codec],
            stepTimes: StepTimes(advance: 1e-3, reverse: 3e-3), options: CheckpointingOptions())
        try #require(plan.decision.strategy == .hRevolve, "expected H-Revolve to win: \(plan.decision.summary)")
        let compressedSlots = schedule.capacity(of: .compressedMemory)
        try #require(compressedSlots > 0)

        let stores = DistributedCheckpointing<Vector>.memoryStores(for: plan, schedule: schedule, codec: .zstd(level: 1))
        #expect(stores.memory == nil, "plain memory slots are the driver's own")
        let compressed = try #require(stores.compressedMemory)
        let rank = DistributedCheckpointing<Vector>(
            plan: plan, schedule: schedule, scheduleDigest: DistributedCheckpointing<Vector>.digest(of: schedule),
            stateBytes: stateBytes, memoryStore: stores.memory, compressedMemoryStore: compressed,
            fileStore: nil)

        let run = { (checkpointing: Checkpointing<Vector>) in
            try valueWithCheckpointedGradient(at: x0, parameters: problem.diffusion, steps: problem.steps,
                                              checkpointing: checkpointing, step: problem.step(halo: halo), losses: [Heat2D.loss])
        }
        let reference = try run(.storeAll)
        let planned = try run(rank.checkpointing)
        #expect(planned.value.bitPattern == reference.value.bitPattern)
        #expect(planned.initialState == reference.initialState)
        #expect(planned.parameters == reference.parameters)
        #expect(planned.statistics.stores[.compressedMemory, default: 0] > 0)
    }
}
