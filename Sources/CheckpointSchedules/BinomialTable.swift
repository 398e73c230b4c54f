/// β(c, r) = C(c + r, c) for every c ≤ s and r ≤ R, tabulated once so that revolve's split
/// rule costs a few comparisons instead of O(r) 128-bit divisions per segment.
///
/// Revolve splits a segment of l steps holding c slots at the distance
/// min(max(1, l − β(c − 1, ρ − 1)), β(c, ρ − 1)), where ρ = r(l, c) is the segment's
/// repetition number. Both children of a split have a repetition number no larger than
/// their parent's, so a table up to R = r(n, s) of the whole schedule answers every
/// split. Entries saturate at `Int.max` (they are only compared with step counts).
///
/// - Complexity: (s + 1)·(R + 1) entries built once; O(log R) comparisons per lookup.
struct BinomialTable {
    /// The most entries built; past it (s ≤ 2 with n beyond ~10^9) lookups fall back to
    /// ``BinomialCheckpointing/repetitions(steps:slots:)``.
    static let entryLimit = 1 << 17

    /// The largest c tabulated.
    let maximalSlots: Int
    /// The largest r tabulated.
    let maximalRepetitions: Int
    /// β(c, r) at c·(R + 1) + r.
    private let values: [Int]

    /// The table for a schedule of `steps` steps with `slots` slots, or nil when it would
    /// exceed ``entryLimit`` entries.
    init?(steps: Int, slots: Int) {
        let s = Swift.min(slots, steps)
        guard s >= 2, s < Self.entryLimit else { return nil }
        let repetitions = BinomialCheckpointing.repetitions(steps: steps, slots: s).r
        let width = repetitions + 1
        guard width <= Self.entryLimit / (s + 1) else { return nil }
        var values = Array(repeating: 1, count: (s + 1) * width)  // β(0, r) = β(c, 0) = 1.
        for c in 1...s {
            for r in 1..<width {
                // Pascal: β(c, r) = β(c − 1, r) + β(c, r − 1), saturating.
                let (sum, overflow) = values[(c - 1) * width + r].addingReportingOverflow(values[c * width + r - 1])
                values[c * width + r] = overflow ? Int.max : sum
            }
        }
        self.maximalSlots = s
        self.maximalRepetitions = repetitions
        self.values = values
    }

    /// r(l, c) with β(c, r − 1) and β(c − 1, r − 1), as
    /// ``BinomialCheckpointing/repetitions(steps:slots:)`` returns them, for 2 ≤ c ≤ l.
    @inline(__always)
    func repetitions(steps l: Int, slots c: Int) -> (r: Int, betaPrevious: Int, betaFewerSlotsPrevious: Int) {
        let width = maximalRepetitions + 1
        return values.withUnsafeBufferPointer { beta in
            let row = c * width
            guard c <= maximalSlots, beta[row + maximalRepetitions] >= l else {
                return BinomialCheckpointing.repetitions(steps: l, slots: c)
            }
            // The least r with β(c, r) ≥ l, by bisection over the row (β grows with r).
            var low = 0
            var high = maximalRepetitions
            while low < high {
                let middle = (low + high) / 2
                if beta[row + middle] >= l { high = middle } else { low = middle + 1 }
            }
            if low == 0 { return (0, 0, 0) }
            return (low, beta[row + low - 1], beta[row - width + low - 1])
        }
    }
}
