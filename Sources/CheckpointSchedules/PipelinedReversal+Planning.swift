/// Choosing a ``PipelinedReversal`` for a number of state buffers.
///
/// P's work after the recording sweep is about Σ_ℓ (1 − 1/K_ℓ)·n advances; R's is n·ρ. The
/// buffers hold about K₁ + Σ_{ℓ≥2} (K_ℓ + 1) checkpoints, one leaf's states, a parking
/// state per level and the queue. Deeper trees need fewer buffers and give P more work. The
/// planner screens tree shapes with these estimates, builds the most promising ones, and
/// keeps the one whose two-thread play (``ParallelStreamSimulator``, P's advances costed
/// at ``recomputingMargin`` to leave room for a shared machine) predicts the least time
/// within the buffers; whatever states the tree leaves deepen the queue.
extension PipelinedReversal {
    /// P's advances are costed this much more than R's steps when choosing a tree, so that
    /// the choice leaves P some slack on a shared machine.
    public static let recomputingMargin = 1.25

    /// Trees up to this many levels below the root are considered.
    public static let deepestTree = 7

    /// The planner's work bound: after the screen, it walks candidate streams (each walk
    /// O(D·n) time, O(D + s) memory) only until this many steps have been walked in all,
    /// at least one candidate and at most 16 (16 up to n ≈ 6·10⁵, one from n = 10⁷). A
    /// release build walks about ``walkedStepsPerSecond`` steps a second, so planning stays
    /// within seconds.
    public static let plannedStepBudget = 10_000_000

    /// About how many schedule steps a release build walks per second while choosing a tree
    /// (measured on the development machines): what turns a time allowance into `walks`.
    public static let walkedStepsPerSecond = 2.5e6

    /// The tree with the least predicted time among those whose checkpoints and queue fit in
    /// `states` buffers, or nil when none fits.
    ///
    /// With `walks`, the planner walks at most that many candidate streams of n steps (the
    /// probe of a shape and each hand-off depth it prices are one walk each; at least one
    /// candidate is always built): a gradient of cheap steps cannot afford the full search
    /// (N = 40 Lorenz-96, n = 10⁵: 0.6 s of planning beside a 0.7 s gradient). The choice is
    /// a pure function of the arguments.
    ///
    /// - Throws: ``ScheduleError`` when `steps < 1`.
    /// - Complexity: a screen of O(D·s·√s) shapes, then O(D·n) for each of the few
    ///   candidates ``plannedStepBudget`` (and `walks`) allow; O(D + s) memory besides the
    ///   screen's ``screenedShapeLimit`` candidates.
    public static func best(
        steps n: Int, states: Int, reverseCost rho: Double = ParallelReversalLayout.defaultReverseCost, walks: Int? = nil
    ) throws(ScheduleError) -> PipelinedReversal? {
        guard n >= 1 else { throw .invalidStepCount(n) }
        guard states >= 3 else { return nil }
        let walkedStepLimit = Swift.min(plannedStepBudget, walks.map { $0 <= plannedStepBudget / n ? $0 * n : plannedStepBudget } ?? plannedStepBudget)
        func mayBuildMore(_ built: Int, _ walked: Int) -> Bool { built == 0 || (built < 16 && walked < walkedStepLimit) }
        let shapes = screenedShapes(steps: n, states: states, reverseCost: rho)
        var best: (schedule: PipelinedReversal, time: Double)?
        var built = 0
        var walked = 0
        for shape in shapes where mayBuildMore(built, walked) {
            let probe = try PipelinedReversal(steps: n, branching: shape.branching, handOffDepth: 1)
            walked += n
            let leaf = probe.longestLeaf
            for depth in Set([2, 4, Swift.max(2, leaf / 2)]).sorted()
            where probe.peakSlots + depth <= states && mayBuildMore(built, walked) {
                built += 1
                walked += n
                let schedule = probe.withHandOffDepth(depth)
                let time = schedule.predictedTime(reverseCost: rho, recomputingCost: recomputingMargin)
                if best == nil || time < best!.time - 1e-9 { best = (schedule, time) }
            }
        }
        // States the tree leaves go to the queue: a deeper queue never predicts a slower
        // run, and it lets each thread bank progress while the other is descheduled.
        guard let chosen = best?.schedule else { return nil }
        return chosen.withHandOffDepth(Swift.max(chosen.handOffDepth, states - chosen.peakSlots))
    }

    /// The most candidate shapes the screen keeps (the best by estimate, then by buffers):
    /// far more than the planner can walk within ``plannedStepBudget`` unless n is tiny, and
    /// a bound on the planner's own memory (about 100 bytes a shape), which a memory budget
    /// does not count.
    public static let screenedShapeLimit = 4096

    /// The tree shapes worth building for n steps in `states` buffers, best estimate first:
    /// each branching once, with the fewest buffers any leaf size gives it, at most
    /// ``screenedShapeLimit`` of them.
    ///
    /// - Complexity: O(D·s·√s) time, O(``screenedShapeLimit``) memory.
    static func screenedShapes(steps n: Int, states: Int, reverseCost rho: Double) -> [ScreenedShape] {
        var shapes: [ScreenedShape] = []
        func keepBest() {
            shapes.sort { ($0.estimate, $0.buffers) < ($1.estimate, $1.buffers) }
            if shapes.count > screenedShapeLimit { shapes.removeLast(shapes.count - screenedShapeLimit) }
        }
        for depth in 1...deepestTree {
            for lower in 2...Swift.max(2, Swift.min(48, states / 2)) where depth > 1 || lower == 2 {
                var below = 1
                for _ in 1..<depth { below *= lower }
                var previousTop = 0
                for leaf in 1...Swift.max(1, Swift.min(2048, states / 2)) {
                    let top = (n + leaf * below - 1) / (leaf * below)
                    // A larger leaf with the same top is the same tree with more buffers.
                    guard top >= 1, top <= n, top != previousTop else { continue }
                    previousTop = top
                    let buffers = top + (depth - 1) * (lower + 1) + depth + 2 * leaf
                    guard buffers <= states + states / 4 else { continue }
                    var work = 1 - 1 / Double(top)
                    for _ in 1..<depth { work += 1 - 1 / Double(lower) }
                    work *= Double(n)
                    let estimate = Swift.max(rho * Double(n), recomputingMargin * work)
                    shapes.append(ScreenedShape(top: top, lower: lower, depth: depth, estimate: estimate, buffers: buffers))
                    if shapes.count >= 2 * screenedShapeLimit { keepBest() }
                }
            }
        }
        keepBest()
        return shapes
    }

    /// A tree shape of the screen: [top, lower, …, lower] with `depth` entries, its
    /// estimated time and buffers.
    struct ScreenedShape {
        var top: Int
        var lower: Int
        var depth: Int
        var estimate: Double
        var buffers: Int
        /// [K₁, …, K_D].
        var branching: [Int] { [top] + Array(repeating: lower, count: depth - 1) }
    }

    /// The predicted wall time of recording and reverse sweeps in advances, with a taped
    /// step and its pullback costing `reverseCost` and P's advances `recomputingCost`.
    /// The stream is valid by construction; the tests check that through the simulators.
    public func predictedTime(reverseCost rho: Double, recomputingCost: Double = 1) -> Double {
        do {
            let report = try ParallelStreamSimulator.run(
                self, steps: steps, slots: peakSlots, handOffDepth: handOffDepth, reverseCost: rho / recomputingCost)
            return report.recordingTime + report.reverseSweepTime * recomputingCost
        } catch {
            preconditionFailure("PipelinedReversal produced an invalid stream: \(error)")
        }
    }
}
