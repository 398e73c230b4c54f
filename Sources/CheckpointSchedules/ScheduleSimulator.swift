/// Plays any stream of ``CheckpointAction``s against the rules of checkpointing and
/// counts what it costs. The executable invariant every schedule is tested through.
///
/// The rules: an advance starts at the current step and moves forward, ending at n at
/// most; a store saves the current state into a free slot within its level's capacity; a
/// restore reads a live slot; a discard frees a live slot holding the named step; steps
/// are reversed exactly once each, in the order
/// n − 1, …, 0, each from its own state; `endForward` comes once, before the first
/// reverse; the stream ends with `endReverse` with every slot released.
///
/// ```swift
/// let schedule = try Revolve(steps: 50, slots: 7)
/// let stats = try ScheduleSimulator.run(schedule)
/// assert(stats.advances == 105)
/// ```
///
/// - Complexity: O(1) per action; memory proportional to the largest slot index used.
public struct ScheduleSimulator {
    /// n: the number of steps of the computation.
    public let steps: Int
    /// The slots available at each level.
    public let capacities: [StorageLevel: Int]
    /// The prices used for ``ScheduleStatistics/predictedTime``.
    public let costModel: CostModel

    /// The statistics so far.
    public var statistics: ScheduleStatistics {
        var result = counts
        for level in StorageLevel.allCases {
            let i = level.index
            if stores[i] > 0 { result.stores[level] = stores[i] }
            if restores[i] > 0 { result.restores[level] = restores[i] }
            if peakSlots[i] > 0 { result.peakSlots[level] = peakSlots[i] }
        }
        return result
    }
    /// The step whose state is current, or nil when it is undefined (after a reverse).
    public private(set) var currentStep: Int? = 0
    /// The next step to reverse: n − 1 at first, −1 once all are reversed.
    public private(set) var nextReverse: Int
    private var counts: ScheduleStatistics
    /// Per level (by ``StorageLevel/index``): the step each slot holds, −1 when free.
    private var slotContents: [[Int]]
    private var capacityByIndex: [Int]
    /// Per level: the cost model's price of one store and of one restore.
    private let writeCostByIndex: [Double]
    private let readCostByIndex: [Double]
    private var liveSlots: [Int]
    private var stores: [Int]
    private var restores: [Int]
    private var peakSlots: [Int]
    private var forwardEnded = false
    private var reverseEnded = false

    /// A simulator for `steps` steps with the given slot capacities.
    public init(steps: Int, capacities: [StorageLevel: Int], costModel: CostModel = CostModel()) {
        precondition(steps >= 1, "a schedule reverses at least one step, got steps = \(steps)")
        self.steps = steps
        self.capacities = capacities
        self.costModel = costModel
        self.counts = ScheduleStatistics(steps: steps)
        self.nextReverse = steps - 1
        let levels = StorageLevel.allCases.count
        slotContents = Array(repeating: [], count: levels)
        capacityByIndex = StorageLevel.allCases.map { capacities[$0] ?? 0 }
        writeCostByIndex = StorageLevel.allCases.map(costModel.writeCost)
        readCostByIndex = StorageLevel.allCases.map(costModel.readCost)
        liveSlots = Array(repeating: 0, count: levels)
        stores = liveSlots
        restores = liveSlots
        peakSlots = liveSlots
    }

    /// Plays a whole schedule and returns its statistics.
    /// - Throws: ``ScheduleViolation`` at the first action that breaks a rule.
    public static func run(_ schedule: some CheckpointSchedule, costModel: CostModel = CostModel()) throws(ScheduleViolation) -> ScheduleStatistics {
        let capacities = Dictionary(uniqueKeysWithValues: StorageLevel.allCases.map { ($0, schedule.capacity(of: $0)) })
        return try run(schedule, steps: schedule.steps, capacities: capacities, costModel: costModel)
    }

    /// Plays a whole revolve schedule and returns its statistics: the same rules and
    /// results as the generic form, compiled for revolve's iterator so that generating and
    /// checking 10^7 steps takes a fraction of a second (Benchmarks' `schedule-speed-report`).
    /// - Throws: ``ScheduleViolation`` at the first action that breaks a rule.
    public static func run(_ schedule: Revolve, costModel: CostModel = CostModel()) throws(ScheduleViolation) -> ScheduleStatistics {
        var simulator = ScheduleSimulator(steps: schedule.steps, capacities: [schedule.level: schedule.slots], costModel: costModel)
        var iterator = schedule.makeIterator()
        while let action = iterator.next() { try simulator.play(action) }
        try simulator.finish()
        return simulator.statistics
    }

    /// Plays any action stream for `steps` steps and the given capacities.
    /// - Throws: ``ScheduleViolation`` at the first action that breaks a rule.
    public static func run(
        _ actions: some Sequence<CheckpointAction>, steps: Int, capacities: [StorageLevel: Int], costModel: CostModel = CostModel()
    ) throws(ScheduleViolation) -> ScheduleStatistics {
        var simulator = ScheduleSimulator(steps: steps, capacities: capacities, costModel: costModel)
        for action in actions { try simulator.play(action) }
        try simulator.finish()
        return simulator.statistics
    }

    /// Checks and applies one action.
    public mutating func play(_ action: CheckpointAction) throws(ScheduleViolation) {
        let index = counts.actions
        func fail(_ reason: String) -> ScheduleViolation {
            ScheduleViolation(actionIndex: index, action: action, reason: reason)
        }
        guard !reverseEnded else { throw fail("no action may follow endReverse") }
        switch action {
        case let .advance(from, to):
            guard currentStep == from else { throw fail("the current state is \(describe(currentStep)), not x\(from)") }
            guard from < to, to <= steps else { throw fail("an advance must move forward within 0…\(steps)") }
            currentStep = to
            if forwardEnded {
                counts.recomputationAdvances += to - from
            } else {
                counts.recordingAdvances += to - from
            }
            counts.predictedTime += Double(to - from) * costModel.advance
        case let .store(step, level, slot):
            guard currentStep == step else { throw fail("the current state is \(describe(currentStep)), not x\(step)") }
            let l = level.index
            guard slot >= 0, slot < capacityByIndex[l] else {
                throw fail("slot \(slot) is outside the \(capacityByIndex[l]) slots of \(level)")
            }
            if slotContents[l].count <= slot {
                slotContents[l].append(contentsOf: repeatElement(-1, count: slot + 1 - slotContents[l].count))
            }
            let held = slotContents[l][slot]
            guard held < 0 else { throw fail("\(level)[\(slot)] still holds x\(held)") }
            slotContents[l][slot] = step
            liveSlots[l] += 1
            peakSlots[l] = max(peakSlots[l], liveSlots[l])
            stores[l] += 1
            counts.predictedTime += writeCostByIndex[l]
        case let .restore(step, level, slot, release):
            let l = level.index
            guard slot >= 0, slot < slotContents[l].count, slotContents[l][slot] >= 0 else {
                throw fail("\(level)[\(slot)] holds no state")
            }
            let held = slotContents[l][slot]
            guard held == step else { throw fail("\(level)[\(slot)] holds x\(held), not x\(step)") }
            currentStep = step
            if release {
                slotContents[l][slot] = -1
                liveSlots[l] -= 1
            }
            restores[l] += 1
            counts.predictedTime += readCostByIndex[l]
        case let .discard(step, level, slot):
            let l = level.index
            guard slot >= 0, slot < slotContents[l].count, slotContents[l][slot] >= 0 else {
                throw fail("\(level)[\(slot)] holds no state to discard")
            }
            let held = slotContents[l][slot]
            guard held == step else { throw fail("\(level)[\(slot)] holds x\(held), not x\(step)") }
            slotContents[l][slot] = -1
            liveSlots[l] -= 1
        case let .reverse(step):
            guard forwardEnded else { throw fail("endForward must come before the first reverse") }
            guard step == nextReverse else {
                throw fail(nextReverse < 0 ? "every step is already reversed" : "step \(nextReverse) must be reversed next, not \(step)")
            }
            guard currentStep == step else { throw fail("the current state is \(describe(currentStep)), not x\(step)") }
            nextReverse -= 1
            currentStep = nil
            counts.reverses += 1
            counts.predictedTime += costModel.reverse
        case .endForward:
            guard !forwardEnded else { throw fail("endForward may come only once") }
            forwardEnded = true
        case .endReverse:
            guard nextReverse < 0 else { throw fail("endReverse before steps \(nextReverse)…0 were reversed") }
            if let (level, slot, held) = firstLiveSlot() {
                throw fail("\(level)[\(slot)] still holds x\(held) at the end; release it with its last restore")
            }
            reverseEnded = true
        }
        counts.actions += 1
    }

    /// Checks that the stream is complete.
    /// - Throws: ``ScheduleViolation`` if `endReverse` never came.
    public func finish() throws(ScheduleViolation) {
        guard reverseEnded else {
            throw ScheduleViolation(actionIndex: counts.actions, action: nil, reason: "the stream ended without endReverse")
        }
    }

    private func describe(_ step: Int?) -> String { step.map { "x\($0)" } ?? "undefined (restore one first)" }

    private func firstLiveSlot() -> (StorageLevel, Int, Int)? {
        for level in StorageLevel.allCases {
            let contents = slotContents[level.index]
            if let slot = contents.firstIndex(where: { $0 >= 0 }) { return (level, slot, contents[slot]) }
        }
        return nil
    }
}

/// An action that breaks a rule of checkpointing, found by the ``ScheduleSimulator``.
public struct ScheduleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 0-based position of the offending action in the stream.
    public var actionIndex: Int
    /// The offending action, or nil when the stream ended too early.
    public var action: CheckpointAction?
    /// Which rule it broke.
    public var reason: String

    public var description: String {
        "action \(actionIndex)\(action.map { " (\($0))" } ?? ""): \(reason)"
    }
}
