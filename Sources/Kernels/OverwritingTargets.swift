import _Differentiation

// Targets for a gathering sweep that writes a stage's z̄ over a fresh buffer instead of adding
// it to a cleared one, so that the fused Runge–Kutta pullback makes no pass of its own to
// clear (or copy) buffers (FieldKernel.overwritePullback). Each writes exactly what adding
// to a cleared buffer (+0.0 everywhere) and to a copy of `base` would, bit for bit:
// 0.0 + e, and base_j + e.

/// z̄ only: fresh[j] = 0.0 + e, then the edge sites add.
@usableFromInline
struct Overwritten: SweepTargets {
    @usableFromInline let fresh: UnsafeMutablePointer<Double>

    @inlinable
    init(_ fresh: UnsafeMutablePointer<Double>) { self.fresh = fresh }

    @inlinable @inline(__always)
    func add(_ e: Double, at j: Int) { fresh[j] += e }

    @inlinable @inline(__always)
    func put(_ e: Double, at j: Int) { fresh[j] = 0.0 + e }

    @inlinable @inline(__always)
    func put(_ e: SIMD8<Double>, startingAt j: Int) { storeVector(SIMD8(repeating: 0) + e, to: fresh + j) }
}

/// A fresh buffer and a total: the edge sites, after the interior has put every element,
/// add to both.
@usableFromInline
protocol FreshAndTotal: SweepTargets {
    /// z̄ of the stage.
    var fresh: UnsafeMutablePointer<Double> { get }
    /// The step's x̄.
    var total: UnsafeMutablePointer<Double> { get }
}

extension FreshAndTotal {
    @inlinable @inline(__always)
    func add(_ e: Double, at j: Int) {
        fresh[j] += e
        total[j] += e
    }
}

/// z̄ over a fresh buffer, and added to a running total (the step's x̄).
@usableFromInline
struct OverwrittenAndAdded: FreshAndTotal {
    @usableFromInline let fresh: UnsafeMutablePointer<Double>, total: UnsafeMutablePointer<Double>

    @inlinable
    init(_ fresh: UnsafeMutablePointer<Double>, _ total: UnsafeMutablePointer<Double>) { (self.fresh, self.total) = (fresh, total) }

    @inlinable @inline(__always)
    func put(_ e: Double, at j: Int) {
        fresh[j] = 0.0 + e
        total[j] += e
    }

    @inlinable @inline(__always)
    func put(_ e: SIMD8<Double>, startingAt j: Int) {
        storeVector(SIMD8(repeating: 0) + e, to: fresh + j)
        addVector(e, to: total + j)
    }
}

/// z̄ over a fresh buffer, and base + z̄ over a second one (the step's x̄ = ȳ + z̄4).
@usableFromInline
struct OverwrittenAndBased: FreshAndTotal {
    @usableFromInline let fresh: UnsafeMutablePointer<Double>, total: UnsafeMutablePointer<Double>, base: UnsafePointer<Double>

    @inlinable
    init(_ fresh: UnsafeMutablePointer<Double>, _ total: UnsafeMutablePointer<Double>, _ base: UnsafePointer<Double>) {
        (self.fresh, self.total, self.base) = (fresh, total, base)
    }

    @inlinable @inline(__always)
    func put(_ e: Double, at j: Int) {
        fresh[j] = 0.0 + e
        total[j] = base[j] + e
    }

    @inlinable @inline(__always)
    func put(_ e: SIMD8<Double>, startingAt j: Int) {
        storeVector(SIMD8(repeating: 0) + e, to: fresh + j)
        storeVector(loadVector(base + j) + e, to: total + j)
    }
}

/// p[0 ..< 8] as one unaligned vector load.
@inlinable @inline(__always)
func loadVector(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
}

/// p[0 ..< 8] = e, as one unaligned vector store.
@inlinable @inline(__always)
func storeVector(_ e: SIMD8<Double>, to p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: e, as: SIMD8<Double>.self)
}

/// p[0 ..< 8] += e.
@inlinable @inline(__always)
func addVector(_ e: SIMD8<Double>, to p: UnsafeMutablePointer<Double>) {
    storeVector(loadVector(p) + e, to: p)
}
