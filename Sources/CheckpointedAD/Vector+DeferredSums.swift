// Deferred sums of views: `a + b` and `a − b` where a and b read the same storage (two
// rotated views of one vector, as in a stencil's `x.rolled(by: −1) − x.rolled(by: 2)`, or a
// cotangent and its rolled-back copies in a pullback) cost no pass over memory and no
// allocation. The result keeps the one storage and both offsets; its element i is
// `(s[i + offset] + s[i + partnerOffset] · partnerFactor) · factor + addend` (indices mod
// count; partnerFactor −1 for a difference), computed by whichever operation reads it next,
// inside that operation's own loop. In the Lorenz-96 right-hand side
// `(x.rolled(by: −1) − x.rolled(by: 2)) * x.rolled(by: 1)` the difference is formed while
// the product is computed, one pass instead of two.
//
// Only views of one storage are paired, so a pending sum holds exactly the buffer its operands
// held, never more (a checkpoint of one is as large as the vector), and a vector stays one
// reference and four words (the second offset and its sign are packed beside the first,
// Vector.layout): copies cost what they did. Pairing any two vectors needed a second reference
// and two more fields, and every copy's extra retain, release and spilled word made the
// N = 40 Lorenz-96 step's forward 37–48% slower. A pending sum is never written in place: it reads two places
// of its storage. The loops that read pending sums live out of line
// (Vector+DeferredSumLoops.swift), so operations on other operands run the code they ran.
//
// Bits: the operands must have no pending broadcast sum, the first must have factor 1 and the
// second ±1 (for a sum, either may be first), so the deferred value is `round(a_i ± b_i)`,
// exactly the eager `a + b` or `a − b` (`a − b` is `a + (−b)` in IEEE arithmetic). A scaling,
// broadcast sum or negation of a pending sum then follows the rules of
// Vector+DeferredScaling.swift on the outer factor and addend. A pending sum is never paired
// again.

extension Vector {
    /// What an operation's loop must compute to read a vector's elements.
    @usableFromInline
    enum Pending {
        /// The stored values.
        case nothing
        /// The stored values times a factor plus an addend.
        case scaling
        /// A deferred sum of two views of the stored values, then a factor and an addend.
        case sum
    }

    /// What is pending on this vector.
    @inlinable @inline(__always)
    var pending: Pending {
        if hasPendingSum { return .sum }
        return hasNothingPending ? .nothing : .scaling
    }

    /// Whether a deferred sum is pending.
    @inlinable @inline(__always)
    var hasPendingSum: Bool { layout >> 32 != 0 }

    /// The shortest vectors whose sums of views are deferred. Below it a pass over the
    /// elements costs less than what deferring adds to the loops that read the sum (an
    /// out-of-line call, and runs split at two more offsets): at N = 40 deferring made the
    /// Lorenz-96 step's pullback 1.3–2.4× slower.
    @inlinable
    static var minimumDeferredSumCount: Int { 256 }

    /// `lhs + sign·rhs` (sign ±1) for vectors of equal nonzero length: deferred when both
    /// read the same storage and the pair can express the eager result (see the file header),
    /// otherwise evaluated now, in place when an operand is a dead temporary.
    @inlinable @inline(__always)
    static func sum(_ lhs: consuming Vector, _ rhs: consuming Vector, sign: Double) -> Vector {
        precondition(lhs.count == rhs.count, "adding vectors of different lengths: \(lhs.count) and \(rhs.count)")
        if lhs.count >= minimumDeferredSumCount && !lhs.hasPendingSum && !rhs.hasPendingSum
            && lhs.addend.bitPattern == identityAddend.bitPattern && rhs.addend.bitPattern == identityAddend.bitPattern
            && lhs.count < 1 << 31 && lhs.sharesStorage(with: rhs) {
            if lhs.factor == 1 && (rhs.factor == 1 || rhs.factor == -1) {
                return Vector(storage: lhs.storage, offset: lhs.offset, partnerOffset: rhs.offset, partnerFactor: sign * rhs.factor)
            }
            if sign == 1 && rhs.factor == 1 && lhs.factor == -1 {
                return Vector(storage: rhs.storage, offset: rhs.offset, partnerOffset: lhs.offset, partnerFactor: lhs.factor)
            }
        }
        if sign == 1 { return elementwiseReusing(consume lhs, consume rhs, Adding()) }
        return elementwiseReusing(consume lhs, consume rhs, Subtracting())
    }

    /// Whether both vectors read the same storage buffer (views of one vector).
    @inlinable @inline(__always)
    func sharesStorage(with other: Vector) -> Bool {
        storage.withUnsafeBufferPointer { a in other.storage.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// Read access to this vector's elements for an operation's loops: `body` gets a pointer
    /// to the storage valid for its duration. The vector must have elements.
    @inlinable @inline(__always)
    func withElements<R>(_ body: (VectorElements) -> R) -> R {
        storage.withUnsafeBufferPointer { p in body(VectorElements(self, storage: p.baseAddress!)) }
    }
}

/// A vector's elements as its operations' loops read them: where its storage sits, where the
/// terms of a pending sum start, and what is pending. Valid only inside
/// ``Vector/withElements(_:)``.
@frozen @usableFromInline
struct VectorElements {
    /// What the loops must compute.
    @usableFromInline let pending: Vector.Pending
    /// The number of elements.
    @usableFromInline let count: Int
    /// The first stored element.
    @usableFromInline let storage: UnsafePointer<Double>
    /// Where logical element 0 sits in the storage.
    @usableFromInline let offset: Int
    /// Where logical element 0 of a pending sum's second term sits in the storage (0 when no
    /// sum is pending).
    @usableFromInline let partnerOffset: Int
    /// The pending scaling and the second term's factor (±1, or 0 when no sum is pending).
    @usableFromInline let factor: Double, addend: Double, partnerFactor: Double

    @inlinable @inline(__always)
    init(_ vector: borrowing Vector, storage: UnsafePointer<Double>) {
        pending = vector.pending
        count = vector.count
        self.storage = storage
        offset = vector.offset
        partnerOffset = vector.partnerOffset
        factor = vector.factor
        addend = vector.addend
        partnerFactor = vector.partnerFactor
    }

    /// The elements from logical index `start` on, ignoring anything pending: correct only
    /// when nothing is.
    @inlinable @inline(__always)
    func stored(from start: Int) -> StoredRun { StoredRun(storage + Vector.wrapped(start + offset, count)) }

    /// The elements from logical index `start` on, pending scaling applied: correct when no
    /// sum is pending.
    @inlinable @inline(__always)
    func scaled(from start: Int) -> ScaledRun {
        ScaledRun(storage + Vector.wrapped(start + offset, count), factor: factor, addend: addend)
    }

    /// The elements from logical index `start` on, pending sum and scaling applied: correct
    /// when a sum is pending.
    @inlinable @inline(__always)
    func summed(from start: Int) -> SumRun {
        SumRun(storage + Vector.wrapped(start + offset, count), storage + Vector.wrapped(start + partnerOffset, count),
               partnerFactor: partnerFactor, factor: factor, addend: addend)
    }
}

/// A run of a vector with a pending sum: element k is
/// `(base[k] + second[k] * partnerFactor) * factor + addend`.
@frozen @usableFromInline
struct SumRun: ElementRun {
    /// The first stored element of the run.
    @usableFromInline let base: UnsafePointer<Double>
    /// The first element of the run of the second term.
    @usableFromInline let second: UnsafePointer<Double>
    /// The second term's factor, the outer factor and the outer addend.
    @usableFromInline let partnerFactor: Double, factor: Double, addend: Double

    @inlinable @inline(__always)
    init(_ base: UnsafePointer<Double>, _ second: UnsafePointer<Double>, partnerFactor: Double, factor: Double, addend: Double) {
        self.base = base
        self.second = second
        self.partnerFactor = partnerFactor
        self.factor = factor
        self.addend = addend
    }

    @inlinable @inline(__always)
    subscript(k: Int) -> Double { (base[k] + second[k] * partnerFactor) * factor + addend }
}
