/// H-Revolve for long chains whose slowest level is unlimited: the top level of the
/// recurrence restricted to checkpoints on that level at most L steps apart, so that the
/// table is tabulated up to L steps instead of n.
///
/// With t the last (slowest, unlimited) level, f₀ every other level's slots, C and R the
/// functions of `HRevolveCostTable` tabulated up to length L:
///
///     Top(l) = min( C(l, f₀, ∅)                                            if l ≤ L,
///                   min_{1 ≤ j ≤ min(L, l − 1)} w_t + j·u_f + Top(l − j) + R(j, f₀, {t}) )
///
/// and the plan's time is Top(n): x₀ is written to level t, the first j steps are advanced,
/// the rest is reversed the same way, and the first j steps are reversed from x₀ with every
/// level. It is the two-level `DiskSegmentPlan` with any hierarchy below the top level. Every
/// term is a schedule of the full recurrence, so Top(n) ≥ C(n, f₀, ∅), with equality for
/// n ≤ L; it contains every periodic placement of top-level checkpoints with period ≤ L.
///
/// - Complexity: the table's O(L²·2^L·Π_k(c_k + 1)) plus O(n·L) time and O(n) memory for
///   the top level.
struct HRevolveSegmentPlan: Sendable {
    /// The table that reverses each segment.
    let table: HRevolveCostTable
    /// L: the longest distance between two top-level checkpoints.
    let longestSegment: Int
    /// The lengths of the top-level segments, first to last.
    let segments: [Int]
    /// The predicted time: Top(n).
    let time: Double

    /// The best plan for `steps` steps over `levels` (the last one unlimited), segments at
    /// most `longestSegment` long.
    init(steps n: Int, levels: [HRevolve.Level], costModel: CostModel, longestSegment: Int) {
        precondition(levels.last?.slots == nil, "the top level of a segment plan must be unlimited, got \(levels)")
        precondition(n >= 1 && longestSegment >= 1, "a plan needs n ≥ 1 and L ≥ 1, got n = \(n), L = \(longestSegment)")
        let longest = Swift.min(longestSegment, n)
        let table = HRevolveCostTable(
            maximumLength: longest, levels: levels.map(\.level), capacities: HRevolve.collapsed(levels, steps: longest),
            costModel: costModel)
        let free = table.freeIndex(levels.map { $0.slots ?? 0 })
        let topHeld = 1 << (levels.count - 1)
        let write = costModel.writeCost(levels[levels.count - 1].level)
        var segment = [Double](repeating: .infinity, count: longest + 1)
        for j in 1...longest {
            segment[j] = write + Double(j) * costModel.advance + table.restore[table.index(length: j, freeIndex: free, held: topHeld)]
        }
        var top = [Double](repeating: .infinity, count: n + 1)
        var choice = [Int32](repeating: 0, count: n + 1)
        for l in 1...n {
            var best = l <= longest ? table.current[table.index(length: l, freeIndex: free, held: 0)] : .infinity
            var bestChoice: Int32 = 0
            let reach = Swift.min(longest, l - 1)
            if reach >= 1 {
                for j in 1...reach {
                    let value = segment[j] + top[l - j]
                    if value < best { best = value; bestChoice = Int32(j) }
                }
            }
            top[l] = best
            choice[l] = bestChoice
        }
        var segments: [Int] = []
        var rest = n
        while choice[rest] > 0 {
            segments.append(Int(choice[rest]))
            rest -= Int(choice[rest])
        }
        self.table = table
        self.longestSegment = longest
        self.segments = segments
        self.time = top[n]
    }

    /// The longest segment length up to `steps` whose table fits `workLimit` and
    /// `cellLimit`, with the top level's O(n·L) within `workLimit` too; 0 when none does.
    static func longestSegment(steps n: Int, levels: [HRevolve.Level], workLimit: Int, cellLimit: Int) -> Int {
        func fits(_ length: Int) -> Bool {
            let capacities = HRevolve.collapsed(levels, steps: length)
            let (top, overflow) = n.multipliedReportingOverflow(by: length)
            return !overflow && top <= workLimit
                && HRevolveCostTable.work(maximumLength: length, capacities: capacities) <= workLimit
                && HRevolveCostTable.cellCount(maximumLength: length, capacities: capacities) <= cellLimit
        }
        guard fits(1) else { return 0 }
        var (low, high) = (1, n + 1)  // fits(low), not fits(high) (or beyond n)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if fits(middle) { low = middle } else { high = middle }
        }
        return low
    }
}
