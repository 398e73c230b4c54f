import Testing
@testable import CheckpointSchedules
import RewindTestSupport

/// The planner's disk model with a fixed cost per file: a disk store costs compression plus
/// latency + stored bytes / bandwidth, a restore latency + stored bytes / bandwidth plus
/// decompression.
@Suite struct CheckpointPlannerDiskLatencyTests {
    /// 1000-byte states moved at 1000 B/s: the bytes of one file cost exactly 1 (time unit);
    /// an advance costs 1 and a reverse 3. Memory holds `memorySlots` states; the disk holds
    /// every state (unlimited).
    func problem(steps n: Int, memorySlots: Int, writeLatency: Double, readLatency: Double, advance: Double = 1) -> PlanningProblem {
        PlanningProblem(
            steps: n, stateSize: 1000, memory: ByteCount(memorySlots * 1000), disk: ByteCount(n * 1000),
            advanceTime: advance, reverseTime: 3, diskWriteBandwidth: 1000, diskReadBandwidth: 1000,
            diskWriteLatency: writeLatency, diskReadLatency: readLatency)
    }

    /// t(n, s)·advance + n·reverse: revolve in free memory (Griewank & Walther 2000).
    func revolveTime(_ p: PlanningProblem, slots: Int) throws -> Double {
        Double(try BinomialCheckpointing.minimalAdvances(steps: p.steps, slots: slots)) * p.advanceTime + Double(p.steps) * p.reverseTime
    }

    @Test func diskCostsAreLatencyPlusStoredBytesOverBandwidth() throws {
        // 10 MB states, a codec of ratio 2 at 10¹² B/s, 1 GB/s disk, 5 ms / 2 ms per file.
        let codec = CodecProfile(name: "half", ratio: 2, compressionSpeed: 1e12, decompressionSpeed: 1e12)
        let problem = PlanningProblem(
            steps: 100, stateSize: .megabytes(10), memory: .megabytes(30), disk: .gigabytes(1), advanceTime: 0.01, reverseTime: 0.03,
            diskWriteBandwidth: 1e9, diskReadBandwidth: 1e9, diskWriteLatency: 5e-3, diskReadLatency: 2e-3, codecs: [codec])
        let plan = try CheckpointPlanner.plan(problem)
        let options = [plan.decision] + plan.alternatives
        let raw = try #require(options.first { $0.disk?.codec.isIdentity == true }?.disk)
        // write: 5 ms + 10 MB / 1 GB/s = 15 ms; read: 2 ms + 10 ms = 12 ms.
        #expect(abs(raw.writeTime - 0.015) < 1e-15 && abs(raw.readTime - 0.012) < 1e-15)
        let half = try #require(options.first { $0.disk?.codec.name == "half" && $0.memory.codec.isIdentity })
        // write: 10 MB / 10¹² B/s = 10 µs of compression, then 5 ms + 5 MB / 1 GB/s = 10 ms.
        #expect(abs(half.disk!.writeTime - 0.01001) < 1e-15 && abs(half.disk!.readTime - 0.00701) < 1e-15)
        #expect(half.costModel.writeCost(.disk) == half.disk!.writeTime && half.costModel.readCost(.disk) == half.disk!.readTime)
        // Latency is a disk matter: memory copies carry none.
        #expect(raw.level == .disk && half.memory.writeTime == 0)
    }

    /// With free memory and an unlimited disk, the planner's optimum is Disk-Revolve's
    /// (Aupy, Herrmann, Hovland & Robert 2016, coded independently in
    /// ``TwoLevelCostTableTests/aupy(lmax:memory:uf:ub:wd:rd:)``) with w_d and r_d the
    /// per-file prices, latency included; the disk is used exactly when that beats revolve.
    @Test(arguments: [(0.0, 0.0), (2, 1), (8, 3), (60, 20), (1000, 1000)])
    func matchesDiskRevolveWithLatencyInItsCosts(latencies: (write: Double, read: Double)) throws {
        var diskPlans = 0
        for n in [2, 3, 5, 10, 20, 40, 80] {
            for s in 1...4 {
                let p = problem(steps: n, memorySlots: s, writeLatency: latencies.write, readLatency: latencies.read)
                let plan = try CheckpointPlanner.plan(p)
                let optimum = TwoLevelCostTableTests.aupy(
                    lmax: n - 1, memory: s, uf: 1, ub: 3, wd: latencies.write + 1, rd: latencies.read + 1)[n - 1]
                let revolve = try revolveTime(p, slots: s)
                let predicted = try #require(plan.decision.predictedTime)
                let context = "n = \(n), s = \(s), latencies \(latencies): \(plan.decision.summary)"
                #expect(abs(predicted - optimum) <= 1e-9 * optimum, "\(context); Disk-Revolve \(optimum)")
                #expect((plan.decision.disk != nil) == (optimum < revolve * (1 - 1e-9)), "\(context); revolve \(revolve)")
                if plan.decision.disk != nil { diskPlans += 1 }
            }
        }
        // Free files use the disk somewhere on this grid; files dearer than 1000 advances never.
        if latencies.write == 0 { #expect(diskPlans > 0) }
        if latencies.write == 1000 { #expect(diskPlans == 0) }
    }

    /// Any schedule that stores a state on disk runs at least the n − 1 advances of the
    /// recording sweep, the n reverses and one write. When that lower bound exceeds revolve's
    /// t(n, s)·advance + n·reverse, the disk cannot pay, whatever the schedule: the planner
    /// must keep to memory and predict revolve's time.
    @Test func aLargeLatencyNeverSendsToDiskWhatRecomputationDoesMoreCheaply() throws {
        var generator = SplitMix64(seed: 23)
        var memoryOnly = 0
        for trial in 0..<60 {
            let n = Int(generator.next() % 400) + 2
            let s = Int(generator.next() % 6) + 1
            let advance = [0.5, 1, 2][Int(generator.next() % 3)]
            let revolveAdvances = Double(try BinomialCheckpointing.minimalAdvances(steps: n, slots: s))
            // A write latency just above the recomputation the disk could save at best.
            let writeLatency = (revolveAdvances - Double(n - 1)) * advance * (1 + Double(generator.next() % 4) / 4) + 1e-3
            let p = problem(steps: n, memorySlots: s, writeLatency: writeLatency, readLatency: 0, advance: advance)
            let plan = try CheckpointPlanner.plan(p)
            let lowerBoundWithDisk = Double(n - 1) * advance + Double(n) * 3 + writeLatency + 1
            let revolve = try revolveTime(p, slots: s)
            #expect(revolve < lowerBoundWithDisk)
            #expect(plan.decision.disk == nil, "seed 23, trial \(trial): n = \(n), s = \(s), \(plan.decision.summary)")
            #expect(abs((plan.decision.predictedTime ?? .nan) - revolve) <= 1e-9 * revolve, "seed 23, trial \(trial)")
            if plan.alternatives.contains(where: { $0.disk != nil && $0.isFeasible }) { memoryOnly += 1 }
        }
        #expect(memoryOnly == 60, "every trial had a feasible disk option to turn down")
    }

    /// With latencies of 0, every disk price is the pre-latency formula: compression plus
    /// stored bytes / bandwidth to store, stored bytes / bandwidth plus decompression to
    /// restore; so the planner makes the choices it made before latencies existed.
    @Test func zeroLatencyIsTheBandwidthOnlyModel() throws {
        var generator = SplitMix64(seed: 29)
        for trial in 0..<24 {
            let n = Int(generator.next() % 60) + 2
            let state = ByteCount(Int(generator.next() % 20 + 1) * 1_000_000)
            let bandwidth = [1e7, 1e8, 1e9, 1e10][Int(generator.next() % 4)]
            let codec = CodecProfile(name: "zstd", ratio: 1 + Double(generator.next() % 100) / 100, compressionSpeed: 1e9, decompressionSpeed: 1.6e9)
            let p = PlanningProblem(
                steps: n, stateSize: state, memory: ByteCount(state.bytes * Int(generator.next() % 5 + 1)), disk: .gigabytes(1),
                advanceTime: 0.01, reverseTime: 0.03, diskWriteBandwidth: bandwidth, diskReadBandwidth: 2 * bandwidth,
                diskWriteLatency: 0, diskReadLatency: 0, codecs: [codec])
            let plan = try CheckpointPlanner.plan(p)
            for option in [plan.decision] + plan.alternatives {
                guard let disk = option.disk else { continue }
                let stored = Double(disk.codec.storedSize(of: state).bytes)
                #expect(disk.writeTime == disk.codec.compressionTime(of: state) + stored / bandwidth, "seed 29, trial \(trial)")
                #expect(disk.readTime == stored / (2 * bandwidth) + disk.codec.decompressionTime(of: state), "seed 29, trial \(trial)")
            }
        }
    }

    @Test func aNegativeOrInfiniteLatencyIsAnInvalidProblem() {
        for latency in [-1e-6, Double.infinity, .nan] {
            #expect(throws: PlanningError.self) {
                try CheckpointPlanner.plan(problem(steps: 10, memorySlots: 2, writeLatency: latency, readLatency: 0))
            }
            #expect(throws: PlanningError.self) {
                try CheckpointPlanner.plan(problem(steps: 10, memorySlots: 2, writeLatency: 0, readLatency: latency))
            }
        }
        let message = PlanningError.invalidProblem("the disk write latency must be a non-negative number of seconds, got -1e-06").description
        #expect(message.contains("disk write latency"))
    }
}
