/// Disk-revolve for long chains: the recurrence of Aupy, Herrmann, Hovland & Robert 2016 at
/// the top level, with every distance between consecutive top-level disk checkpoints at
/// most L, so that it costs O(n·L) instead of O(n²).
///
/// The top level of a disk-revolve schedule writes x₀ to disk, advances j steps, reverses
/// the remaining l − j steps the same way, reads x₀ back and reverses the first j steps
/// with the memory slots and the disk slots left (their Opt^∞). In our notation, with C
/// and R the functions of `TwoLevelCostTable` tabulated up to length L, m the memory
/// slots and d the free disk slots (d drops out for an unlimited disk):
///
///     Top(l, d) = min( C(l, (m, d), ∅)                                         if l ≤ L,
///                      min_{1 ≤ j ≤ min(L, l − 1)} w_d + j·a + Top(l − j, d − 1)
///                                                  + R(j, (m, d − 1), {disk})   if d ≥ 1 )
///
/// and the plan's time is Top(n, s_d). Aupy & Herrmann 2017 (Optim. Methods Softw. 32(3),
/// doi:10.1080/10556788.2016.1230612) show for an unlimited disk that the optimal
/// distances between disk checkpoints stay bounded as n grows and that a periodic
/// schedule is asymptotically optimal; this plan contains every periodic schedule with
/// period ≤ L (and its remainder), so it is never slower than the best of them, and for
/// n ≤ L it is the exact optimum C(n, (m, s_d), ∅). The tests check it equal to the full
/// table's optimum for an unlimited disk wherever that is tractable.
///
/// - Complexity: O(L²·s_m·s_d) to tabulate the segments (collapsed levels count 1),
///   O(n·L·s_d) time and O(n·s_d) memory (4 bytes per cell) for the top level.
struct DiskSegmentPlan: Sendable {
    /// The table that reverses each segment.
    let table: TwoLevelCostTable
    /// L: the longest segment between two top-level disk checkpoints.
    let longestSegment: Int
    /// The lengths of the top-level disk segments, first to last: x₀ is written to disk
    /// and advanced by `segments[0]` steps, that state written and advanced by
    /// `segments[1]`, and so on.
    let segments: [Int]
    /// The free disk slots (beyond its own checkpoint) while each segment is reversed.
    let segmentDiskFree: [Int]
    /// The free disk slots of the part after the last top-level disk checkpoint.
    let tailDiskFree: Int
    /// The predicted time: Top(n, s_d).
    let time: Double

    /// The cells of the top level: the size check before building a plan.
    static func topCells(steps n: Int, disk: Int?) -> Int {
        let (lengths, lengthOverflow) = n.addingReportingOverflow(1)
        let (levels, levelOverflow) = (disk ?? 0).addingReportingOverflow(1)
        let (cells, overflow) = lengths.multipliedReportingOverflow(by: levels)
        return lengthOverflow || levelOverflow || overflow ? Int.max : cells
    }

    /// The best plan for `steps` steps with `memory` memory slots and `disk` disk slots
    /// (nil: unlimited, for either), segments at most `longestSegment` long.
    init(steps n: Int, memory: Int?, disk: Int?, costModel: CostModel, longestSegment: Int) {
        precondition(n >= 1 && longestSegment >= 1, "a plan needs n ≥ 1 and L ≥ 1, got n = \(n), L = \(longestSegment)")
        let longest = Swift.min(longestSegment, n)
        // A segment of at most L steps never uses more than L − 1 disk slots: the table's
        // disk dimension stops there and free counts beyond it read its last index.
        let innerDisk = disk.map { Swift.min($0, longest - 1) }
        let clamp = { (free: Int) in innerDisk.map { Swift.min(free, $0) } ?? 0 }
        let table = TwoLevelCostTable(maximumLength: longest, capacities: [memory, innerDisk], costModel: costModel)
        let m = memory ?? 0
        let levels = (disk ?? 0) + 1  // d = 0 … s_d; one index for an unlimited disk
        let write = costModel.writeCost(.disk)
        // C(l, (m, d), ∅) and w_d + l·a + R(l, (m, d − 1), {disk}), by d, for l ≤ L.
        var tail = [Double](repeating: .infinity, count: levels * (longest + 1))
        var segment = tail
        for d in 0..<levels {
            for l in 1...longest {
                tail[d * (longest + 1) + l] = table.currentCost(length: l, free: [m, clamp(d)], held: 0)
                if disk == nil || d >= 1 {
                    let left = table.restoreCost(length: l, free: [m, disk == nil ? 0 : clamp(d - 1)], held: TwoLevelRevolve.diskHeld)
                    segment[d * (longest + 1) + l] = write + Double(l) * costModel.advance + left
                }
            }
        }
        // Top(·, d) row by row (only rows d − 1 and d are kept), and every choice at
        // d·(n + 1) + l: 0 = the table, j > 0 = a disk segment of j steps.
        var below = [Double](repeating: .infinity, count: n + 1)
        var row = below
        var choice = [Int32](repeating: 0, count: levels * (n + 1))
        for d in 0..<levels {
            let hasSegments = disk == nil || d >= 1
            swap(&below, &row)  // Top(·, d − 1); with an unlimited disk, Top(·, d) itself
            let sameRow = disk == nil
            row.withUnsafeMutableBufferPointer { row in
                below.withUnsafeBufferPointer { below in
                    choice.withUnsafeMutableBufferPointer { choice in
                        let segmentRow = d * (longest + 1)
                        for l in 1...n {
                            var best = l <= longest ? tail[segmentRow + l] : .infinity
                            var bestChoice: Int32 = 0
                            let reach = Swift.min(longest, l - 1)
                            if hasSegments && reach >= 1 {
                                for j in 1...reach {
                                    let right = sameRow ? row[l - j] : below[l - j]
                                    let value = segment[segmentRow + j] + right
                                    if value < best { best = value; bestChoice = Int32(j) }
                                }
                            }
                            row[l] = best
                            choice[d * (n + 1) + l] = bestChoice
                        }
                    }
                }
            }
        }
        let time = row[n]
        var segments: [Int] = []
        var segmentDiskFree: [Int] = []
        var rest = n
        var d = disk ?? 0
        while choice[d * (n + 1) + rest] > 0 {
            let j = Int(choice[d * (n + 1) + rest])
            segments.append(j)
            if disk != nil { d -= 1 }
            segmentDiskFree.append(clamp(d))
            rest -= j
        }
        self.table = table
        self.longestSegment = longest
        self.segments = segments
        self.segmentDiskFree = segmentDiskFree
        self.tailDiskFree = clamp(d)
        self.time = time
    }
}
