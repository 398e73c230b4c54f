// Kernels shared by `Vector`'s operations and pullbacks: a reduction that is not bound by
// the latency of one floating-point add per element, and the pullbacks of products.

extension Vector {
    /// Σ term(i) for i in 0 ..< count, summed in eight interleaved partial sums
    /// (s_k = Σ term(8m + k)) that are added pairwise at the end.
    ///
    /// One running sum waits for the previous add on every element (about 4 µs for 4096
    /// elements here); eight independent ones keep the floating-point units busy, so
    /// reductions in pullbacks (`dot`, `sum`) cost about as much as an elementwise pass. The
    /// order of additions is fixed, so the result is reproducible bit for bit.
    ///
    /// - Complexity: O(count).
    @inlinable @inline(__always)
    public static func reduce(_ count: Int, _ term: (Int) -> Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var i = 0
        while i + 8 <= count {
            s0 += term(i); s1 += term(i + 1); s2 += term(i + 2); s3 += term(i + 3)
            s4 += term(i + 4); s5 += term(i + 5); s6 += term(i + 6); s7 += term(i + 7)
            i += 8
        }
        while i < count {
            s0 += term(i)
            i += 1
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// The pullback of `lhs * rhs` at v: (v·rhs, v·lhs) elementwise, in one pass when all
    /// three have the same length (otherwise by the zero-aware `*`). The operands may be
    /// rotated views; the results are not.
    ///
    /// - Complexity: O(count); allocates the two results.
    @inlinable
    static func productPullback(_ v: Vector, _ lhs: Vector, _ rhs: Vector) -> (Vector, Vector) {
        let n = v.count
        guard n > 0, lhs.count == n, rhs.count == n else { return (v * rhs, v * lhs) }
        if v.hasPendingSum || lhs.hasPendingSum || rhs.hasPendingSum { return productPullbackReadingSums(v, lhs, rhs) }
        var lhsBar = Vector()
        let rhsBar = v.storage.withUnsafeBufferPointer { pv in
            lhs.storage.withUnsafeBufferPointer { pl in
                rhs.storage.withUnsafeBufferPointer { pr in
                    Vector(unsafeUninitializedCount: n) { rhsOut in
                        lhsBar = Vector(unsafeUninitializedCount: n) { lhsOut in
                            let pv = pv.baseAddress!, pl = pl.baseAddress!, pr = pr.baseAddress!
                            forEachRun(n, v.offset, lhs.offset, rhs.offset) { start, length in
                                let lo = lhsOut.baseAddress! + start, ro = rhsOut.baseAddress! + start
                                func loop<A: ElementRun, L: ElementRun, R: ElementRun>(_ a: A, _ l: L, _ r: R) {
                                    for k in 0..<length {
                                        lo[k] = a[k] * r[k]
                                        ro[k] = a[k] * l[k]
                                    }
                                }
                                // The operands are usually plain; a scaled cotangent is common.
                                if lhs.hasNothingPending && rhs.hasNothingPending {
                                    if v.hasNothingPending {
                                        loop(v.storedRun(pv, from: start), lhs.storedRun(pl, from: start), rhs.storedRun(pr, from: start))
                                    } else {
                                        loop(v.scaledRun(pv, from: start), lhs.storedRun(pl, from: start), rhs.storedRun(pr, from: start))
                                    }
                                } else {
                                    loop(v.scaledRun(pv, from: start), lhs.scaledRun(pl, from: start), rhs.scaledRun(pr, from: start))
                                }
                            }
                        }
                    }
                }
            }
        }
        return (lhsBar, rhsBar)
    }

    /// f(aᵢ, bᵢ, cᵢ) for every logical index i, into a fresh vector. The counts must be
    /// equal and nonzero.
    ///
    /// - Complexity: O(count); allocates the result only.
    @inlinable @inline(__always)
    static func ternary(_ a: Vector, _ b: Vector, _ c: Vector, _ f: (Double, Double, Double) -> Double) -> Vector {
        let n = a.count
        precondition(n > 0 && b.count == n && c.count == n, "elementwise operation on vectors of lengths \(n), \(b.count) and \(c.count)")
        // Rare (the quotient's pullback): pending sums are written out rather than read.
        if a.hasPendingSum || b.hasPendingSum || c.hasPendingSum {
            return ternary(a.withPendingApplied(), b.withPendingApplied(), c.withPendingApplied(), f)
        }
        return a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeBufferPointer { pc in
                    Vector(unsafeUninitializedCount: n) { out in
                        forEachRun(n, a.offset, b.offset, c.offset) { start, length in
                            let x = a.scaledRun(pa.baseAddress!, from: start)
                            let y = b.scaledRun(pb.baseAddress!, from: start)
                            let z = c.scaledRun(pc.baseAddress!, from: start)
                            let o = out.baseAddress! + start
                            for k in 0..<length { o[k] = f(x[k], y[k], z[k]) }
                        }
                    }
                }
            }
        }
    }

    /// self[i] = f(self[i], other[i]) for every logical index i, in place when this
    /// vector's storage is uniquely referenced (else `Array`'s copy-on-write copies it first,
    /// so storage shared with a view is never written); what is pending on this vector is
    /// applied on the way and nothing is pending after. The counts must be equal and nonzero.
    ///
    /// - Complexity: O(count); allocates only to copy shared storage.
    @inlinable @inline(__always)
    mutating func updateElements<F: ElementwiseOperation>(with other: Vector, _ f: F) {
        // A pending sum here is written out first (into fresh storage: it is never written in
        // place); one on the other operand is read by loops of its own.
        if hasPendingSum { self = withPendingApplied() }
        if other.hasPendingSum { return updateElementsReadingSums(with: other, f) }
        let n = count, factor = factor, addend = addend, plain = hasNothingPending
        // Iterate this vector's storage; other's element for storage index j is at j + shift.
        let shift = Vector.wrapped(other.offset - offset + n, n)
        other.storage.withUnsafeBufferPointer { po in
            storage.withUnsafeMutableBufferPointer { p in
                Vector.forEachRun(n, shift) { start, length in
                    let z = p.baseAddress! + start, y = po.baseAddress! + Vector.wrapped(start + shift, n)
                    func loop<X: ElementRun, Y: ElementRun>(_ x: X, _ y: Y) {
                        for k in 0..<length { z[k] = f(x[k], y[k]) }
                    }
                    let x = UnsafePointer(z)
                    switch (plain, other.hasNothingPending) {
                    case (true, true): loop(StoredRun(x), StoredRun(y))
                    case (true, false): loop(StoredRun(x), ScaledRun(y, factor: other.factor, addend: other.addend))
                    case (false, true): loop(ScaledRun(x, factor: factor, addend: addend), StoredRun(y))
                    case (false, false):
                        loop(ScaledRun(x, factor: factor, addend: addend), ScaledRun(y, factor: other.factor, addend: other.addend))
                    }
                }
            }
        }
        self.factor = 1
        self.addend = Vector.identityAddend
    }

    /// The pullback of `scalar * x` at v: (v · x, scalar·v), the dot product summed by
    /// ``reduce(_:_:)``; the scaled cotangent is deferred (no pass, no allocation when v has
    /// nothing but a sign pending).
    ///
    /// - Complexity: O(count).
    @inlinable
    static func dotAndScale(_ v: Vector, _ x: Vector, _ scalar: Double) -> (Double, Vector) {
        (v.dot(x), scalar * v)
    }
}
