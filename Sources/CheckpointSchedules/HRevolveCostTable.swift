/// The dynamic program behind ``HRevolve``: the least predicted time to reverse a segment
/// of l steps over a hierarchy of L storage levels, each with its own capacity c_k, write
/// cost w_k and read cost r_k, under any ``CostModel`` (advance u_f, reverse u_b).
///
/// It is the recurrence of `TwoLevelCostTable` with the pair (memory, disk) replaced by
/// any list of levels: the structure of H-Revolve (Herrmann & Pallez 2020, ACM Trans. Math.
/// Softw. 46(2), doi:10.1145/3378672), where Revolve and Disk-Revolve are the cases L = 1
/// and L = 2. For a segment whose first state x₀ is held at the set of levels h ⊆ {0 … L−1},
/// with f = (f_0, …, f_{L−1}) further free slots:
///
///     C(1, f, ∅) = u_b                                                   reverse the only step
///     C(l, f, h) = min( min_{k ∉ h, f_k ≥ 1} w_k + C(l, f − e_k, h ∪ {k}),               store x₀ at k
///                       min_{1 ≤ j < l, h ≠ ∅} j·u_f + C(l − j, f, ∅) + R(j, f, h) )      advance j
///     R(l, f, h) = min_{k ∈ h} r_k + min( C(l, f, h), C(l, f + e_k, h ∖ {k}) )      restore, keep or release
///
/// (C(1, f, h ≠ ∅) = ∞: a slot still held after the last reverse could only be freed by a
/// useless extra restore.) After advancing j steps the right part is reversed with the free
/// slots f, then x₀ is restored for the left part, from the level that is cheapest to read,
/// and its slot is kept or released. The answer is C(n, (c_0, …, c_{L−1}), ∅). A level with
/// at least n − 1 slots never runs out and its dimension collapses to one index.
///
/// - Complexity: (l_max + 1)·2^L·Π_k(c_k + 1) cells of each function (collapsed levels
///   count 1), O(l_max·2^L) work per length and free vector: O(l_max²·2^L·Π_k(c_k + 1))
///   time in all, 24 bytes per cell. Every cell records its minimising choice, so the
///   schedule is replayed without search.
final class HRevolveCostTable: Sendable {
    /// The longest segment tabulated.
    let maximumLength: Int
    /// The levels, fastest first by the caller's order; a level's position is its bit in a held set.
    let levels: [StorageLevel]
    /// Slots per level; `nil` when the level is unlimited (collapsed).
    let capacities: [Int?]
    /// Per level: the size of its free-slot dimension (1 when unlimited).
    let dimensions: [Int]
    /// Per level: the stride of its free-slot count in the flat free index.
    let strides: [Int]
    /// 2^L: the number of held sets.
    let heldSets: Int
    /// C and R, indexed by ``index(length:freeIndex:held:)`` (the length varies fastest).
    let current: [Double]
    let restore: [Double]
    /// The minimising choice of each cell: see ``Choice``.
    let currentChoice: [Int32]
    let restoreChoice: [Int32]

    /// The number of cells a table would hold (Int.max on overflow): the size check before
    /// building one.
    static func cellCount(maximumLength: Int, capacities: [Int?]) -> Int {
        let (lengths, lengthOverflow) = maximumLength.addingReportingOverflow(1)
        guard !lengthOverflow, capacities.count < 20 else { return Int.max }
        let (base, baseOverflow) = lengths.multipliedReportingOverflow(by: 1 << capacities.count)
        guard !baseOverflow else { return Int.max }
        return capacities.reduce(base) { product, capacity in
            let (slots, slotOverflow) = (capacity ?? 0).addingReportingOverflow(1)
            let (result, overflow) = product.multipliedReportingOverflow(by: slots)
            return slotOverflow || overflow ? Int.max : result
        }
    }

    /// The elementary steps of a table: cells times half the longest segment.
    static func work(maximumLength: Int, capacities: [Int?]) -> Int {
        let cells = cellCount(maximumLength: maximumLength, capacities: capacities)
        let (work, overflow) = cells.multipliedReportingOverflow(by: Swift.max(1, maximumLength / 2))
        return overflow ? Int.max : work
    }

    /// Fills the table for segments of length 1 … `maximumLength`.
    ///
    /// - Parameters:
    ///   - levels: distinct levels; the i-th has capacity `capacities[i]` (`nil`: unlimited).
    ///   - costModel: u_f, u_b and each level's w_k and r_k.
    init(maximumLength: Int, levels: [StorageLevel], capacities: [Int?], costModel: CostModel) {
        precondition(maximumLength >= 1, "the table needs at least one step, got \(maximumLength)")
        precondition(levels.count == capacities.count && !levels.isEmpty && levels.count <= 8,
                     "one capacity per level and 1 to 8 levels, got \(levels) and \(capacities)")
        self.maximumLength = maximumLength
        self.levels = levels
        self.capacities = capacities
        let count = levels.count
        let dimensions = capacities.map { ($0 ?? 0) + 1 }
        var strides = [Int](repeating: 1, count: count)
        for k in stride(from: count - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * dimensions[k + 1] }
        self.dimensions = dimensions
        self.strides = strides
        let heldSets = 1 << count
        self.heldSets = heldSets
        let freeVectors = dimensions.reduce(1, *)
        let lengths = maximumLength + 1
        let cells = freeVectors * heldSets * lengths
        var current = [Double](repeating: .infinity, count: cells)
        var restore = [Double](repeating: .infinity, count: cells)
        var currentChoice = [Int32](repeating: Choice.none, count: cells)
        var restoreChoice = [Int32](repeating: Choice.none, count: cells)
        let write = levels.map(costModel.writeCost)
        let read = levels.map(costModel.readCost)
        let unlimited = capacities.map { $0 == nil }
        // free[v·L + k]: level k's free slots in free vector v.
        var free = [Int](repeating: 0, count: freeVectors * count)
        for v in 0..<freeVectors {
            for k in 0..<count { free[v * count + k] = (v / strides[k]) % dimensions[k] }
        }
        // Held sets by decreasing size: C(l, f, h) reads C(l, ·, h ∪ {k}) first.
        let heldOrder = (0..<heldSets).sorted { ($0.nonzeroBitCount, $1) > ($1.nonzeroBitCount, $0) }
        let advance = costModel.advance
        var advanceBest = [Double](repeating: .infinity, count: heldSets)
        var advanceChoice = [Int32](repeating: Choice.none, count: heldSets)

        current.withUnsafeMutableBufferPointer { current in
            restore.withUnsafeMutableBufferPointer { restore in
                for l in 1...maximumLength {
                    for v in 0..<freeVectors {
                        let base = v * heldSets * lengths
                        // The advance branch for every non-empty held set at once: the hot loop.
                        for h in 1..<heldSets { advanceBest[h] = .infinity; advanceChoice[h] = Choice.none }
                        if l >= 2 {
                            for j in 1..<l {
                                let right = Double(j) * advance + current[base + l - j]
                                var offset = base + lengths + j
                                for h in 1..<heldSets {
                                    let value = right + restore[offset]
                                    if value < advanceBest[h] { advanceBest[h] = value; advanceChoice[h] = Int32(j) }
                                    offset += lengths
                                }
                            }
                        }
                        for h in heldOrder {
                            let cell = base + h * lengths + l
                            if l == 1 {
                                if h == 0 { current[cell] = costModel.reverse; currentChoice[cell] = Choice.reverse }
                                continue
                            }
                            var best = h == 0 ? Double.infinity : advanceBest[h]
                            var choice = h == 0 ? Choice.none : advanceChoice[h]
                            for k in 0..<count where h & (1 << k) == 0 && (unlimited[k] || free[v * count + k] >= 1) {
                                let w = unlimited[k] ? v : v - strides[k]
                                let value = write[k] + current[(w * heldSets + (h | (1 << k))) * lengths + l]
                                if value < best { best = value; choice = Choice.store(k) }
                            }
                            current[cell] = best
                            currentChoice[cell] = choice
                        }
                    }
                    // R(l, ·) reads C(l, f + e_k, ·): only after every C(l, ·) is known.
                    for v in 0..<freeVectors {
                        for h in 1..<heldSets {
                            var best = Double.infinity
                            var choice = Choice.none
                            for k in 0..<count where h & (1 << k) != 0 {
                                let keep = read[k] + current[(v * heldSets + h) * lengths + l]
                                if keep < best { best = keep; choice = Choice.restore(k, release: false) }
                                // A released slot beyond the capacity cannot happen: f + e_k ≤ c.
                                guard unlimited[k] || free[v * count + k] + 1 < dimensions[k] else { continue }
                                let w = unlimited[k] ? v : v + strides[k]
                                let released = read[k] + current[(w * heldSets + (h & ~(1 << k))) * lengths + l]
                                if released < best { best = released; choice = Choice.restore(k, release: true) }
                            }
                            let cell = (v * heldSets + h) * lengths + l
                            restore[cell] = best
                            restoreChoice[cell] = choice
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

    /// The flat free index of per-level free slot counts (unlimited levels count 0).
    func freeIndex(_ free: [Int]) -> Int {
        var index = 0
        for k in levels.indices where capacities[k] != nil { index += free[k] * strides[k] }
        return index
    }

    /// The flat index of the cell (l, f, h), f given by its free index.
    func index(length l: Int, freeIndex v: Int, held h: Int) -> Int { (v * heldSets + h) * (maximumLength + 1) + l }

    /// C(l, f, h): x₀ current and held at the set `held` (bit k: level k).
    func currentCost(length: Int, free: [Int], held: Int) -> Double {
        current[index(length: length, freeIndex: freeIndex(free), held: held)]
    }

    /// R(l, f, h): x₀ held at `held` and to be restored first.
    func restoreCost(length: Int, free: [Int], held: Int) -> Double {
        restore[index(length: length, freeIndex: freeIndex(free), held: held)]
    }

    /// How a cell's minimum is reached. Positive values j mean "advance j steps".
    enum Choice {
        static let none: Int32 = 0
        static let reverse: Int32 = -1
        /// Store x₀ at level k: −2 − k (k < 8).
        static func store(_ level: Int) -> Int32 { Int32(-2 - level) }
        /// Restore x₀ from level k, releasing its slot or not: −10 − 2k − release.
        static func restore(_ level: Int, release: Bool) -> Int32 { Int32(-10 - 2 * level - (release ? 1 : 0)) }
        static func storedLevel(_ choice: Int32) -> Int? { choice <= -2 && choice >= -9 ? Int(-2 - choice) : nil }
        static func restored(_ choice: Int32) -> (level: Int, release: Bool)? {
            guard choice <= -10 && choice >= -25 else { return nil }
            let code = Int(-10 - choice)
            return (code / 2, code % 2 == 1)
        }
    }
}
