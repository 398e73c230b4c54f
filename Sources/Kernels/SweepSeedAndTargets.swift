// What the specialised interior backward sweep reads as seed and writes to: small value types
// behind two protocols, so that each combination (α·y or α·y + β·z; one target or two) is its
// own specialisation with no per-site test of what is present.

/// A seed s_i for the interior sweep.
@usableFromInline
protocol SweepSeed {
    /// s_i.
    func callAsFunction(_ i: Int) -> Double
}

/// s_i = α·y_i.
@usableFromInline
struct ScaledSeed: SweepSeed {
    @usableFromInline let alpha: Double
    @usableFromInline let y: UnsafePointer<Double>

    @inlinable
    init(_ alpha: Double, _ y: UnsafePointer<Double>) { (self.alpha, self.y) = (alpha, y) }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> Double { alpha * y[i] }
}

/// s_i = α·y_i + β·z_i.
@usableFromInline
struct CombinedSeed: SweepSeed {
    @usableFromInline let alpha: Double, y: UnsafePointer<Double>, beta: Double, z: UnsafePointer<Double>

    @inlinable
    init(_ alpha: Double, _ y: UnsafePointer<Double>, _ beta: Double, _ z: UnsafePointer<Double>) {
        (self.alpha, self.y, self.beta, self.z) = (alpha, y, beta, z)
    }

    @inlinable @inline(__always)
    func callAsFunction(_ i: Int) -> Double { alpha * y[i] + beta * z[i] }
}

/// Where a backward sweep writes J_xᵀs. A scattering sweep adds every site's cotangents
/// (``add(_:at:)``); a gathering sweep first *puts* each element's interior sum, once per
/// element, and then adds the edge sites' cotangents, so that targets which overwrite a
/// fresh buffer (OverwritingTargets.swift) need no cleared buffer.
@usableFromInline
protocol SweepTargets {
    /// Adds `e` to element j of every target.
    func add(_ e: Double, at j: Int)

    /// Element j's first value `e` from a gathering sweep: added to an accumulating target,
    /// written over a fresh one.
    func put(_ e: Double, at j: Int)

    /// ``put(_:at:)`` for elements j … j + 7, one target after the other: one vector per
    /// target, so that the stores of one target do not wait on (possibly aliasing) stores of
    /// the other.
    func put(_ e: SIMD8<Double>, startingAt j: Int)
}

/// One target.
@usableFromInline
struct OneTarget: SweepTargets {
    @usableFromInline let a: UnsafeMutablePointer<Double>

    @inlinable
    init(_ a: UnsafeMutablePointer<Double>) { self.a = a }

    @inlinable @inline(__always)
    func add(_ e: Double, at j: Int) { a[j] += e }

    @inlinable @inline(__always)
    func put(_ e: Double, at j: Int) { a[j] += e }

    @inlinable @inline(__always)
    func put(_ e: SIMD8<Double>, startingAt j: Int) { addVector(e, to: a + j) }
}

/// Two targets receiving the same values (a stage's z̄ and the step's x̄).
@usableFromInline
struct TwoTargets: SweepTargets {
    @usableFromInline let a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>

    @inlinable
    init(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) { (self.a, self.b) = (a, b) }

    @inlinable @inline(__always)
    func add(_ e: Double, at j: Int) {
        a[j] += e
        b[j] += e
    }

    @inlinable @inline(__always)
    func put(_ e: Double, at j: Int) { add(e, at: j) }

    @inlinable @inline(__always)
    func put(_ e: SIMD8<Double>, startingAt j: Int) {
        addVector(e, to: a + j)
        addVector(e, to: b + j)
    }
}

extension SweepTargets {
    /// Adds a nine-point neighbourhood's cotangents around element `centre` of a row-major
    /// field: west and east `columnStep` apart, north and south `rowStep` apart; written
    /// north-west to south-east.
    ///
    /// - Complexity: nine adds.
    @inlinable @inline(__always)
    func add(_ g: GridNeighbourhood, around centre: Int, columnStep: Int, rowStep: Int) {
        let north = centre &- rowStep, south = centre &+ rowStep
        add(g.northWest, at: north &- columnStep)
        add(g.north, at: north)
        add(g.northEast, at: north &+ columnStep)
        add(g.west, at: centre &- columnStep)
        add(g.centre, at: centre)
        add(g.east, at: centre &+ columnStep)
        add(g.southWest, at: south &- columnStep)
        add(g.south, at: south)
        add(g.southEast, at: south &+ columnStep)
    }
}
