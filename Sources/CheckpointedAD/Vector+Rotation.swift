// Rotated views: `x.rolled(by: k)` shares x's storage and records where its element 0 sits
// (`offset`), so a roll costs neither a copy nor an allocation, and neither does its
// pullback. Every operation reads its operands through their offsets: the index range splits
// into at most four runs in which no operand wraps around, and each run is one contiguous,
// vectorisable loop doing per element exactly the arithmetic it did on a materialised copy.
//
// A view is never visible as a different value from its materialised copy: `scalars`,
// `==`, `hash(into:)`, `description` and the checkpoint encoding all read in logical order,
// reductions add in the same order over logical indices, and a write goes through `Array`'s
// copy-on-write (views hold the same storage reference, so storage they share is never
// uniquely referenced and never written in place).

import _Differentiation

extension Vector {
    /// i − count when i ≥ count: the storage index of logical index i − offset, for
    /// i in 0 ..< 2·count.
    @inlinable @inline(__always)
    static func wrapped(_ i: Int, _ count: Int) -> Int { i >= count ? i - count : i }

    /// Calls `body(start, length)` for consecutive runs covering 0 ..< count in order, such
    /// that within a run none of the operands whose storage starts at `o0`, `o1`, `o2` (each
    /// in 0 ..< count, relative to the frame iterated) wraps around the end of its storage:
    /// operand k reads `start + o_k ..< start + o_k + length` after ``wrapped(_:_:)``.
    /// At most four runs; one when every offset is 0.
    @inlinable @inline(__always)
    static func forEachRun(_ count: Int, _ o0: Int, _ o1: Int = 0, _ o2: Int = 0, _ body: (_ start: Int, _ length: Int) -> Void) {
        // Operand k wraps at frame index count − o_k (never, i.e. at count, when o_k = 0).
        let w0 = count - o0, w1 = count - o1, w2 = count - o2
        let low = Swift.min(w0, Swift.min(w1, w2)), high = Swift.max(w0, Swift.max(w1, w2))
        let middle = w0 + w1 + w2 - low - high
        var start = 0, boundary = 0
        while start < count {
            let end = boundary == 0 ? low : boundary == 1 ? middle : boundary == 2 ? high : count
            boundary += 1
            if end > start { body(start, end - start); start = end }
        }
    }

    /// The elements in logical order, with any pending scaling applied, in storage of their
    /// own.
    ///
    /// - Complexity: O(count); one allocation (two `memcpy`s when nothing is pending).
    @inlinable
    func materialisedStorage() -> [Double] {
        let n = count, offset = offset
        if isPlain { return storage }
        if hasPendingSum { return materialisedSum() }
        return storage.withUnsafeBufferPointer { p in
            Array(unsafeUninitializedCapacity: n) { out, initialized in
                let target = out.baseAddress!
                if hasNothingPending {
                    // out[0 ..< n−offset] = p[offset ..< n], out[n−offset ..< n] = p[0 ..< offset]
                    let source = p.baseAddress!
                    target.initialize(from: source + offset, count: n - offset)
                    (target + (n - offset)).initialize(from: source, count: offset)
                } else {
                    Vector.forEachRun(n, offset) { start, length in
                        let x = scaledRun(p.baseAddress!, from: start)
                        for k in 0..<length { (target + start + k).initialize(to: x[k]) }
                    }
                }
                initialized = n
            }
        }
    }

    /// Σ term(a[i], b[i]) over logical indices, summed by ``reduce(_:_:)`` in its fixed order
    /// whatever the operands' offsets (`b` may be `a`).
    ///
    /// - Complexity: O(count), no allocation.
    @inlinable @inline(__always)
    static func reduce<F: ElementwiseOperation>(_ a: Vector, _ b: Vector, _ term: F) -> Double {
        if a.hasPendingSum || b.hasPendingSum { return reduceReadingSums(a, b, term) }
        let n = a.count
        return a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                if a.isPlain && b.isPlain { return reduce(n) { i in term(pa[i], pb[i]) } }
                // reduce(n)'s partial sums, filled run by run: lane k adds term(8m + k) for
                // 8m + k < 8⌊n/8⌋ in increasing m, lane 0 then the tail, as reduce(n) does.
                let blocked = n & ~7
                var lanes = SIMD8<Double>()
                let pa = pa.baseAddress!, pb = pb.baseAddress!
                forEachRun(n, a.offset, b.offset) { start, length in
                    func addTerms<X: ElementRun, Y: ElementRun>(_ x: X, _ y: Y) {
                        addRun(x, y, start: start, length: length, blocked: blocked, to: &lanes, term)
                    }
                    switch (a.hasNothingPending, b.hasNothingPending) {
                    case (true, true): addTerms(a.storedRun(pa, from: start), b.storedRun(pb, from: start))
                    case (true, false): addTerms(a.storedRun(pa, from: start), b.scaledRun(pb, from: start))
                    case (false, true): addTerms(a.scaledRun(pa, from: start), b.storedRun(pb, from: start))
                    case (false, false): addTerms(a.scaledRun(pa, from: start), b.scaledRun(pb, from: start))
                    }
                }
                return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            }
        }
    }
}

extension Vector {
    /// Adds term(x[j], y[j]) for the run of logical indices start ..< start + length to the
    /// partial sums of ``reduce(_:_:)``: lane k holds term(8m + k) for 8m + k below
    /// `blocked` (8⌊n/8⌋) in increasing m, lane 0 the tail after them, as reduce(n) adds.
    @inlinable @inline(__always)
    static func addRun<X: ElementRun, Y: ElementRun, F: ElementwiseOperation>(
        _ x: X, _ y: Y, start: Int, length: Int, blocked: Int, to lanes: inout SIMD8<Double>, _ term: F
    ) {
        let blockedLength = Swift.max(0, Swift.min(length, blocked - start))
        var j = 0
        while j < blockedLength && (start + j) & 7 != 0 { lanes[(start + j) & 7] += term(x[j], y[j]); j += 1 }
        while j + 8 <= blockedLength {
            lanes += SIMD8(term(x[j], y[j]), term(x[j + 1], y[j + 1]), term(x[j + 2], y[j + 2]), term(x[j + 3], y[j + 3]),
                           term(x[j + 4], y[j + 4]), term(x[j + 5], y[j + 5]), term(x[j + 6], y[j + 6]), term(x[j + 7], y[j + 7]))
            j += 8
        }
        while j < blockedLength { lanes[(start + j) & 7] += term(x[j], y[j]); j += 1 }
        while j < length { lanes[0] += term(x[j], y[j]); j += 1 }
    }
}

extension Vector: Hashable {
    /// Whether the vectors have the same elements in the same order (offsets of rotated
    /// views and pending scalings do not matter, only the elements they give).
    @inlinable
    public static func == (lhs: Vector, rhs: Vector) -> Bool {
        if lhs.isPlain && rhs.isPlain { return lhs.storage == rhs.storage }
        if lhs.hasPendingSum || rhs.hasPendingSum { return lhs.materialisedStorage() == rhs.materialisedStorage() }
        let n = lhs.count
        // As `Array`'s `==`: the same elements in the same order are equal, NaNs included.
        if lhs.offset == rhs.offset, lhs.factor.bitPattern == rhs.factor.bitPattern,
           lhs.addend.bitPattern == rhs.addend.bitPattern, lhs.storage.withUnsafeBufferPointer({ a in
            rhs.storage.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count }
        }) { return true }
        guard n == rhs.count else { return false }
        var equal = true
        lhs.storage.withUnsafeBufferPointer { pa in
            rhs.storage.withUnsafeBufferPointer { pb in
                forEachRun(n, lhs.offset, rhs.offset) { start, length in
                    let x = lhs.scaledRun(pa.baseAddress!, from: start), y = rhs.scaledRun(pb.baseAddress!, from: start)
                    for k in 0..<length where x[k] != y[k] { equal = false; return }
                }
            }
        }
        return equal
    }

    /// Hashes the count and the elements in logical order, as `[Double]` does.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        if hasPendingSum { return materialisedStorage().hash(into: &hasher) }
        let n = count
        hasher.combine(n)
        storage.withUnsafeBufferPointer { p in
            let x = scaledRun(p.baseAddress!, from: 0)
            for i in 0..<n { hasher.combine(i < n - offset ? x[i] : x[i - n]) }
        }
    }
}
