import _Differentiation

/// A differentiable vector of `Double`s in contiguous storage: the state type the
/// checkpointed driver and its benchmarks are built around.
///
/// ```swift
/// let x: Vector = [1, 2, 3]
/// let (value, pullback) = valueWithPullback(at: x) { x in (x * x).sum() }
/// pullback(1)   // [2.0, 4.0, 6.0]
/// ```
///
/// `Vector` is its own tangent type. Its additive zero, ``zero``, has **no elements**: Swift's
/// automatic differentiation hands pullbacks such a zero whenever a result was unused, so
/// every operation and every pullback of this module accepts a zero-sized vector and treats
/// it as the zero of any length (`x + .zero == x`, `x * .zero == .zero`).
///
/// Storage is an `Array<Double>`, so copies are copy-on-write and storing a vector as a
/// checkpoint costs a reference count until the original is mutated.
///
/// **Rolls cost nothing.** ``rolled(by:)`` returns a *rotated view*: the same storage and
/// the position of its element 0, no copy and no allocation; the pullback of a roll is a
/// view of the cotangent. Every operation and pullback reads its operands through their
/// rotations (at most four contiguous, vectorised runs per loop) and performs per element
/// the arithmetic it performs on a materialised copy, so results are the same bits; reductions
/// (``sum()``, ``dot(_:)``) add in the same order over the logical indices. A view reads as
/// the rolled vector everywhere (``scalars``, `==`, `hash(into:)`, `description`, the
/// checkpoint encoding); reading ``scalars`` of a view copies the elements into order (free
/// otherwise), so read it once rather than once per element. Writes never reach storage a
/// view shares: views hold a reference to it, so it is never uniquely referenced and
/// `Array`'s copy-on-write copies it first. In the Lorenz-96 RK4 step this cut the forward
/// step's allocations from 15 to 7 and its passes over memory from 37 to 25.
///
/// **Allocator tuning.** Operations allocate their results unless they can reuse a dead
/// operand (below), and a step of a model frees the same buffers it allocates next step.
/// With glibc's default settings those buffers go back to the system and are page-faulted
/// in again: a Lorenz-96 RK4 step of `Vector`
/// operations ran 2.6–6× slower, its Swift AD pullback 3–5× (N = 4096 to 2^20; since the
/// operations reuse dead temporaries the forward step no longer depends on it, the pullback
/// still does: 3.5× at N = 4096, 5× at 65536, Papers/CheapGradient.md). So the
/// first vector created with elements applies ``AllocatorTuning`` once per process (one
/// check per allocation, about 11 instructions), and freed memory, up to 512 MiB, stays
/// mapped for reuse. To keep glibc's defaults, run with the environment variable
/// `REWIND_MALLOC_TUNING=off`.
///
/// **Scalings are deferred.** `c * x`, `x + c` and `-x` record a pending factor and addend
/// that the next operation applies in its own loop, so they cost no pass over memory; the
/// elements are the same bits eager evaluation gives (Vector+DeferredScaling.swift).
///
/// **Sums of views are deferred.** `x.rolled(by: s) − x.rolled(by: t)` (two views of one
/// vector, of 256 elements or more) records the second offset instead of a pass: the next
/// operation forms the difference in its own loop, with the same bits (the Lorenz-96 step's
/// forward makes 15 passes instead of 19; Vector+DeferredSums.swift).
///
/// **Temporaries are reused.** The elementwise operators take their vector operands as
/// `consuming` and write the result into an operand's storage when that operand is not used
/// again (`hasUniqueStorage()`): `(a - b) * c - x + F` allocates one buffer, not four, and
/// the cotangent sums that Swift AD emits add into a dead cotangent in place. A value still
/// in use is never written. When the scalar of `*`, a broadcast `+` or ``axpy(_:_:_:)`` is a
/// constant, Swift AD picks derivatives that neither keep the vector nor compute the
/// scalar's cotangent (Vector+ConstantScalarDerivatives.swift).
///
/// - Complexity: every elementwise operation and its pullback is O(count), allocates at
///   most its result, and runs tight loops over contiguous memory (one per run of its
///   operands' rotations); ``rolled(by:)`` is O(1).
@frozen
public struct Vector: Differentiable, AdditiveArithmetic, Sendable {
    /// The tangent (and cotangent) of a vector is a vector.
    public typealias TangentVector = Vector

    /// The elements in storage order: element i of the vector is
    /// `storage[(i + offset) mod count] * factor + addend` (see ``rolled(by:)``), plus a
    /// pending sum's second term (see ``layout``).
    @noDerivative @usableFromInline var storage: [Double]

    /// Where element 0 sits in ``storage`` (the low 32 bits, in 0 ..< count; 0 for the
    /// zero-sized vector), and the second term of a pending sum of views (the high 32 bits: 0
    /// for none, ±(its offset + 1) for a term of factor ±1; element i is then
    /// `(storage[(i + offset) mod count] ± storage[(i + partnerOffset) mod count]) * factor +
    /// addend`, Vector+DeferredSums.swift). Packed so that a vector stays four words, which
    /// Swift passes and returns in registers: two more fields cost the N = 40 Lorenz-96 step
    /// 10% of its forward time.
    @noDerivative @usableFromInline var layout: Int

    /// The pending factor: element i is `storage[…] * factor + addend` (1 when nothing is
    /// pending; see Vector+DeferredScaling.swift).
    @noDerivative @usableFromInline var factor: Double

    /// The pending addend (−0.0 when nothing is pending).
    @noDerivative @usableFromInline var addend: Double

    /// Where element 0 sits in ``storage``.
    @inlinable @inline(__always)
    var offset: Int { layout & 0xFFFF_FFFF }

    /// Where element 0 of a pending sum's second term sits in ``storage`` (0 when none).
    @inlinable @inline(__always)
    var partnerOffset: Int {
        let term = layout >> 32
        return term > 0 ? term - 1 : term < 0 ? -term - 1 : 0
    }

    /// The factor of a pending sum's second term: ±1, or 0 when no sum is pending.
    @inlinable @inline(__always)
    var partnerFactor: Double {
        let term = layout >> 32
        return term > 0 ? 1 : term < 0 ? -1 : 0
    }

    /// The elements, in order.
    ///
    /// Reading is free when the vector is neither a rotated view (``rolled(by:)``) nor a
    /// deferred scaling (`c * x`, `x + c`, `-x`), and computes the elements into fresh storage
    /// otherwise; writing first does the same, into storage of this vector's own.
    @noDerivative public var scalars: [Double] {
        @inlinable get { isPlain ? storage : materialisedStorage() }
        @inlinable set { self = Vector(storage: newValue, offset: 0) }
        @inlinable _modify {
            if !isPlain { self = Vector(storage: materialisedStorage(), offset: 0) }
            yield &storage
        }
    }

    /// A vector of the elements `storage[(i + offset) mod count] * factor + addend`, plus,
    /// inside the scaling, `storage[(i + partnerOffset) mod count] * partnerFactor` when
    /// `partnerFactor` (±1 or 0) is not 0. Offsets must be below 2^32 (below 2^31 with a
    /// pending sum).
    @inlinable @inline(__always)
    init(
        storage: [Double], offset: Int, factor: Double = 1, addend: Double = Vector.identityAddend,
        partnerOffset: Int = 0, partnerFactor: Double = 0
    ) {
        let term = partnerFactor == 0 ? 0 : partnerFactor > 0 ? partnerOffset + 1 : -(partnerOffset + 1)
        assert(offset >= 0 && offset <= Int(UInt32.max) && term.magnitude < 1 << 31, "offsets beyond the packed layout")
        self.storage = storage
        self.layout = offset | term << 32
        self.factor = factor
        self.addend = addend
    }

    /// A vector holding `scalars`.
    @inlinable
    public init(_ scalars: [Double]) {
        AllocatorTuning.applyBeforeFirstVector()
        self.init(storage: scalars, offset: 0)
    }

    /// The zero-sized vector: the additive zero of every length.
    @inlinable
    public init() { self.init(storage: [], offset: 0) }

    /// A vector of `count` copies of `value`.
    @inlinable
    public init(repeating value: Double, count: Int) {
        AllocatorTuning.applyBeforeFirstVector()
        self.init(storage: Array(repeating: value, count: count), offset: 0)
    }

    /// A vector of `count` elements written by `initializer`, which must set every element of
    /// the buffer it is given. The allocation-free way to build a result.
    @inlinable
    public init(unsafeUninitializedCount count: Int, initializingWith initializer: (UnsafeMutableBufferPointer<Double>) -> Void) {
        AllocatorTuning.applyBeforeFirstVector()
        self.init(storage: Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            initializer(buffer)
            initialized = count
        }, offset: 0)
    }

    /// The number of elements (0 for the additive zero).
    @inlinable
    public var count: Int { storage.count }

    /// The additive zero: a vector with no elements, which acts as zero of any length.
    @inlinable
    public static var zero: Vector { Vector() }

    /// Moves `self` by `offset`: `self += offset`. A zero-sized offset does nothing.
    @inlinable
    public mutating func move(by offset: Vector) { self += offset }
}

extension Vector: ExpressibleByArrayLiteral {
    /// A vector with the literal's elements: `let x: Vector = [1, 2, 3]`.
    @inlinable
    public init(arrayLiteral elements: Double...) { self.init(elements) }
}

extension Vector: CustomStringConvertible {
    /// The elements, as an array literal: `[1.0, 2.0, 3.0]`.
    public var description: String { scalars.description }
}

extension Vector {
    /// Applies `f` to every pair of elements of `a` and `b`, which must have equal counts.
    ///
    /// - Complexity: O(count); allocates the result only.
    @inlinable @inline(__always)
    public static func elementwise(_ a: Vector, _ b: Vector, _ f: (Double, Double) -> Double) -> Vector {
        withoutActuallyEscaping(f) { f in elementwise(a, b, ClosureOperation(f)) }
    }

    /// `f(aᵢ, bᵢ)` for every logical index i, into a fresh vector; the counts must be equal.
    ///
    /// - Complexity: O(count); allocates the result only.
    @inlinable @inline(__always)
    static func elementwise<F: ElementwiseOperation>(_ a: Vector, _ b: Vector, _ f: F) -> Vector {
        precondition(a.count == b.count, "elementwise operation on vectors of different lengths: \(a.count) and \(b.count)")
        let n = a.count
        if n == 0 { return Vector() }
        if a.hasPendingSum || b.hasPendingSum { return elementwiseReadingSums(a, b, f) }
        return a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                Vector(unsafeUninitializedCount: n) { out in
                    let pa = pa.baseAddress!, pb = pb.baseAddress!
                    forEachRun(n, a.offset, b.offset) { start, length in
                        let z = out.baseAddress! + start
                        func loop<X: ElementRun, Y: ElementRun>(_ x: X, _ y: Y) {
                            for k in 0..<length { z[k] = f(x[k], y[k]) }
                        }
                        switch (a.hasNothingPending, b.hasNothingPending) {
                        case (true, true): loop(a.storedRun(pa, from: start), b.storedRun(pb, from: start))
                        case (true, false): loop(a.storedRun(pa, from: start), b.scaledRun(pb, from: start))
                        case (false, true): loop(a.scaledRun(pa, from: start), b.storedRun(pb, from: start))
                        case (false, false): loop(a.scaledRun(pa, from: start), b.scaledRun(pb, from: start))
                        }
                    }
                }
            }
        }
    }

    /// Applies `f` to every element. Not differentiable: for hand-written kernels.
    ///
    /// - Complexity: O(count); allocates the result only.
    @inlinable @inline(__always)
    public func map(_ f: (Double) -> Double) -> Vector {
        let n = count
        if n == 0 { return Vector() }
        if hasPendingSum { return withPendingApplied().map(f) }
        return storage.withUnsafeBufferPointer { p in
            Vector(unsafeUninitializedCount: n) { out in
                Vector.forEachRun(n, offset) { start, length in
                    let z = out.baseAddress! + start
                    func loop<X: ElementRun>(_ x: X) { for k in 0..<length { z[k] = f(x[k]) } }
                    if hasNothingPending { loop(storedRun(p.baseAddress!, from: start)) } else { loop(scaledRun(p.baseAddress!, from: start)) }
                }
            }
        }
    }
}
