// Deferred scaling: `c * x`, `x + c` and `-x` cost no pass over memory. A vector carries a
// pending `factor` and `addend`, and its element i is `stored_i * factor + addend`, evaluated
// by whichever operation reads it next, inside that operation's own loop. A plain vector has
// factor 1 and addend −0.0, and `s * 1 + (−0.0)` is `s` bit for bit (±0, infinities and
// subnormals included); loops still read plain operands without the arithmetic (``StoredRun``).
//
// The representation only ever records what eager evaluation would compute, in the same
// order, each step rounded as before: a scaling followed by a broadcast sum is
// `round(round(s·factor) + addend)`, exactly what the two eager passes produced. An operation
// whose eager result the pair cannot express (a scaling after a sum, a second scaling by
// anything but ±1, a negation after a sum, whose exact cancellation would give +0 where the
// eager negation gives −0) first writes the pending values out, in place when the storage is
// the vector's own, and defers its own operation. So results are the same bits as before;
// the Lorenz-96 RK4 step's forward makes 19 passes over memory instead of 25, and the
// negations and constant scalings in pullbacks (`−v`, `dt·v`) make none.

import _Differentiation

extension Vector {
    /// The addend of a vector with nothing pending: `s + (−0.0)` is `s` for every `s`.
    @inlinable
    static var identityAddend: Double { -0.0 }

    /// Whether nothing is pending: every element is its stored value (no scaling and no
    /// deferred sum, Vector+DeferredSums.swift).
    @inlinable @inline(__always)
    var hasNothingPending: Bool {
        factor == 1 && addend.bitPattern == Vector.identityAddend.bitPattern && layout >> 32 == 0
    }

    /// Whether elements are stored in logical order with nothing pending, so that
    /// ``storage`` is ``scalars``.
    @inlinable @inline(__always)
    var isPlain: Bool { offset == 0 && hasNothingPending }

    /// This vector with whatever is pending (a scaling, a deferred sum) written into storage:
    /// a scaling in place when the storage is this vector's own (the offset is kept), in fresh
    /// storage otherwise.
    ///
    /// - Complexity: O(count) when something is pending, O(1) otherwise.
    @inlinable
    consuming func withPendingApplied() -> Vector {
        if hasNothingPending || count == 0 { return self }
        // A pending sum reads two places of the storage: it is never written in place.
        if !hasPendingSum && hasUniqueStorage() {
            let factor = factor, addend = addend
            storage.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = p[i] * factor + addend }
            }
            return Vector(storage: storage, offset: offset)
        }
        return Vector(storage: materialisedStorage(), offset: 0)
    }

    /// `scalar * self`, deferred: free when nothing is pending or only a sign (the product
    /// by ±1 is exact, so `(±s)·c` is `s·(±c)`), after writing the pending values otherwise.
    @inlinable @inline(__always)
    consuming func scaledLazily(by scalar: Double) -> Vector {
        if count == 0 { return self }
        var result = addend.bitPattern == Vector.identityAddend.bitPattern && (factor == 1 || factor == -1)
            ? self : withPendingApplied()
        result.factor *= scalar
        return result
    }

    /// `self + scalar` (broadcast), deferred: free unless a sum is already pending.
    @inlinable @inline(__always)
    consuming func shiftedLazily(by scalar: Double) -> Vector {
        if count == 0 { return self }
        var result = addend.bitPattern == Vector.identityAddend.bitPattern ? self : withPendingApplied()
        result.addend = scalar
        return result
    }

    /// `-self`, deferred: free unless a sum is pending (−(y + a) and (−y) + (−a) differ in
    /// the sign of an exact zero).
    @inlinable @inline(__always)
    consuming func negatedLazily() -> Vector {
        if count == 0 { return self }
        var result = addend.bitPattern == Vector.identityAddend.bitPattern ? self : withPendingApplied()
        result.factor = -result.factor
        return result
    }
}

/// A contiguous run of a vector's elements, read by index: what the operations' loops
/// iterate. Each loop is a local generic function over its operands' run types, called with
/// ``StoredRun`` for operands with nothing pending and ``ScaledRun`` otherwise, so that a
/// plain operand costs one load per element and a scaled one a load and its pending
/// arithmetic, in loops the compiler vectorises (one loop reading every operand through
/// ``ScaledRun`` made the Lorenz-96 forward step no faster than 25 eager passes).
@usableFromInline
protocol ElementRun {
    /// Element k of the run.
    subscript(k: Int) -> Double { get }
}

/// A run of a vector with nothing pending: element k is `base[k]`.
@frozen @usableFromInline
struct StoredRun: ElementRun {
    /// The first stored element of the run.
    @usableFromInline let base: UnsafePointer<Double>

    @inlinable @inline(__always)
    init(_ base: UnsafePointer<Double>) { self.base = base }

    @inlinable @inline(__always)
    subscript(k: Int) -> Double { base[k] }
}

/// A run of a vector with a pending scaling: element k is `base[k] * factor + addend`.
@frozen @usableFromInline
struct ScaledRun: ElementRun {
    /// The first stored element of the run.
    @usableFromInline let base: UnsafePointer<Double>
    /// The vector's pending factor.
    @usableFromInline let factor: Double
    /// The vector's pending addend.
    @usableFromInline let addend: Double

    @inlinable @inline(__always)
    init(_ base: UnsafePointer<Double>, factor: Double, addend: Double) {
        self.base = base
        self.factor = factor
        self.addend = addend
    }

    @inlinable @inline(__always)
    subscript(k: Int) -> Double { base[k] * factor + addend }
}

extension Vector {
    /// The first stored element of logical index `start`, for a run in which this vector's
    /// storage does not wrap (see ``forEachRun(_:_:_:_:_:)``); `storage` is the base of this
    /// vector's storage.
    @inlinable @inline(__always)
    func runBase(_ storage: UnsafePointer<Double>, from start: Int) -> UnsafePointer<Double> {
        storage + Vector.wrapped(start + offset, count)
    }

    /// This vector's elements from logical index `start` on, ignoring anything pending:
    /// correct only when ``hasNothingPending``.
    @inlinable @inline(__always)
    func storedRun(_ storage: UnsafePointer<Double>, from start: Int) -> StoredRun {
        StoredRun(runBase(storage, from: start))
    }

    /// This vector's elements from logical index `start` on, pending scaling applied.
    @inlinable @inline(__always)
    func scaledRun(_ storage: UnsafePointer<Double>, from start: Int) -> ScaledRun {
        ScaledRun(runBase(storage, from: start), factor: factor, addend: addend)
    }
}
