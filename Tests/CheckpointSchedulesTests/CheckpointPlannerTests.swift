import Foundation
import Testing
@testable import CheckpointSchedules
import RewindTestSupport

@Suite struct CheckpointPlannerTests {
    static let state = ByteCount.megabytes(10)
    static let fastCodec = CodecProfile(name: "fast", ratio: 2, compressionSpeed: 1e12, decompressionSpeed: 1e12)

    func problem(steps: Int = 100, memory: ByteCount, disk: ByteCount? = nil, diskBandwidth: Double = 1e9, codecs: [CodecProfile] = []) -> PlanningProblem {
        PlanningProblem(
            steps: steps, stateSize: Self.state, memory: memory, disk: disk, advanceTime: 0.01, reverseTime: 0.03,
            diskWriteBandwidth: diskBandwidth, diskReadBandwidth: diskBandwidth, codecs: codecs)
    }

    /// Plays the decision's schedule and checks that it fits the budgets and that the
    /// prediction is what the simulator measures.
    func checkDecision(_ plan: CheckpointPlan) throws {
        let decision = plan.decision
        let schedule = try decision.makeSchedule(steps: plan.problem.steps)
        let stats = try ScheduleSimulator.run(schedule, costModel: decision.costModel)
        let time = try #require(decision.predictedTime)
        #expect(abs(stats.predictedTime - time) <= 1e-9 * time, "\(decision.summary)")
        let memoryUsed = (stats.peakSlots[.memory] ?? 0) * decision.memory.bytesPerSlot.bytes
            + (stats.peakSlots[.compressedMemory] ?? 0) * (decision.compressedMemory?.bytesPerSlot.bytes ?? 0)
        let diskUsed = (stats.peakSlots[.disk] ?? 0) * (decision.disk?.bytesPerSlot.bytes ?? 0)
        #expect(memoryUsed + plan.problem.reservedStates * plan.problem.stateSize.bytes <= plan.problem.memory.bytes)
        #expect(diskUsed <= plan.problem.disk?.bytes ?? 0)
        #expect(decision.predictedMemory <= plan.problem.memory && decision.predictedDisk <= plan.problem.disk ?? 0)
    }

    @Test func storeAllWhenNMinusOneStatesFit() throws {
        let plan = try CheckpointPlanner.plan(problem(memory: .megabytes(990), disk: .gigabytes(100), codecs: [Self.fastCodec]))
        #expect(plan.decision.strategy == .storeAll)
        #expect(plan.decision.disk == nil)
        #expect(abs(plan.decision.predictedTime! - (99 * 0.01 + 100 * 0.03)) < 1e-12)
        try checkDecision(plan)
    }

    @Test func memoryOnlyRevolveWhenTheDiskIsSlow() throws {
        // 8 slots in memory; the disk (1 MB/s: 10 s per state) never pays.
        let plan = try CheckpointPlanner.plan(problem(memory: .megabytes(80), disk: .gigabytes(100), diskBandwidth: 1e6))
        #expect(plan.decision.strategy == .revolve && plan.decision.disk == nil && plan.decision.memory.slots == 8)
        let t = try BinomialCheckpointing.minimalAdvances(steps: 100, slots: 8)
        #expect(abs(plan.decision.predictedTime! - (Double(t) * 0.01 + 100 * 0.03)) < 1e-12)
        try checkDecision(plan)
    }

    @Test func diskWhenMemoryIsTinyAndTheDiskIsFast() throws {
        // One memory slot; the disk moves a state in 1 ms, a tenth of a step.
        let plan = try CheckpointPlanner.plan(problem(memory: .megabytes(10), disk: .gigabytes(10), diskBandwidth: 1e10))
        let disk = try #require(plan.decision.disk)
        #expect(plan.decision.strategy == .twoLevel && disk.slots > 0)
        let revolveOne = plan.alternatives.first { $0.disk == nil && $0.memory.codec.isIdentity }
        #expect(plan.decision.predictedTime! < revolveOne!.predictedTime!)
        try checkDecision(plan)
    }

    @Test func compressedMemoryWhenTheCodecIsFastAndMemoryTight() throws {
        // 50 raw slots or 100 compressed ones: a near-free codec turns revolve into store-all.
        // The best split keeps one state plain (one compression saved): H-Revolve, 1 + 98 slots.
        let plan = try CheckpointPlanner.plan(problem(memory: .megabytes(500), codecs: [Self.fastCodec]))
        let compressed = try #require(plan.decision.compressedMemory, "\(plan.decision.summary)")
        #expect(plan.decision.strategy == .hRevolve && compressed.codec.name == "fast")
        #expect(plan.decision.memory.slots + compressed.slots >= 99 && plan.decision.memory.slots == 1)
        let allCompressed = try #require(plan.alternatives.first { $0.strategy == .twoLevel && $0.memory.codec.name == "fast" && $0.disk == nil })
        #expect(allCompressed.memory.slots == 100 && plan.decision.predictedTime! < allCompressed.predictedTime!)
        #expect(plan.decision.disk == nil)
        try checkDecision(plan)
    }

    @Test(arguments: [nil, ByteCount.megabytes(20)])
    func hRevolveWhenACompressedLevelPaysBesidePlainMemory(disk: ByteCount?) throws {
        // 6 plain slots or 12 compressed ones; a state compresses in half a step. The
        // best split keeps some states plain (free to restore) and the rest compressed, and
        // with a slow disk of 2 to 4 slots also uses the disk.
        let codec = CodecProfile(name: "quick", ratio: 2, compressionSpeed: 2e9, decompressionSpeed: 2e9)
        let plan = try CheckpointPlanner.plan(problem(steps: 100, memory: .megabytes(60), disk: disk, diskBandwidth: 2e8, codecs: [codec]))
        let decision = plan.decision
        let compressed = try #require(decision.compressedMemory, "\(decision.summary)")
        #expect(decision.strategy == .hRevolve && decision.memory.slots >= 1 && compressed.slots >= 1, "\(decision.summary)")
        for other in plan.alternatives where other.strategy != .hRevolve && other.isFeasible {
            #expect(decision.predictedTime! < other.predictedTime!, "\(other.summary)")
        }
        let stats = try ScheduleSimulator.run(try decision.makeSchedule(steps: 100), costModel: decision.costModel)
        #expect((stats.stores[.memory] ?? 0) > 0 && (stats.stores[.compressedMemory] ?? 0) > 0)
        #expect(disk == nil || (stats.stores[.disk] ?? 0) > 0, "\(decision.summary)")
        #expect(decision.summary.contains("compressed memory slots (quick)"))
        try checkDecision(plan)
    }

    @Test func pastItsWorkLimitAnHRevolveOptionSegmentsOverAnUnlimitedDisk() throws {
        // n = 3000 with a disk for every state: the exact tables exceed this work limit, so
        // H-Revolve prices a few splits in segments over the disk, and its schedule is
        // rebuilt exactly as priced.
        let codec = CodecProfile(name: "quick", ratio: 2, compressionSpeed: 2e9, decompressionSpeed: 2e9)
        let plan = try CheckpointPlanner.plan(
            problem(steps: 3000, memory: .megabytes(60), disk: .gigabytes(100), diskBandwidth: 2e8, codecs: [codec]), workLimit: 8_000_000)
        let options = ([plan.decision] + plan.alternatives).filter { $0.strategy == .hRevolve && $0.disk != nil }
        #expect(options.count == 2)
        for option in options {
            let time = try #require(option.predictedTime, "\(option.note)")
            #expect(option.note.contains("segments of at most"), "\(option.note)")
            let schedule = try option.makeSchedule(steps: 3000)
            guard case let .hRevolve(hierarchy) = schedule else {
                Issue.record("expected an H-Revolve schedule, got \(schedule)")
                continue
            }
            #expect(hierarchy.predictedTime == time)
            let stats = try ScheduleSimulator.run(schedule, costModel: option.costModel)
            #expect(abs(stats.predictedTime - time) <= 1e-9 * time && (stats.stores[.disk] ?? 0) > 0)
        }
    }

    @Test func neverExceedsBudgetsAndTheDecisionIsTheCheapest() throws {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<24 {
            let n = Int(generator.next() % 60) + 1
            let memory = ByteCount(Int(generator.next() % 150) * 1_000_000 + 10_000_000)
            let disk: ByteCount? = generator.next() % 3 == 0 ? nil : ByteCount(Int(generator.next() % 200) * 1_000_000)
            let bandwidth = [1e7, 1e8, 1e9, 1e10][Int(generator.next() % 4)]
            let codec = CodecProfile(name: "zstd", ratio: 1 + Double(generator.next() % 100) / 100, compressionSpeed: 1e9, decompressionSpeed: 1.6e9)
            var p = problem(steps: n, memory: memory, disk: disk, diskBandwidth: bandwidth, codecs: [codec])
            p.reservedStates = Int(generator.next() % 2)
            let plan = try CheckpointPlanner.plan(p)
            try checkDecision(plan)
            for other in plan.alternatives where other.isFeasible {
                #expect(plan.decision.predictedTime! <= other.predictedTime! * (1 + 1e-9), "seed 11, trial \(trial)")
                #expect(other.predictedMemory <= p.memory && other.predictedDisk <= p.disk ?? 0, "seed 11, trial \(trial)")
            }
            // (1 + c)·(disk choices) one- and two-level options and at most c·(disk choices)
            // H-Revolve ones (none where plain memory holds every state), c = 1.
            let all = [plan.decision] + plan.alternatives
            let diskChoices = disk == nil ? 1 : 3
            #expect(all.filter { $0.strategy != .hRevolve }.count == 2 * diskChoices, "seed 11, trial \(trial)")
            #expect(all.filter { $0.strategy == .hRevolve }.count <= diskChoices, "seed 11, trial \(trial)")
            for option in all where option.strategy == .hRevolve && option.isFeasible {
                // Its splits always include all-compressed (the plain ones only up to the work limit).
                let allCompressed = all.filter { $0.strategy != .hRevolve && $0.disk?.codec == option.disk?.codec && $0.isFeasible
                    && $0.memory.codec == option.compressedMemory?.codec }
                #expect(allCompressed.allSatisfy { option.predictedTime! <= $0.predictedTime! * (1 + 1e-9) },
                        "seed 11, trial \(trial): H-Revolve never slower than all-compressed two-level")
            }
        }
    }

    @Test func typedErrorWhenNotOneStateFits() throws {
        #expect(throws: PlanningError.stateDoesNotFit(stateSize: Self.state, memory: .megabytes(5), disk: nil, reserved: 0)) {
            try CheckpointPlanner.plan(problem(memory: .megabytes(5)))
        }
        #expect(throws: PlanningError.stateDoesNotFit(stateSize: Self.state, memory: .megabytes(5), disk: .megabytes(9), reserved: 0)) {
            try CheckpointPlanner.plan(problem(memory: .megabytes(5), disk: .megabytes(9)))
        }
        var reserved = problem(memory: .megabytes(15), disk: .gigabytes(1))
        reserved.reservedStates = 2
        #expect(throws: PlanningError.self) { try CheckpointPlanner.plan(reserved) }
        let message = PlanningError.stateDoesNotFit(stateSize: Self.state, memory: .megabytes(5), disk: nil, reserved: 0).description
        #expect(message.contains("10 MB") && message.contains("5 MB"))
        // A compressing codec can make a state fit.
        let compressed = try CheckpointPlanner.plan(problem(steps: 10, memory: .megabytes(5), codecs: [Self.fastCodec]))
        #expect(compressed.decision.memory.codec.name == "fast")
        #expect(throws: PlanningError.self) { try CheckpointPlanner.plan(problem(steps: 0, memory: .megabytes(5))) }
    }

    @Test func planIsCodable() throws {
        let plan = try CheckpointPlanner.plan(problem(memory: .megabytes(30), disk: .gigabytes(1), codecs: [Self.fastCodec]))
        let decoded = try JSONDecoder().decode(CheckpointPlan.self, from: JSONEncoder().encode(plan))
        #expect(decoded == plan)
        #expect(plan.decision.summary.contains("predicted"))
    }
}

@Suite struct CheckpointPlannerEdgeTests {
    @Test func oneStepAndHugeSlotCounts() throws {
        // n = 1 needs no checkpoint at all.
        let one = try CheckpointPlanner.plan(PlanningProblem(steps: 1, stateSize: .megabytes(10), memory: .megabytes(1), advanceTime: 1, reverseTime: 1))
        let stats = try ScheduleSimulator.run(one.decision.makeSchedule(steps: 1), costModel: one.decision.costModel)
        #expect(stats.reverses == 1 && stats.totalPeakSlots == 0)
        // Tiny states and a big budget: 10⁸ slots must not cost 10⁸ of anything.
        let tiny = PlanningProblem(steps: 500, stateSize: 8, memory: .gigabytes(1), disk: .gigabytes(1), advanceTime: 1, reverseTime: 1,
                                   codecs: [CodecProfile(name: "z", ratio: 2, compressionSpeed: 1e9, decompressionSpeed: 1e9)])
        let plan = try CheckpointPlanner.plan(tiny)
        #expect(plan.decision.strategy == .storeAll)
        for option in plan.alternatives where option.isFeasible {
            _ = try ScheduleSimulator.run(option.makeSchedule(steps: 500), costModel: option.costModel)
        }
        let multistage = try MultistageRevolve(steps: 50, memorySlots: 100_000_000, diskSlots: 100_000_000)
        #expect(try ScheduleSimulator.run(multistage).advances == 49)
    }
}

extension CheckpointPlannerEdgeTests {
    @Test func theScheduleBuiltIsTheOnePredictedUnderACustomWorkLimit() throws {
        let problem = PlanningProblem(steps: 400, stateSize: .megabytes(10), memory: .megabytes(30), disk: .gigabytes(1),
                                      advanceTime: 0.01, reverseTime: 0.03, diskWriteBandwidth: 1e9, diskReadBandwidth: 1e9)
        let plan = try CheckpointPlanner.plan(problem, workLimit: 100_000)
        #expect(plan.decision.note != TwoLevelRevolve.Method.exact.description, "\(plan.decision.note)")
        let stats = try ScheduleSimulator.run(plan.decision.makeSchedule(steps: 400), costModel: plan.decision.costModel)
        #expect(abs(stats.predictedTime - plan.decision.predictedTime!) <= 1e-9 * stats.predictedTime)
    }
}
