// The loops that read operands with a pending sum (Vector+DeferredSums.swift). They live apart
// from the operations' own loops, which read stored and scaled operands only and branch here
// when an operand has a pending sum: three kinds of operand make nine loops for a binary
// operation and twenty-seven for a product's pullback, and kept out of line they leave the
// common path as short as it was (at N = 40 a step is dominated by per-operation overhead).
// Each loop computes per element exactly what it computes on a materialised copy.

import _Differentiation

extension Vector {
    /// Calls `body(start, length)` for consecutive runs covering 0 ..< count in order, such
    /// that within a run none of the terms whose storage starts at `o0` … `o5` (each in
    /// 0 ..< count; 0 for an absent term) wraps around the end of its storage. One run more
    /// than the number of distinct nonzero offsets.
    @inlinable @inline(__always)
    static func forEachRunOfTerms(
        _ count: Int, _ o0: Int, _ o1: Int, _ o2: Int, _ o3: Int, _ o4: Int = 0, _ o5: Int = 0,
        _ body: (_ start: Int, _ length: Int) -> Void
    ) {
        var start = 0
        while start < count {
            // Term k wraps at frame index count − o_k (never, i.e. at count, when o_k = 0).
            var end = count
            func stopAtWrap(_ offset: Int) {
                let wrap = count - offset
                if wrap > start && wrap < end { end = wrap }
            }
            stopAtWrap(o0); stopAtWrap(o1); stopAtWrap(o2); stopAtWrap(o3); stopAtWrap(o4); stopAtWrap(o5)
            body(start, end - start)
            start = end
        }
    }

    /// ``elementwise(_:_:_:)`` when an operand has a pending sum.
    @inlinable @inline(never)
    static func elementwiseReadingSums<F: ElementwiseOperation>(_ a: Vector, _ b: Vector, _ f: F) -> Vector {
        let n = a.count
        return a.withElements { ea in
            b.withElements { eb in
                Vector(unsafeUninitializedCount: n) { out in
                    forEachRunOfTerms(n, ea.offset, ea.partnerOffset, eb.offset, eb.partnerOffset) { start, length in
                        let z = out.baseAddress! + start
                        func loop<X: ElementRun, Y: ElementRun>(_ x: X, _ y: Y) {
                            for k in 0..<length { z[k] = f(x[k], y[k]) }
                        }
                        func withSecond<X: ElementRun>(_ x: X) {
                            switch eb.pending {
                            case .nothing: loop(x, eb.stored(from: start))
                            case .scaling: loop(x, eb.scaled(from: start))
                            case .sum: loop(x, eb.summed(from: start))
                            }
                        }
                        switch ea.pending {
                        case .nothing: withSecond(ea.stored(from: start))
                        case .scaling: withSecond(ea.scaled(from: start))
                        case .sum: withSecond(ea.summed(from: start))
                        }
                    }
                }
            }
        }
    }

    /// ``updateElements(with:_:)`` when `other` has a pending sum (this vector has none).
    @inlinable @inline(never)
    mutating func updateElementsReadingSums<F: ElementwiseOperation>(with other: Vector, _ f: F) {
        let n = count, factor = factor, addend = addend, plain = hasNothingPending
        // Iterate this vector's storage; other's element for storage index j is at j + shift,
        // its pending sum's second term at j + partnerShift.
        let shift = Vector.wrapped(other.offset - offset + n, n)
        let partnerShift = Vector.wrapped(other.partnerOffset - offset + n, n)
        other.storage.withUnsafeBufferPointer { po in
            storage.withUnsafeMutableBufferPointer { p in
                Vector.forEachRun(n, shift, partnerShift) { start, length in
                    let z = p.baseAddress! + start, x = UnsafePointer(z)
                    let y = SumRun(po.baseAddress! + Vector.wrapped(start + shift, n), po.baseAddress! + Vector.wrapped(start + partnerShift, n),
                                   partnerFactor: other.partnerFactor, factor: other.factor, addend: other.addend)
                    func loop<X: ElementRun>(_ x: X) {
                        for k in 0..<length { z[k] = f(x[k], y[k]) }
                    }
                    if plain { loop(StoredRun(x)) } else { loop(ScaledRun(x, factor: factor, addend: addend)) }
                }
            }
        }
        self.factor = 1
        self.addend = Vector.identityAddend
    }

    /// ``productPullback(_:_:_:)`` when an operand has a pending sum.
    @inlinable @inline(never)
    static func productPullbackReadingSums(_ v: Vector, _ lhs: Vector, _ rhs: Vector) -> (Vector, Vector) {
        let n = v.count
        var lhsBar = Vector()
        let rhsBar = v.withElements { ev in
            lhs.withElements { el in
                rhs.withElements { er in
                    Vector(unsafeUninitializedCount: n) { rhsOut in
                        lhsBar = Vector(unsafeUninitializedCount: n) { lhsOut in
                            forEachRunOfTerms(n, ev.offset, ev.partnerOffset, el.offset, el.partnerOffset, er.offset, er.partnerOffset) { start, length in
                                let lo = lhsOut.baseAddress! + start, ro = rhsOut.baseAddress! + start
                                func loop<A: ElementRun, L: ElementRun, R: ElementRun>(_ a: A, _ l: L, _ r: R) {
                                    for k in 0..<length {
                                        lo[k] = a[k] * r[k]
                                        ro[k] = a[k] * l[k]
                                    }
                                }
                                func withRight<A: ElementRun, L: ElementRun>(_ a: A, _ l: L) {
                                    switch er.pending {
                                    case .nothing: loop(a, l, er.stored(from: start))
                                    case .scaling: loop(a, l, er.scaled(from: start))
                                    case .sum: loop(a, l, er.summed(from: start))
                                    }
                                }
                                func withLeft<A: ElementRun>(_ a: A) {
                                    switch el.pending {
                                    case .nothing: withRight(a, el.stored(from: start))
                                    case .scaling: withRight(a, el.scaled(from: start))
                                    case .sum: withRight(a, el.summed(from: start))
                                    }
                                }
                                switch ev.pending {
                                case .nothing: withLeft(ev.stored(from: start))
                                case .scaling: withLeft(ev.scaled(from: start))
                                case .sum: withLeft(ev.summed(from: start))
                                }
                            }
                        }
                    }
                }
            }
        }
        return (lhsBar, rhsBar)
    }

    /// ``reduce(_:_:_:)`` when an operand has a pending sum: the same partial sums in the same
    /// order.
    @inlinable @inline(never)
    static func reduceReadingSums<F: ElementwiseOperation>(_ a: Vector, _ b: Vector, _ term: F) -> Double {
        let n = a.count
        return a.withElements { ea in
            b.withElements { eb in
                // reduce(n)'s partial sums, filled run by run (``addRun``).
                let blocked = n & ~7
                var lanes = SIMD8<Double>()
                forEachRunOfTerms(n, ea.offset, ea.partnerOffset, eb.offset, eb.partnerOffset) { start, length in
                    func addTerms<X: ElementRun, Y: ElementRun>(_ x: X, _ y: Y) {
                        addRun(x, y, start: start, length: length, blocked: blocked, to: &lanes, term)
                    }
                    func withSecond<X: ElementRun>(_ x: X) {
                        switch eb.pending {
                        case .nothing: addTerms(x, eb.stored(from: start))
                        case .scaling: addTerms(x, eb.scaled(from: start))
                        case .sum: addTerms(x, eb.summed(from: start))
                        }
                    }
                    switch ea.pending {
                    case .nothing: withSecond(ea.stored(from: start))
                    case .scaling: withSecond(ea.scaled(from: start))
                    case .sum: withSecond(ea.summed(from: start))
                    }
                }
                return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            }
        }
    }

    /// The elements of a vector with a pending sum, in logical order, in fresh storage.
    ///
    /// - Complexity: O(count); one allocation.
    @inlinable @inline(never)
    func materialisedSum() -> [Double] {
        let n = count
        return withElements { elements in
            Array(unsafeUninitializedCapacity: n) { out, initialized in
                let target = out.baseAddress!
                Vector.forEachRun(n, elements.offset, elements.partnerOffset) { start, length in
                    let x = elements.summed(from: start)
                    for k in 0..<length { (target + start + k).initialize(to: x[k]) }
                }
                initialized = n
            }
        }
    }
}
