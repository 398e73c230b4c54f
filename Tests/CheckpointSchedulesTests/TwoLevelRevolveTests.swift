import Testing
@testable import CheckpointSchedules
import RewindTestSupport

/// The two-level schedule against an exhaustive search over every legal action stream,
/// the closed formula of revolve, and the simulator.
@Suite struct TwoLevelRevolveTests {
    /// Integer-valued costs, so that every sum is exact in `Double` and `==` is fair.
    static let costModels: [CostModel] = [
        CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 2]),
        CostModel(advance: 1, reverse: 1, write: [.disk: 10], read: [.disk: 10]),
        CostModel(advance: 2, reverse: 3, write: [.memory: 1, .disk: 4], read: [.memory: 1, .disk: 1]),
        CostModel(advance: 1, reverse: 5, write: [.memory: 2, .disk: 1], read: [.memory: 3, .disk: 1]),
        CostModel(advance: 3, reverse: 1, write: [.disk: 0], read: [.disk: 7]),
    ]

    @Test(arguments: 0..<5)
    func equalsExhaustiveSearchForSmallN(model: Int) throws {
        let costs = Self.costModels[model]
        for n in 1...5 {
            for memory in 0...2 {
                for disk in [0, 1, 2, nil] as [Int?] {
                    let optimum = ExhaustiveSearch.optimum(steps: n, memory: memory, disk: disk ?? n, costs: costs)
                    guard let schedule = try? TwoLevelRevolve(steps: n, memorySlots: memory, diskSlots: disk, costModel: costs) else {
                        #expect(optimum == nil, "n = \(n), s_m = \(memory), s_d = \(String(describing: disk)): search found \(optimum ?? -1)")
                        continue
                    }
                    let stats = try ScheduleSimulator.run(schedule, costModel: costs)
                    let label = "n = \(n), s_m = \(memory), s_d = \(String(describing: disk)), model \(model)"
                    #expect(stats.predictedTime == schedule.predictedTime, "\(label)")
                    #expect(optimum == schedule.predictedTime, "\(label)")
                }
            }
        }
    }

    @Test func seededRandomCostsMatchExhaustiveSearch() throws {
        var generator = SplitMix64(seed: 42)
        for trial in 0..<40 {
            let value = { (g: inout SplitMix64, range: ClosedRange<Int>) in Double(Int(g.next() % UInt64(range.count)) + range.lowerBound) }
            let costs = CostModel(
                advance: value(&generator, 1...4), reverse: value(&generator, 0...6),
                write: [.memory: value(&generator, 0...3), .disk: value(&generator, 0...12)],
                read: [.memory: value(&generator, 0...3), .disk: value(&generator, 0...12)])
            let n = Int(generator.next() % 6) + 2
            let memory = Int(generator.next() % 3)
            let disk = Int(generator.next() % 4)
            let optimum = ExhaustiveSearch.optimum(steps: n, memory: memory, disk: disk, costs: costs)
            let schedule = try? TwoLevelRevolve(steps: n, memorySlots: memory, diskSlots: disk, costModel: costs)
            #expect(optimum == schedule?.predictedTime, "seed 42, trial \(trial): n = \(n), s_m = \(memory), s_d = \(disk), \(costs)")
            if let schedule {
                #expect(try ScheduleSimulator.run(schedule, costModel: costs).predictedTime == schedule.predictedTime)
            }
        }
    }

    @Test func freeMemoryAloneIsRevolve() throws {
        // With no disk and free memory the optimum is revolve's t(n, s)·a + n·b.
        let costs = CostModel(advance: 1, reverse: 2)
        for n in 1...120 {
            for s in 1...6 {
                let schedule = try TwoLevelRevolve(steps: n, memorySlots: s, diskSlots: 0, costModel: costs)
                let t = try BinomialCheckpointing.minimalAdvances(steps: n, slots: s)
                #expect(schedule.predictedTime == Double(t + 2 * n), "n = \(n), s = \(s)")
                let stats = try ScheduleSimulator.run(schedule, costModel: costs)
                #expect(stats.advances == t && (stats.peakSlots[.memory] ?? 0) <= s)
            }
        }
    }

    @Test func neverWorseThanEitherLevelAloneAndPassesTheSimulator() throws {
        let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 5], read: [.disk: 5])
        for n in [10, 57, 200] {
            for (m, d) in [(1, 3), (2, 8), (4, 16)] {
                let both = try TwoLevelRevolve(steps: n, memorySlots: m, diskSlots: d, costModel: costs)
                let memoryOnly = try TwoLevelRevolve(steps: n, memorySlots: m, diskSlots: 0, costModel: costs)
                let diskOnly = try TwoLevelRevolve(steps: n, memorySlots: 0, diskSlots: d, costModel: costs)
                #expect(both.predictedTime <= Swift.min(memoryOnly.predictedTime, diskOnly.predictedTime))
                let stats = try ScheduleSimulator.run(both, costModel: costs)
                #expect(stats.predictedTime == both.predictedTime)
                #expect(stats.reverses == n && (stats.peakSlots[.disk] ?? 0) <= d && (stats.peakSlots[.memory] ?? 0) <= m)
            }
        }
    }

    @Test func scalableModeForLongChainsPassesTheSimulator() throws {
        let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 8], read: [.disk: 8])
        let exact = try TwoLevelRevolve(steps: 600, memorySlots: 3, diskSlots: nil, costModel: costs)
        #expect(exact.method == .exact && exact.period == nil)
        // A small work limit forces a scalable form; it may only be slower than the optimum.
        let scalable = try TwoLevelRevolve(steps: 600, memorySlots: 3, diskSlots: nil, costModel: costs, workLimit: 200_000)
        #expect(scalable.method != .exact)
        let stats = try ScheduleSimulator.run(scalable, costModel: costs)
        #expect(stats.predictedTime == scalable.predictedTime && stats.reverses == 600)
        #expect(scalable.predictedTime >= exact.predictedTime)
        #expect(scalable.predictedTime <= 1.1 * exact.predictedTime, "\(scalable.method)")
        // A limited disk too: the stream never holds more disk checkpoints than allowed.
        let limited = try TwoLevelRevolve(steps: 600, memorySlots: 3, diskSlots: 40, costModel: costs, workLimit: 200_000)
        let limitedStats = try ScheduleSimulator.run(limited, costModel: costs)
        #expect(limitedStats.predictedTime == limited.predictedTime && (limitedStats.peakSlots[.disk] ?? 0) <= 40)
    }

    @Test func typedErrors() {
        #expect(throws: TwoLevelRevolveError.invalidStepCount(0)) { try TwoLevelRevolve(steps: 0, memorySlots: 1, diskSlots: 1) }
        #expect(throws: TwoLevelRevolveError.invalidSlotCount(memory: 0, disk: 0)) { try TwoLevelRevolve(steps: 5, memorySlots: 0, diskSlots: 0) }
        #expect(throws: TwoLevelRevolveError.invalidSlotCount(memory: -1, disk: 2)) { try TwoLevelRevolve(steps: 5, memorySlots: -1, diskSlots: 2) }
        // Nothing fits a tiny work limit for a chain this long: a typed error, not a trap.
        #expect(throws: TwoLevelRevolveError.tooLarge(steps: Int.max, memorySlots: 2, diskSlots: 3, workLimit: 1000)) {
            try TwoLevelRevolve(steps: Int.max, memorySlots: 2, diskSlots: 3, workLimit: 1000)
        }
        // A small work limit still gives a legal schedule where a scalable form fits it.
        let small = try? TwoLevelRevolve(steps: 5000, memorySlots: 2, diskSlots: 3, workLimit: 1000)
        #expect(small.map { $0.method != .exact } == true)
        #expect(TwoLevelRevolveError.invalidSlotCount(memory: 0, disk: 0).description.contains("at least one slot"))
    }
}

/// The true optimum by Dijkstra's algorithm over every legal action stream: one step
/// advanced at a time, stores, restores (keeping or releasing the slot) and reverses, with
/// the rules of ``ScheduleSimulator``. Written independently of the dynamic program.
enum ExhaustiveSearch {
    struct State: Hashable {
        var current: Int  // −1: undefined
        var nextReverse: Int
        var memory: UInt32  // bit i: x_i held
        var disk: UInt32
    }

    static func optimum(steps n: Int, memory capacityM: Int, disk capacityD: Int, costs: CostModel) -> Double? {
        var best: [State: Double] = [:]
        var queue = MinimumQueue()
        let start = State(current: 0, nextReverse: n - 1, memory: 0, disk: 0)
        best[start] = 0
        queue.push(0, start)
        while let (cost, state) = queue.pop() {
            if cost > best[state]! { continue }
            if state.nextReverse < 0 && state.memory == 0 && state.disk == 0 { return cost }
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
            for (level, capacity) in [(StorageLevel.memory, capacityM), (.disk, capacityD)] {
                let mask = level == .memory ? state.memory : state.disk
                if state.current >= 0 && mask & (1 << state.current) == 0 && mask.nonzeroBitCount < capacity {
                    var next = state
                    next.set(level, mask | (1 << state.current))
                    moves.append((costs.writeCost(level), next))
                }
                for i in 0...n where mask & (1 << i) != 0 {
                    var keep = state
                    keep.current = i
                    moves.append((costs.readCost(level), keep))
                    var release = keep
                    release.set(level, mask & ~(1 << i))
                    moves.append((costs.readCost(level), release))
                }
            }
            for (price, next) in moves where cost + price < best[next, default: .infinity] {
                best[next] = cost + price
                queue.push(cost + price, next)
            }
        }
        return nil
    }

    /// A binary heap of (cost, state), smallest cost first.
    struct MinimumQueue {
        var items: [(Double, State)] = []
        mutating func push(_ cost: Double, _ state: State) {
            items.append((cost, state))
            var i = items.count - 1
            while i > 0 && items[(i - 1) / 2].0 > items[i].0 {
                items.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        }
        mutating func pop() -> (Double, State)? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            var i = 0
            while true {
                var smallest = i
                for child in [2 * i + 1, 2 * i + 2] where child < items.count && items[child].0 < items[smallest].0 { smallest = child }
                if smallest == i { return top }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
    }
}

extension ExhaustiveSearch.State {
    mutating func set(_ level: StorageLevel, _ mask: UInt32) {
        if level == .memory { memory = mask } else { disk = mask }
    }
}
