/// The dynamic program behind ``TwoLevelRevolve``: the least predicted time to reverse a
/// segment of l steps with a given number of free memory and disk slots, under any
/// ``CostModel`` (advance a, reverse b, write w_L and read r_L per level L).
///
/// This generalises the Disk-Revolve recurrences of Aupy, Herrmann, Hovland & Robert 2016
/// (SIAM J. Sci. Comput. 38(3), C232–C255, doi:10.1137/15M1019222, Section 3): their Opt₀
/// (memory revolve), Opt₁ᴰ (x₀ on disk, read again at r_d each time) and Opt^∞
/// (Disk-Revolve, unlimited disk) are special cases of the two functions below — with free
/// memory and an unlimited disk the values are identical (`TwoLevelCostTableTests`) — which
/// also price memory writes and reads (a compressed memory level) and a limited number of
/// disk slots.
///
/// For a segment whose first state x₀ is held at the set of levels `h` (memory, disk, both
/// or none), with f = (f_m, f_d) further free slots:
///
///     C(l, f, h)  x₀ is current:
///       C(1, f, ∅) = b                               reverse the only step
///       C(l, f, h) = min( min_{L ∉ h, f_L ≥ 1} w_L + C(l, f − e_L, h ∪ {L}),      store x₀ at L
///                         min_{1 ≤ j < l, h ≠ ∅} j·a + C(l − j, f, ∅) + R(j, f, h) ) advance j
///     R(l, f, h)  x₀ must first be restored (h ≠ ∅):
///       R(l, f, h) = min_{L ∈ h} r_L + min( C(l, f, h), C(l, f + e_L, h ∖ {L}) )   keep / release
///
/// (C(1, f, h ≠ ∅) = ∞: a slot still held after the last reverse could only be freed by a
/// useless extra restore.) The "advance j" branch is the recursive structure of revolve
/// and disk-revolve: after advancing j steps the right part x_j … x_l is reversed with
/// the free slots f, then x₀ is restored for the left part. A state held at both levels
/// covers the schedule of Aupy et al. that reads x₀ from disk and copies it to memory.
///
/// The answer for the whole computation is C(n, (s_m, s_d), ∅). A level whose capacity is
/// at least n − 1 can never run out (at most n − 1 states are ever worth storing), so its
/// dimension collapses to one "unlimited" index.
///
/// - Complexity: (l_max + 1)·(s_m + 1)·(s_d + 1)·4 cells of each function (collapsed
///   levels count 1), O(l_max) work per cell: O(l_max²·s_m·s_d) time in all. Every cell
///   also records its minimising choice, so that the schedule is replayed without search.
final class TwoLevelCostTable: Sendable {
    /// The longest segment tabulated.
    let maximumLength: Int
    /// Slots per level (memory, disk); `nil` when the level is unlimited.
    let capacities: [Int?]
    let costModel: CostModel
    /// Per level: the size of its free-slot dimension (1 when unlimited).
    let dimensions: [Int]
    /// C and R, indexed by ``index(length:free:held:)`` (the length varies fastest).
    let current: [Double]
    let restore: [Double]
    /// The minimising choice of each cell: see ``Choice``.
    let currentChoice: [Int32]
    let restoreChoice: [Int32]

    /// The table's two levels, by its level index: memory (0) and disk (1).
    static let levels: [StorageLevel] = [.memory, .disk]

    /// The number of cells a table would hold: the size check before building one.
    static func cellCount(maximumLength: Int, capacities: [Int?]) -> Int {
        let (lengths, lengthOverflow) = maximumLength.addingReportingOverflow(1)
        let (base, baseOverflow) = lengths.multipliedReportingOverflow(by: 4)
        guard !lengthOverflow, !baseOverflow else { return Int.max }
        return capacities.reduce(base) { product, capacity in
            let (slots, slotOverflow) = (capacity ?? 0).addingReportingOverflow(1)
            let (result, overflow) = product.multipliedReportingOverflow(by: slots)
            if slotOverflow { return Int.max }
            return overflow ? Int.max : result
        }
    }

    /// Fills the table for segments of length 1 … `maximumLength`.
    ///
    /// - Parameter capacities: memory slots, then disk slots; `nil` for unlimited.
    init(maximumLength: Int, capacities: [Int?], costModel: CostModel) {
        precondition(maximumLength >= 1, "the table needs at least one step, got \(maximumLength)")
        precondition(capacities.count == Self.levels.count, "one capacity per level, got \(capacities)")
        self.maximumLength = maximumLength
        self.capacities = capacities
        self.costModel = costModel
        let dimensions = capacities.map { ($0 ?? 0) + 1 }
        self.dimensions = dimensions
        let count = (maximumLength + 1) * dimensions.reduce(4, *)
        var current = [Double](repeating: .infinity, count: count)
        var restore = [Double](repeating: .infinity, count: count)
        var currentChoice = [Int32](repeating: Choice.none, count: count)
        var restoreChoice = [Int32](repeating: Choice.none, count: count)
        let levels = Self.levels
        let write = levels.map { costModel.writeCost($0) }
        let read = levels.map { costModel.readCost($0) }
        let unlimited = capacities.map { $0 == nil }
        let free = dimensions
        let lengths = maximumLength + 1
        // l varies fastest, so that the hot loop below reads both tables contiguously.
        let index = { (l: Int, fm: Int, fd: Int, h: Int) in ((fm * free[1] + fd) * 4 + h) * lengths + l }
        // Held sets by decreasing size: C(l, f, h) reads C(l, ·, h ∪ {L}) first.
        let heldOrder = [3, 1, 2, 0]

        let advance = costModel.advance
        current.withUnsafeMutableBufferPointer { current in
            restore.withUnsafeMutableBufferPointer { restore in
                for l in 1...maximumLength {
                    for fm in 0..<free[0] {
                        for fd in 0..<free[1] {
                            let offset = (fm * free[1] + fd) * 4 * lengths
                            // The advance branch for h = 1, 2, 3 at once: the hot loop.
                            var advanceBest = (Double.infinity, Double.infinity, Double.infinity)
                            var advanceChoice: (Int32, Int32, Int32) = (Choice.none, Choice.none, Choice.none)
                            if l >= 2 {
                                let heldMemory = offset + lengths, heldDisk = offset + 2 * lengths, heldBoth = offset + 3 * lengths
                                for j in 1..<l {
                                    let right = Double(j) * advance + current[offset + l - j]
                                    let memory = right + restore[heldMemory + j]
                                    let disk = right + restore[heldDisk + j]
                                    let both = right + restore[heldBoth + j]
                                    if memory < advanceBest.0 { advanceBest.0 = memory; advanceChoice.0 = Int32(j) }
                                    if disk < advanceBest.1 { advanceBest.1 = disk; advanceChoice.1 = Int32(j) }
                                    if both < advanceBest.2 { advanceBest.2 = both; advanceChoice.2 = Int32(j) }
                                }
                            }
                            let f = [fm, fd]
                            for h in heldOrder {
                                let cell = offset + h * lengths + l
                                if l == 1 {
                                    if h == 0 { current[cell] = costModel.reverse; currentChoice[cell] = Choice.reverse }
                                    continue
                                }
                                var best = Double.infinity
                                var choice = Choice.none
                                switch h {
                                case 1: (best, choice) = (advanceBest.0, advanceChoice.0)
                                case 2: (best, choice) = (advanceBest.1, advanceChoice.1)
                                case 3: (best, choice) = (advanceBest.2, advanceChoice.2)
                                default: break
                                }
                                for L in 0..<2 where h & (1 << L) == 0 && (unlimited[L] || f[L] >= 1) {
                                    var g = f
                                    if !unlimited[L] { g[L] -= 1 }
                                    let value = write[L] + current[index(l, g[0], g[1], h | (1 << L))]
                                    if value < best { best = value; choice = Choice.store(L) }
                                }
                                current[cell] = best
                                currentChoice[cell] = choice
                            }
                        }
                    }
                    // R(l, ·) reads C(l, f + e_L, ·): only after every C(l, ·) is known.
                    for fm in 0..<free[0] {
                        for fd in 0..<free[1] {
                            let f = [fm, fd]
                            for h in 1...3 {
                                var best = Double.infinity
                                var choice = Choice.none
                                for L in 0..<2 where h & (1 << L) != 0 {
                                    let keep = read[L] + current[index(l, fm, fd, h)]
                                    if keep < best { best = keep; choice = Choice.restore(L, release: false) }
                                    var g = f
                                    if !unlimited[L] { g[L] += 1 }
                                    // A released slot beyond the capacity cannot happen: f + e_L ≤ s.
                                    if g[L] < free[L] || unlimited[L] {
                                        let released = read[L] + current[index(l, g[0], g[1], h & ~(1 << L))]
                                        if released < best { best = released; choice = Choice.restore(L, release: true) }
                                    }
                                }
                                restore[index(l, fm, fd, h)] = best
                                restoreChoice[index(l, fm, fd, h)] = choice
                            }
                        }
                    }
                }
            }
        }
        self.current = current
        self.restore = restore
        self.currentChoice = currentChoice
        self.restoreChoice = restoreChoice
    }

    /// The flat index of the cell (l, f, h); unlimited levels use free index 0.
    func index(length l: Int, free f: [Int], held h: Int) -> Int {
        let fm = capacities[0] == nil ? 0 : f[0]
        let fd = capacities[1] == nil ? 0 : f[1]
        return ((fm * dimensions[1] + fd) * 4 + h) * (maximumLength + 1) + l
    }

    /// C(l, f, h): x₀ current and held at `held`.
    func currentCost(length: Int, free: [Int], held: Int) -> Double { current[index(length: length, free: free, held: held)] }
    /// R(l, f, h): x₀ held at `held` and to be restored first.
    func restoreCost(length: Int, free: [Int], held: Int) -> Double { restore[index(length: length, free: free, held: held)] }

    /// How a cell's minimum is reached. Positive values j mean "advance j steps".
    enum Choice {
        static let none: Int32 = 0
        static let reverse: Int32 = -1
        /// Store x₀ at level L: −2 − L.
        static func store(_ level: Int) -> Int32 { Int32(-2 - level) }
        /// Restore x₀ from level L, releasing its slot or not: −10 − 2L − release.
        static func restore(_ level: Int, release: Bool) -> Int32 { Int32(-10 - 2 * level - (release ? 1 : 0)) }
        static func storedLevel(_ choice: Int32) -> Int? { choice <= -2 && choice >= -3 ? Int(-2 - choice) : nil }
        static func restored(_ choice: Int32) -> (level: Int, release: Bool)? {
            guard choice <= -10 && choice >= -13 else { return nil }
            let code = Int(-10 - choice)
            return (code / 2, code % 2 == 1)
        }
    }
}
