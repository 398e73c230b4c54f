/// Online checkpointing after Stumm & Walther (SIAM J. Sci. Comput. 32(2):836–854, 2010,
/// "New algorithms for optimal online checkpointing", doi:10.1137/080742439): for runs up
/// to β(s, 2) steps (repetition number 2) the layout is, at every step, within one advance
/// of revolve's for a run ending there, and within four up to β(s, 3). Beyond β(s, 3) the
/// same rule goes on regime after regime (our extension, within 1.273·t(n, s) for every
/// n ≤ 10^6 and s ≤ 64), or, with `maximalRepetitions: 3`, the dynamic scheme of Wang,
/// Moin & Iaccarino (``OnlineWang``) takes over as in the paper.
///
/// ```swift
/// let schedule = OnlineStummWalther(slots: 10)
/// let replay = try OnlineScheduleReplay(schedule, steps: 60)   // β(10, 2) = 66
/// let stats = try ScheduleSimulator.run(replay)                 // t(60, 10) or one more
/// ```
///
/// **Algorithm.** In regime r (β(s, r − 1) < n ≤ β(s, r)) the schedule aims at revolve's
/// layout for N = β(s, r) steps: the checkpoints revolve stores on its recording sweep
/// (x0, then x[β(s, r − 1)], …; computed once per regime by running ``Revolve``). Each is
/// stored when it is reached and kept: these checkpoints are *fixed*, as in the paper.
/// The other slots hold *temporary* checkpoints: one is taken whenever the distance from
/// the last checkpoint to the current state would exceed r (an optimal layout's last gap
/// has at most r + 1 = β(1, r) steps), and the temporary checkpoint dropped for it is the
/// one whose removal raises the closed-form cost
/// ``OnlineCheckpointLayout/simulatedAdvances(steps:)`` least (merging two gaps, and
/// giving every later gap one slot more). On entering regime r + 1 every checkpoint but
/// x0 becomes temporary.
///
/// **What this gives, in our counting** (online advances = simulated + 1, see
/// ``OnlineCheckpointSchedule``): for n ≤ β(s, 2) the simulated advances are exactly
/// t(n, s) when x[n−1] was not stored at the last step (or n ≤ s + 1), and t(n, s) + 1
/// when it was; the online total is t(n, s) + 1 or t(n, s) + 2. No online schedule can
/// reach t(n, s) for every n of that range: storing x[n−1] wastes a slot if the run ends
/// there, and not storing for three steps running leaves a last gap longer than any
/// optimal layout has; so an excess of 1 is the best worst case. Up to β(s, 3) the
/// excess measured for s ≤ 20 is at most 4. The tests check these relations for every
/// n ≤ 2000 and s ≤ 20.
///
/// **Beyond β(s, 3)**, by default, the same fixed-revolve rule continues for every regime
/// r = 4, 5, … (our extension, not the paper's): measured for every stop point n ≤ 10^6
/// and every s ≤ 64 (`Benchmarks/Reports/online-bound-report`), the simulated advances
/// stay within 1.273·t(n, s) (worst at s = 2, n = 7: 14 against t = 11), and within
/// 1.05·t(n, s) + 1 for s ≥ 4 and n > 20; beyond n = 1000 within 0.3% for s = 10, 50, 100
/// (`online-report`). With `maximalRepetitions: 3` the paper's hand-over happens instead:
/// ``OnlineWang`` continues from the current layout (the fixed checkpoints get level 3,
/// the temporary ones level 0); that variant reaches 1.34·t(n, s) (s = 32, n = 6576).
///
/// The paper's own text was not at hand when this was written: the fixed checkpoints and
/// the r = 2 / r = 3 ranges follow it; the rule that picks temporary checkpoints is ours
/// and is checked against the relations above rather than copied.
///
/// - Complexity: s slots; O(s·r) work for a step that stores, O(1) otherwise; revolve's
///   recording layout (at most s stores) is computed once per regime.
public struct OnlineStummWalther: OnlineCheckpointSchedule {
    /// s: the number of slots, x0 included.
    public let slots: Int
    /// The level every checkpoint is stored at.
    public let level: StorageLevel
    /// The highest repetition number handled by fixed revolve checkpoints (`.max` by
    /// default: never hand over; 3 in the paper); beyond β(s, r) the dynamic scheme of
    /// Wang et al. takes over.
    public let maximalRepetitions: Int
    /// The repetition number of the current regime: 1, 2, 3, or `nil` once ``OnlineWang``
    /// has taken over.
    public private(set) var repetitions: Int? = 1
    var state: Layout
    var wang: OnlineWang?

    /// A layout with fixed and temporary checkpoints.
    struct Layout: Sendable {
        var checkpoints: OnlineCheckpointLayout
        var fixed: [Bool] = []
        var freeSlots: [Int]
    }
    var regimeEnd: Int
    var targets: [Int] = []
    var nextTarget = 0

    /// An online schedule with `slots` slots (x0 included); `maximalRepetitions` chooses
    /// how long the revolve-based regimes last before Wang et al. take over: by default
    /// they never do (within 1.273·t(n, s) for every n ≤ 10^6, s ≤ 64); 3 is the paper's.
    public init(slots: Int, maximalRepetitions: Int = .max, level: StorageLevel = .memory) {
        precondition(slots >= 1, "an online schedule needs at least one slot (for x0), got \(slots)")
        precondition(maximalRepetitions >= 1, "maximalRepetitions must be at least 1, got \(maximalRepetitions)")
        self.slots = slots
        self.level = level
        self.maximalRepetitions = maximalRepetitions
        state = Layout(checkpoints: OnlineCheckpointLayout(capacity: slots), freeSlots: Array((0..<slots).reversed()))
        regimeEnd = Self.beta(slots, 1)
        targets = Self.revolveLayout(steps: regimeEnd, slots: slots)
        nextTarget = 1
    }

    /// The checkpoints held now.
    public var layout: OnlineCheckpointLayout { wang?.layout ?? state.checkpoints }

    /// Store x[step] when it is a fixed revolve checkpoint or the last gap would grow too
    /// long, dropping the cheapest temporary checkpoint when the slots are full.
    public mutating func actionsBeforeAdvancing(from step: Int) -> [CheckpointAction] {
        if wang != nil { return wang!.actionsBeforeAdvancing(from: step) }
        if step == 0 {
            return [store(step: 0, fixed: true)]
        }
        guard slots > 1 else { return [] }
        while step >= regimeEnd {
            let r = repetitions! + 1
            if r > maximalRepetitions {
                handOverToWang()
                return wang!.actionsBeforeAdvancing(from: step)
            }
            repetitions = r
            regimeEnd = Self.beta(slots, r)
            targets = Self.revolveLayout(steps: regimeEnd, slots: slots)
            nextTarget = 1
            for j in 1..<state.fixed.count { state.fixed[j] = false }
        }
        while nextTarget < targets.count && targets[nextTarget] < step { nextTarget += 1 }
        let isTarget = nextTarget < targets.count && targets[nextTarget] == step
        let r = repetitions!
        let tailTooLong = step - state.checkpoints.lastStep! > r
        guard isTarget || tailTooLong || !state.freeSlots.isEmpty else { return [] }
        var actions: [CheckpointAction] = []
        if state.freeSlots.isEmpty {
            guard let victim = cheapestTemporary(addingStep: step) else { return [] }
            let dropped = state.checkpoints.remove(at: victim)
            state.fixed.remove(at: victim)
            state.freeSlots.append(dropped.slot)
            actions.append(.discard(step: dropped.step, level: level, slot: dropped.slot))
        }
        actions.append(store(step: step, fixed: isTarget))
        return actions
    }

    mutating func store(step: Int, fixed: Bool) -> CheckpointAction {
        let slot = state.freeSlots.removeLast()
        state.checkpoints.append(step: step, slot: slot)
        state.fixed.append(fixed)
        return .store(step: step, level: level, slot: slot)
    }

    /// The temporary checkpoint whose removal, once x[step] is appended, raises the
    /// layout's cost least: removing c_m merges gaps m − 1 and m and gives every later gap
    /// one slot more.
    func cheapestTemporary(addingStep step: Int) -> Int? {
        let c = state.checkpoints.steps
        let k = c.count - 1
        let s = slots
        func gap(_ j: Int) -> Int { (j == k ? step : c[j + 1]) - c[j] }
        let t = OnlineCheckpointLayout.t
        var best: Int? = nil
        var bestDelta = Int.max
        var laterGain = 0  // Σ_{j>m} t(g_j, s − j + 1) − t(g_j, s − j)
        var m = k
        while m >= 1 {
            if !state.fixed[m] {
                let merged = gap(m - 1) + gap(m)
                let delta = t(merged, s - m + 1) - t(gap(m - 1), s - m + 1) - t(gap(m), s - m) + laterGain
                if delta < bestDelta { bestDelta = delta; best = m }
            }
            laterGain += t(gap(m), s - m + 1) - t(gap(m), s - m)
            m -= 1
        }
        return best
    }

    /// Continue with Wang et al.'s dynamic scheme from the current layout: x0 keeps the
    /// highest level; the other checkpoints get levels that fall with time, so that the
    /// older ones (revolve's fixed checkpoints, spaced β(s − j, r − 1) apart) are
    /// dropped last.
    mutating func handOverToWang() {
        var dynamic = OnlineWang(slots: slots, level: level)
        let count = state.checkpoints.count
        var levels = [Int.max]
        for j in 1..<count { levels.append(state.fixed[j] ? maximalRepetitions : 0) }
        dynamic.adopt(layout: state.checkpoints, levels: levels, freeSlots: state.freeSlots)
        wang = dynamic
        repetitions = nil
    }

    /// β(s, r), saturating at `Int.max`.
    static func beta(_ s: Int, _ r: Int) -> Int { (try? BinomialCheckpointing.beta(slots: s, repetitions: r)) ?? Int.max }

    /// The steps revolve checkpoints on its recording sweep for `steps` steps.
    static func revolveLayout(steps: Int, slots: Int) -> [Int] {
        guard steps < Int.max, let revolve = try? Revolve(steps: steps, slots: slots) else { return [0] }
        var stored: [Int] = []
        for action in revolve {
            if case let .store(step, _, _) = action { stored.append(step) }
            if case .endForward = action { break }
        }
        return stored
    }
}
