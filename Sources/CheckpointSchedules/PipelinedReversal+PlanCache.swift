import Synchronization

/// The trees ``PipelinedReversal/best(steps:states:reverseCost:walks:)`` chose, by their inputs:
/// the choice is a pure function of (n, states, ρ), and it walks up to
/// ``PipelinedReversal/plannedStepBudget`` schedule steps, which a gradient with cheap steps
/// can cost more than the reversal itself (N = 4096 Lorenz-96, n = 10⁴: 0.04 s of planning
/// beside 0.31 s of work). An optimisation loop asks the same question every iteration.
private let pipelinedPlans = Mutex<[PipelinedPlanKey: PipelinedReversal?]>([:])

/// The inputs of a tree choice; ρ by its bits, so that equal keys mean equal choices.
private struct PipelinedPlanKey: Hashable {
    var steps: Int
    var states: Int
    var reverseCostBits: UInt64
    var walks: Int?
}

extension PipelinedReversal {
    /// The most choices ``rememberedBest(steps:states:reverseCost:walks:)`` keeps; past that the
    /// cache is emptied and starts again.
    public static let rememberedPlanLimit = 64

    /// ``best(steps:states:reverseCost:walks:)``, remembered for the life of the process: the
    /// same inputs give the same tree without planning again (the checkpointed driver's
    /// two-thread reversal asks through this). ρ is part of the key, bit for bit: a caller
    /// that passes freshly measured step times on every run plans every time.
    ///
    /// - Throws: ``ScheduleError`` when `steps < 1` (never remembered).
    /// - Complexity: a dictionary look-up when the inputs were seen; otherwise `best`'s.
    public static func rememberedBest(
        steps n: Int, states: Int, reverseCost rho: Double = ParallelReversalLayout.defaultReverseCost, walks: Int? = nil
    ) throws(ScheduleError) -> PipelinedReversal? {
        let key = PipelinedPlanKey(steps: n, states: states, reverseCostBits: rho.bitPattern, walks: walks)
        if let known = pipelinedPlans.withLock({ $0[key] }) { return known }
        let chosen = try best(steps: n, states: states, reverseCost: rho, walks: walks)
        pipelinedPlans.withLock { plans in
            if plans.count >= rememberedPlanLimit { plans.removeAll() }
            plans[key] = chosen
        }
        return chosen
    }

    /// How many choices are remembered now.
    static var rememberedPlanCount: Int { pipelinedPlans.withLock { $0.count } }

    /// Whether the choice for these inputs is remembered now.
    static func remembers(steps n: Int, states: Int, reverseCost rho: Double, walks: Int? = nil) -> Bool {
        let key = PipelinedPlanKey(steps: n, states: states, reverseCostBits: rho.bitPattern, walks: walks)
        return pipelinedPlans.withLock { $0[key] != nil }
    }
}
