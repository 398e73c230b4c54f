import Testing
@testable import CheckpointSchedules
import RewindTestSupport

/// H-Revolve against an exhaustive search over every legal action stream on three levels,
/// revolve's closed formula (L = 1), the two-level dynamic program (L = 2), and the simulator.
@Suite struct HRevolveTests {
    /// Integer-valued costs over memory, compressed memory and disk, so that every sum is
    /// exact in `Double` and `==` is fair.
    static let costModels: [CostModel] = [
        CostModel(advance: 1, reverse: 2, write: [.compressedMemory: 1, .disk: 4], read: [.compressedMemory: 1, .disk: 3]),
        CostModel(advance: 2, reverse: 1, write: [.memory: 1, .compressedMemory: 2, .disk: 6], read: [.compressedMemory: 1, .disk: 9]),
        CostModel(advance: 3, reverse: 2, write: [.compressedMemory: 0, .disk: 1], read: [.compressedMemory: 4, .disk: 2]),
        CostModel(advance: 1, reverse: 4, write: [.compressedMemory: 2, .disk: 2], read: [.compressedMemory: 2, .disk: 2]),
    ]

    static func hierarchy(_ memory: Int?, _ compressed: Int?, _ disk: Int?) -> [HRevolve.Level] {
        [HRevolve.Level(.memory, slots: memory), HRevolve.Level(.compressedMemory, slots: compressed), HRevolve.Level(.disk, slots: disk)]
    }

    @Test(arguments: 0..<4)
    func threeLevelsEqualExhaustiveSearchForSmallN(model: Int) throws {
        let costs = Self.costModels[model]
        for n in 1...4 {
            for memory in 0...1 {
                for compressed in 0...2 {
                    // An unlimited disk only up to n = 3: the search's states grow fast with held sets.
                    for disk in [0, 1, nil] as [Int?] where disk != nil || n <= 3 {
                        let levels = Self.hierarchy(memory, compressed, disk)
                        let label = "n = \(n), \(levels.map(\.description)), model \(model)"
                        let optimum = HierarchyExhaustiveSearch.optimum(
                            steps: n, capacities: [memory, compressed, disk ?? n], levels: levels.map(\.level), costs: costs)
                        guard let schedule = try? HRevolve(steps: n, levels: levels, costModel: costs) else {
                            #expect(optimum == nil, "\(label): search found \(optimum ?? -1)")
                            continue
                        }
                        #expect(optimum == schedule.predictedTime, "\(label)")
                        try Self.checkWithSimulator(schedule, label: label)
                    }
                }
            }
        }
    }

    @Test func seededRandomHierarchiesMatchExhaustiveSearch() throws {
        var generator = SplitMix64(seed: 7)
        func value(_ range: ClosedRange<Int>) -> Double { Double(Int(generator.next() % UInt64(range.count)) + range.lowerBound) }
        for trial in 0..<24 {
            let costs = CostModel(
                advance: value(1...4), reverse: value(0...5),
                write: [.memory: value(0...1), .compressedMemory: value(0...4), .disk: value(0...10)],
                read: [.memory: value(0...1), .compressedMemory: value(0...4), .disk: value(0...10)])
            let n = Int(generator.next() % 3) + 3
            let capacities = [Int(generator.next() % 2), Int(generator.next() % 3), Int(generator.next() % 2)]
            let levels = Self.hierarchy(capacities[0], capacities[1], capacities[2])
            let optimum = HierarchyExhaustiveSearch.optimum(steps: n, capacities: capacities, levels: levels.map(\.level), costs: costs)
            let schedule = try? HRevolve(steps: n, levels: levels, costModel: costs)
            let label = "seed 7, trial \(trial): n = \(n), \(capacities), \(costs)"
            #expect(optimum == schedule?.predictedTime, "\(label)")
            if let schedule { try Self.checkWithSimulator(schedule, label: label) }
        }
    }

    @Test func oneFreeLevelIsRevolve() throws {
        // L = 1 with free storage: t(n, s) advances and n reverses, the binomial optimum.
        let costs = CostModel(advance: 1, reverse: 2)
        for n in 1...60 {
            for s in 1...5 {
                let schedule = try HRevolve(steps: n, levels: [.init(.memory, slots: s)], costModel: costs)
                let t = try BinomialCheckpointing.minimalAdvances(steps: n, slots: s)
                #expect(schedule.predictedTime == Double(t + 2 * n), "n = \(n), s = \(s)")
                let stats = try Self.checkWithSimulator(schedule, label: "n = \(n), s = \(s)")
                #expect(stats.advances == t)
            }
        }
    }

    @Test func twoLevelsEqualTheTwoLevelTable() throws {
        for (model, costs) in TwoLevelRevolveTests.costModels.enumerated() {
            for n in [1, 2, 7, 23, 41] {
                for memory in 0...3 {
                    for disk in [0, 1, 3, nil] as [Int?] where n == 1 || memory + (disk ?? 1) >= 1 {
                        let twoLevel = try TwoLevelRevolve(steps: n, memorySlots: memory, diskSlots: disk, costModel: costs)
                        let levels = [HRevolve.Level(.memory, slots: memory), HRevolve.Level(.disk, slots: disk)]
                        let schedule = try HRevolve(steps: n, levels: levels, costModel: costs)
                        let label = "n = \(n), s_m = \(memory), s_d = \(String(describing: disk)), model \(model)"
                        #expect(twoLevel.method == .exact && schedule.predictedTime == twoLevel.predictedTime, "\(label)")
                        try Self.checkWithSimulator(schedule, label: label)
                    }
                }
            }
        }
    }

    @Test func aCompressedLevelPaysAndAnEmptyOneChangesNothing() throws {
        // Compression triples the slots at a codec cost: the three-level optimum is at most
        // either two-level one, strictly better here, and equals the two-level one when the
        // compressed level has no slot.
        let costs = CostModel(advance: 1, reverse: 2, write: [.compressedMemory: 1, .disk: 20], read: [.compressedMemory: 1, .disk: 20])
        let n = 150
        let three = try HRevolve(steps: n, levels: Self.hierarchy(2, 6, nil), costModel: costs)
        let memoryAndDisk = try TwoLevelRevolve(steps: n, memorySlots: 4, diskSlots: nil, costModel: costs)
        let noCompressed = try HRevolve(steps: n, levels: Self.hierarchy(4, 0, nil), costModel: costs)
        #expect(noCompressed.predictedTime == memoryAndDisk.predictedTime)
        #expect(three.predictedTime < memoryAndDisk.predictedTime)
        let stats = try Self.checkWithSimulator(three, label: "n = 150")
        #expect((stats.stores[.compressedMemory] ?? 0) > 0)
    }

    @Test func typedErrors() {
        #expect(throws: HRevolveError.invalidStepCount(0)) { try HRevolve(steps: 0, levels: Self.hierarchy(1, 1, 1)) }
        let duplicate = [HRevolve.Level(.memory, slots: 1), HRevolve.Level(.memory, slots: 2)]
        #expect(throws: HRevolveError.invalidLevels(duplicate)) { try HRevolve(steps: 5, levels: duplicate) }
        #expect(throws: HRevolveError.invalidLevels([])) { try HRevolve(steps: 5, levels: []) }
        #expect(throws: HRevolveError.noSlot(Self.hierarchy(0, 0, 0))) { try HRevolve(steps: 5, levels: Self.hierarchy(0, 0, 0)) }
        // Beyond the work limit with no unlimited level to segment: a typed error before
        // anything is allocated.
        let levels = Self.hierarchy(50, 200, 1000)
        let work = HRevolve.work(steps: 100_000, levels: levels)
        #expect(work > HRevolve.defaultWorkLimit)
        #expect(throws: HRevolveError.self) { try HRevolve(steps: 100_000, levels: levels) }
        do {
            _ = try HRevolve(steps: 100_000, levels: levels)
        } catch {
            #expect(error.description.contains("limit \(HRevolve.defaultWorkLimit)"))
        }
        // A huge capacity collapses: an unlimited level costs nothing to tabulate.
        #expect(HRevolve.work(steps: 30, levels: Self.hierarchy(1, 1000, 1000)) == HRevolve.work(steps: 30, levels: Self.hierarchy(1, nil, nil)))
    }

    @Test func pastTheWorkLimitSegmentsOverTheUnlimitedLevel() throws {
        let costs = Self.costModels[0]
        let levels = Self.hierarchy(2, 4, nil)
        let exact = try HRevolve(steps: 400, levels: levels, costModel: costs)
        #expect(exact.method == .exact)
        // A limit the exact table exceeds: segments of at most L steps over the disk.
        #expect(HRevolve.work(steps: 400, levels: levels) > 2_000_000)
        let segmented = try HRevolve(steps: 400, levels: levels, costModel: costs, workLimit: 2_000_000)
        guard case let .segmented(longest) = segmented.method else {
            Issue.record("expected segments, got \(segmented.method)")
            return
        }
        #expect(longest >= 20 && longest < 400)
        #expect(segmented.predictedTime >= exact.predictedTime && segmented.predictedTime <= 1.05 * exact.predictedTime,
                "segmented \(segmented.predictedTime), exact \(exact.predictedTime)")
        let stats = try Self.checkWithSimulator(segmented, label: "segmented n = 400")
        #expect((stats.stores[.disk] ?? 0) >= 400 / longest)
        // Segments as long as the chain: the exact optimum.
        let whole = HRevolveSegmentPlan(steps: 120, levels: levels, costModel: costs, longestSegment: 120)
        #expect(whole.time == (try HRevolve(steps: 120, levels: levels, costModel: costs)).predictedTime)
    }

    /// Plays the schedule through the simulator with its own capacities: the predicted time
    /// must be the table's value, the slots per level within their capacities.
    @discardableResult
    static func checkWithSimulator(_ schedule: HRevolve, label: String) throws -> ScheduleStatistics {
        let stats = try ScheduleSimulator.run(schedule, costModel: schedule.costModel)
        #expect(stats.predictedTime == schedule.predictedTime, "\(label)")
        #expect(stats.reverses == schedule.steps, "\(label)")
        for level in schedule.levels {
            #expect((stats.peakSlots[level.level] ?? 0) <= (level.slots ?? schedule.steps), "\(label): \(level)")
        }
        return stats
    }
}

/// The true optimum by Dijkstra's algorithm over every legal action stream on any number of
/// levels: one step advanced at a time, stores, restores (keeping or releasing the slot) and
/// reverses, with the rules of ``ScheduleSimulator``. Independent of the dynamic program.
enum HierarchyExhaustiveSearch {
    struct State: Hashable {
        var current: Int  // −1: undefined
        var nextReverse: Int
        var held: SIMD4<UInt32>  // per level (at most 4), bit i: x_i held
    }

    static func optimum(steps n: Int, capacities: [Int], levels: [StorageLevel], costs: CostModel) -> Double? {
        var best: [State: Double] = [:]
        var queue: [(Double, State)] = []  // a binary heap, smallest cost first
        func push(_ cost: Double, _ state: State) {
            queue.append((cost, state))
            var i = queue.count - 1
            while i > 0 && queue[(i - 1) / 2].0 > queue[i].0 { queue.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        }
        func pop() -> (Double, State)? {
            guard !queue.isEmpty else { return nil }
            queue.swapAt(0, queue.count - 1)
            let top = queue.removeLast()
            var i = 0
            while true {
                var smallest = i
                for child in [2 * i + 1, 2 * i + 2] where child < queue.count && queue[child].0 < queue[smallest].0 { smallest = child }
                if smallest == i { return top }
                queue.swapAt(i, smallest)
                i = smallest
            }
        }
        precondition(levels.count <= 4, "the search holds at most 4 levels")
        let start = State(current: 0, nextReverse: n - 1, held: .zero)
        best[start] = 0
        push(0, start)
        while let (cost, state) = pop() {
            if cost > best[state]! { continue }
            if state.nextReverse < 0 && state.held == .zero { return cost }
            var moves: [(Double, State)] = []
            if state.current >= 0 && state.current < n {
                var next = state
                next.current += 1
                moves.append((costs.advance, next))
            }
            if state.current >= 0 && state.current == state.nextReverse {
                var next = state
                next.current = -1
                next.nextReverse -= 1
                moves.append((costs.reverse, next))
            }
            for (k, level) in levels.enumerated() {
                let mask = state.held[k]
                if state.current >= 0 && mask & (1 << state.current) == 0 && mask.nonzeroBitCount < capacities[k] {
                    var next = state
                    next.held[k] = mask | (1 << state.current)
                    moves.append((costs.writeCost(level), next))
                }
                for i in 0...n where mask & (1 << i) != 0 {
                    var keep = state
                    keep.current = i
                    moves.append((costs.readCost(level), keep))
                    var release = keep
                    release.held[k] = mask & ~(1 << i)
                    moves.append((costs.readCost(level), release))
                }
            }
            for (price, next) in moves where cost + price < best[next, default: .infinity] {
                best[next] = cost + price
                push(cost + price, next)
            }
        }
        return nil
    }
}
