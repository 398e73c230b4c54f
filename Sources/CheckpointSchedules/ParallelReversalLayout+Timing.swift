/// A time model of the reversal on two threads, and the layout it picks for a number of
/// state buffers shared by checkpoints and the hand-off queue.
///
/// Times are in advances (one untaped step = 1); a taped step with its pullback costs ρ.
/// The reversing thread R does n·ρ of work. It stalls when the recomputing thread P meets a
/// burst of b advances between two hand-overs with only the queue's q states to cover it:
/// by about max(0, b − q·ρ). P also plays, for each segment, the next segment's forward
/// part (m advances) besides the segment's own recomputation. Per segment of m steps:
///
///     time(m) = max(m·ρ + Σ_bursts max(0, b − q·ρ),  t(m, s_in) − (m − 1) + m)
///
/// It ignores that P may have run ahead before a burst (so it overestimates stalls a
/// little) and the hand-over's own cost. Bursts are counted from the inner Revolve's action
/// stream for segments up to ``ParallelReversalLayout/burstCountLimit`` steps; longer
/// segments are costed by their work alone.
extension ParallelReversalLayout {
    /// The cost of a taped step with its pullback, in advances, when none is given: 2.5
    /// (measured here for Lorenz-96 RK4 at N = 4096: 2.6 with the fused hand-written VJP,
    /// about 3 with Swift AD over `Vector` operations).
    public static let defaultReverseCost = 2.5

    /// Segments longer than this are costed without counting their bursts.
    public static let burstCountLimit = 20_000

    /// The predicted wall time of the reverse sweep, in advances (see the extension's note).
    ///
    /// - Complexity: O(t(m, s_in)) per distinct segment length m ≤ ``burstCountLimit``.
    public func predictedReverseSweep(reverseCost rho: Double = Self.defaultReverseCost) throws(ScheduleError) -> Double {
        let short = steps / segmentCount, longer = steps % segmentCount
        var total = Double(segmentCount - longer) * (try segmentTime(length: short, rho: rho))
        if longer > 0 { total += Double(longer) * (try segmentTime(length: short + 1, rho: rho)) }
        return total
    }

    /// time(m) of the extension's note.
    func segmentTime(length m: Int, rho: Double) throws(ScheduleError) -> Double {
        let inner = Swift.min(innerSlots, m)
        let recomputation = try BinomialCheckpointing.minimalAdvances(steps: m, slots: inner) - (m - 1)
        var stalls = 0.0
        if m <= Self.burstCountLimit {
            let cover = Double(handOffDepth) * rho
            var burst = 0
            var reversing = false
            for action in try Revolve(steps: m, slots: inner) {
                switch action {
                case let .advance(from, to): if reversing { burst += to - from }
                case .reverse:
                    if reversing { stalls += Swift.max(0, Double(burst) - cover) }
                    reversing = true
                    burst = 0
                default: break
                }
            }
        }
        return Swift.max(Double(m) * rho + stalls, Double(recomputation + m))
    }

    /// The layout with the least ``predictedReverseSweep(reverseCost:)`` among those whose
    /// checkpoints (``peakSlots``) and hand-off queue together fit in `states` buffers,
    /// trying queue depths 1, 2, 4, 8, … up to half the states.
    ///
    /// - Throws: ``ScheduleError`` when `steps < 1` or `states < 2` (one checkpoint and one
    ///   queued state at least).
    /// - Complexity: O(log s · s) candidate layouts, each costed as above.
    public init(steps: Int, states: Int, reverseCost rho: Double = Self.defaultReverseCost) throws(ScheduleError) {
        guard states >= 2 else { throw .invalidSlotCount(states) }
        var best: (layout: Self, time: Double)?
        var depth = 1
        while depth <= Swift.max(1, states / 2) {
            for candidate in try Self.candidates(steps: steps, slots: states - depth, handOffDepth: depth) {
                let time = try candidate.predictedReverseSweep(reverseCost: rho)
                if best == nil || time < best!.time - 1e-9 { best = (candidate, time) }
            }
            depth *= 2
        }
        self = best!.layout
    }

    /// The layouts whose ``peakSlots`` fit in `slots`: one segment with min(s, n) slots,
    /// and, when 2 ≤ s < n, for each s_in ≤ s/2 the most segments that fit (K = s − 2·s_in + 2).
    static func candidates(steps: Int, slots: Int, handOffDepth: Int) throws(ScheduleError) -> [Self] {
        try BinomialCheckpointing.validate(steps: steps, slots: slots)
        var all = [try Self(steps: steps, segments: 1, innerSlots: Swift.min(slots, steps), handOffDepth: handOffDepth)]
        if slots < steps, steps >= 2, slots >= 2 {
            for inner in 1...Swift.max(1, slots / 2) {
                let segments = Swift.min(steps, slots - 2 * inner + 2)
                guard segments >= 2 else { continue }
                all.append(try Self(steps: steps, segments: segments, innerSlots: inner, handOffDepth: handOffDepth))
            }
        }
        return all
    }
}
