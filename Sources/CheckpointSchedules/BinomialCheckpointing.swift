/// The closed formulas of binomial checkpointing (Griewank & Walther 2000, ACM TOMS 26(1),
/// doi:10.1145/347837.347846).
///
/// With s checkpoint slots (x0 included) and at most r advances of any single step,
/// at most β(s, r) = C(s + r, s) steps can be reversed (their Proposition 1). The
/// *repetition number* of (n, s) is the least r with β(s, r) ≥ n, and the least total
/// number of advances, the recording sweep included, is
///
///     t(n, s) = r·n − β(s + 1, r − 1)            (their equation (3))
///
/// For example t(10, 3) = 15, t(50, 7) = 105 and t(1000, 10) = 3636. With s ≥ n − 1 the
/// repetition number is 1 and t = n − 1: every state is stored once.
///
/// All functions are exact and overflow-safe for n up to 2^62: a result that does not fit
/// in `Int` throws ``ScheduleError/overflow(quantity:steps:slots:)``, never traps.
public enum BinomialCheckpointing {
    /// β(s, r) = C(s + r, s): the most steps that s slots can reverse with r repetitions.
    ///
    /// β is 0 when s or r is negative, and β(s, 0) = 1.
    /// - Complexity: O(min(s, r)) multiplications.
    public static func beta(slots s: Int, repetitions r: Int) throws(ScheduleError) -> Int {
        guard s >= 0, r >= 0 else { return 0 }
        let k = min(s, r)
        var value = 1
        var i = 1
        while i <= k {
            // C(m, i) = C(m, i − 1)·(m − i + 1)/i with m = s + r: exact in 128 bits.
            guard let next = exactProductQuotient(value, s + r - i + 1, i) else {
                throw .overflow(quantity: "β(\(s), \(r))", steps: s, slots: s)
            }
            value = next
            i += 1
        }
        return value
    }

    /// The repetition number r(n, s) = min{ r : β(s, r) ≥ n }.
    ///
    /// - Complexity: O(r), and O(1) for s ≤ 2.
    public static func repetitionNumber(steps n: Int, slots s: Int) throws(ScheduleError) -> Int {
        try validate(steps: n, slots: s)
        return repetitions(steps: n, slots: s).r
    }

    /// t(n, s) = r·n − β(s + 1, r − 1): the least number of advances (recording sweep
    /// included) with which s slots, x0 included, reverse n steps.
    public static func minimalAdvances(steps n: Int, slots s: Int) throws(ScheduleError) -> Int {
        try validate(steps: n, slots: s)
        let r = repetitions(steps: n, slots: s).r
        let (rn, overflow) = r.multipliedReportingOverflow(by: n)
        guard !overflow else { throw .overflow(quantity: "t(n, s)", steps: n, slots: s) }
        return rn - (try beta(slots: min(s, n - 1) + 1, repetitions: r - 1))
    }

    /// β(s, r): the largest number of steps that s slots reverse with at most r
    /// repetitions of any step.
    public static func maximalSteps(slots s: Int, repetitions r: Int) throws(ScheduleError) -> Int {
        guard s >= 1 else { throw .invalidSlotCount(s) }
        guard r >= 0 else { throw .overflow(quantity: "a negative repetition number", steps: 0, slots: s) }
        return try beta(slots: s, repetitions: r)
    }

    static func validate(steps n: Int, slots s: Int) throws(ScheduleError) {
        guard n >= 1 else { throw .invalidStepCount(n) }
        guard s >= 1 else { throw .invalidSlotCount(s) }
    }

    /// The repetition number r with β(s, r − 1) and β(s − 1, r − 1), for the split rule.
    ///
    /// Slots beyond n − 1 are never needed, so s is clamped to n. Values that would exceed
    /// `Int.max` saturate; they are then certainly ≥ n, which is all the callers compare.
    static func repetitions(steps n: Int, slots s: Int) -> (r: Int, betaPrevious: Int, betaFewerSlotsPrevious: Int) {
        let s = min(s, n)
        if n == 1 { return (0, 0, 0) }
        if s == 1 { return (n - 1, n - 1, 1) }  // β(1, r) = r + 1.
        var r = 0
        var current = 1  // β(s, r)
        var previous = 0  // β(s, r − 1)
        if s == 2 {
            // β(2, r) = (r + 1)(r + 2)/2 ≥ n: start one below the real root and step up.
            let guess = Int((8.0 * Double(n)).squareRoot() / 2.0) - 3
            if guess > 1 {
                r = guess - 1
                previous = exactProductQuotient(r, r + 1, 2)!
                current = exactProductQuotient(r + 1, r + 2, 2) ?? Int.max
                if current >= n { r = 0; current = 1; previous = 0 }
            }
        }
        while current < n {
            r += 1
            previous = current
            // s + r past Int.max (s near n = Int.max) means β past it too: saturate.
            let (sum, overflow) = s.addingReportingOverflow(r)
            current = overflow ? Int.max : exactProductQuotient(current, sum, r) ?? Int.max
        }
        // β(s − 1, r − 1) = β(s, r − 1)·s/(s + r − 1).
        let fewer = r == 0 ? 0 : exactProductQuotient(previous, s, s + (r - 1))!
        return (r, previous, fewer)
    }

    /// a·b/c computed exactly in 128 bits, or nil when the quotient exceeds `Int.max`.
    /// The division must be exact (it is, for every binomial recurrence used here).
    @inline(__always)
    static func exactProductQuotient(_ a: Int, _ b: Int, _ c: Int) -> Int? {
        let product = UInt(a).multipliedFullWidth(by: UInt(b))
        guard product.high < UInt(c) else { return nil }
        let quotient = UInt(c).dividingFullWidth(product).quotient
        return quotient <= UInt(Int.max) ? Int(quotient) : nil
    }
}
