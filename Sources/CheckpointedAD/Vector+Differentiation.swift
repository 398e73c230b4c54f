import _Differentiation

// The differentiable operations of `Vector`, each with its vector-Jacobian product
// registered by `@derivative(of:)` (named `_vjp…`, as in the standard library). Every
// pullback accepts the zero-sized cotangent and then returns zero-sized cotangents without
// touching memory. See `seeds/vector-jacobian-products.md` for the rules used.

// MARK: Elementwise arithmetic

extension Vector {
    /// Elementwise sum. A zero-sized operand is the zero of the other's length.
    ///
    /// Deferred to the next operation that reads the result when both operands are views of
    /// one vector of 256 elements or more (Vector+DeferredSums.swift); otherwise added into a
    /// dead operand in place, or into fresh storage.
    ///
    /// - Complexity: O(count), or O(1) when deferred.
    @inlinable
    @differentiable(reverse)
    public static func + (lhs: consuming Vector, rhs: consuming Vector) -> Vector {
        if lhs.count == 0 { return rhs }
        if rhs.count == 0 { return lhs }
        return sum(consume lhs, consume rhs, sign: 1)
    }

    /// Elementwise difference. A zero-sized operand is the zero of the other's length.
    ///
    /// Deferred like `+`.
    ///
    /// - Complexity: O(count), or O(1) when deferred.
    @inlinable
    @differentiable(reverse)
    public static func - (lhs: consuming Vector, rhs: consuming Vector) -> Vector {
        if rhs.count == 0 { return lhs }
        if lhs.count == 0 { return -rhs }
        return sum(consume lhs, consume rhs, sign: -1)
    }

    /// Elementwise (Hadamard) product. A zero-sized operand gives the zero-sized result.
    ///
    /// - Complexity: O(count).
    @inlinable
    @differentiable(reverse)
    public static func * (lhs: consuming Vector, rhs: consuming Vector) -> Vector {
        if lhs.count == 0 || rhs.count == 0 { return .zero }
        return elementwiseReusing(consume lhs, consume rhs, Multiplying())
    }

    /// Elementwise quotient. A zero-sized numerator gives the zero-sized result.
    ///
    /// - Complexity: O(count).
    @inlinable
    @differentiable(reverse)
    public static func / (lhs: consuming Vector, rhs: consuming Vector) -> Vector {
        if lhs.count == 0 { return .zero }
        return elementwiseReusing(consume lhs, consume rhs, Dividing())
    }

    /// Elementwise negation, deferred to the next operation that reads the result.
    ///
    /// - Complexity: O(1) unless a broadcast sum is pending on `x` (then O(count)).
    @inlinable
    @differentiable(reverse)
    public static prefix func - (x: consuming Vector) -> Vector { (consume x).negatedLazily() }

    /// `lhs = lhs + rhs`, in place when `lhs` is uniquely referenced (a copy-on-write copy
    /// otherwise: storage shared with a rotated view is never written).
    @inlinable
    public static func += (lhs: inout Vector, rhs: Vector) {
        if rhs.count == 0 { return }
        if lhs.count == 0 { lhs = rhs; return }
        precondition(lhs.count == rhs.count, "adding vectors of different lengths: \(lhs.count) and \(rhs.count)")
        lhs.updateElements(with: rhs, Adding())
    }

    /// `lhs = lhs - rhs`, in place when `lhs` is uniquely referenced (a copy-on-write copy
    /// otherwise).
    @inlinable
    public static func -= (lhs: inout Vector, rhs: Vector) {
        if rhs.count == 0 { return }
        if lhs.count == 0 { lhs = -rhs; return }
        precondition(lhs.count == rhs.count, "subtracting vectors of different lengths: \(lhs.count) and \(rhs.count)")
        lhs.updateElements(with: rhs, Subtracting())
    }

    @inlinable
    @derivative(of: +)
    static func _vjpAdd(lhs: consuming Vector, rhs: consuming Vector) -> (value: Vector, pullback: (Vector) -> (Vector, Vector)) {
        ((consume lhs) + (consume rhs), { v in (v, v) })
    }

    @inlinable
    @derivative(of: -)
    static func _vjpSubtract(lhs: consuming Vector, rhs: consuming Vector) -> (value: Vector, pullback: (Vector) -> (Vector, Vector)) {
        ((consume lhs) - (consume rhs), { v in (v, -v) })
    }

    @inlinable
    @derivative(of: *)
    static func _vjpMultiply(lhs: Vector, rhs: Vector) -> (value: Vector, pullback: (Vector) -> (Vector, Vector)) {
        (lhs * rhs, { v in productPullback(v, lhs, rhs) })
    }

    @inlinable
    @derivative(of: /)
    static func _vjpDivide(lhs: Vector, rhs: Vector) -> (value: Vector, pullback: (Vector) -> (Vector, Vector)) {
        (lhs / rhs, { v in
            if v.count == 0 || lhs.count == 0 { return (.zero, .zero) }
            // x̄ = v / y,  ȳ = −v·x / y².
            let lhsBar = elementwise(v, rhs, Dividing())
            let rhsBar = ternary(v, lhs, rhs) { vi, xi, yi in -vi * xi / (yi * yi) }
            return (lhsBar, rhsBar)
        })
    }

    @inlinable
    @derivative(of: -)
    static func _vjpNegate(x: consuming Vector) -> (value: Vector, pullback: (Vector) -> Vector) {
        (-(consume x), { v in -v })
    }
}

// MARK: Scalars

extension Vector {
    /// Every element times `scalar`, deferred to the next operation that reads the result.
    ///
    /// - Complexity: O(1) when nothing but a sign is pending on `x`, O(count) otherwise.
    @inlinable
    @differentiable(reverse)
    public static func * (scalar: Double, x: consuming Vector) -> Vector { (consume x).scaledLazily(by: scalar) }

    /// Every element times `scalar`.
    @inlinable
    @differentiable(reverse)
    public static func * (x: consuming Vector, scalar: Double) -> Vector { scalar * (consume x) }

    /// `scalar` added to every element (broadcast), deferred to the next operation that
    /// reads the result.
    ///
    /// - Complexity: O(1) unless a broadcast sum is already pending on `x` (then O(count)).
    @inlinable
    @differentiable(reverse)
    public static func + (x: consuming Vector, scalar: Double) -> Vector { (consume x).shiftedLazily(by: scalar) }

    /// `scalar` added to every element (broadcast).
    @inlinable
    @differentiable(reverse)
    public static func + (scalar: Double, x: consuming Vector) -> Vector { (consume x) + scalar }

    /// a·x + y, in one pass (BLAS's *axpy*).
    ///
    /// ```swift
    /// let z = Vector.axpy(0.5, x, y)   // 0.5·x + y
    /// ```
    /// - Complexity: O(count); a zero-sized `x` or `y` is treated as zero.
    @inlinable
    @differentiable(reverse)
    public static func axpy(_ a: Double, _ x: Vector, _ y: consuming Vector) -> Vector {
        if x.count == 0 { return y }
        if y.count == 0 { return a * x }
        return elementwiseReusing(x, consume y, MultiplyingAndAdding(a))
    }

    @inlinable
    @derivative(of: *)
    static func _vjpScale(scalar: Double, x: Vector) -> (value: Vector, pullback: (Vector) -> (Double, Vector)) {
        (scalar * x, { v in dotAndScale(v, x, scalar) })
    }

    @inlinable
    @derivative(of: *)
    static func _vjpScale(x: Vector, scalar: Double) -> (value: Vector, pullback: (Vector) -> (Vector, Double)) {
        (scalar * x, { v in let (scalarBar, xBar) = dotAndScale(v, x, scalar); return (xBar, scalarBar) })
    }

    @inlinable
    @derivative(of: +)
    static func _vjpBroadcastAdd(x: consuming Vector, scalar: Double) -> (value: Vector, pullback: (Vector) -> (Vector, Double)) {
        ((consume x) + scalar, { v in (v, v.sum()) })
    }

    @inlinable
    @derivative(of: +)
    static func _vjpBroadcastAdd(scalar: Double, x: consuming Vector) -> (value: Vector, pullback: (Vector) -> (Double, Vector)) {
        ((consume x) + scalar, { v in (v.sum(), v) })
    }

    @inlinable
    @derivative(of: axpy)
    static func _vjpAxpy(_ a: Double, _ x: Vector, _ y: consuming Vector) -> (value: Vector, pullback: (Vector) -> (Double, Vector, Vector)) {
        (axpy(a, x, consume y), { v in let (aBar, xBar) = dotAndScale(v, x, a); return (aBar, xBar, v) })
    }
}

// MARK: Reductions

extension Vector {
    /// The inner product Σ xᵢ·yᵢ; 0 when either vector is zero-sized. Summed by
    /// ``reduce(_:_:)``: eight interleaved partial sums, so the order is fixed.
    ///
    /// - Complexity: O(count), no allocation.
    @inlinable
    @differentiable(reverse)
    public func dot(_ other: Vector) -> Double {
        if count == 0 || other.count == 0 { return 0 }
        precondition(count == other.count, "dot product of vectors of different lengths: \(count) and \(other.count)")
        return Vector.reduce(self, other, Multiplying())
    }

    /// The sum of the elements; 0 for the zero-sized vector. Summed by ``reduce(_:_:)``.
    ///
    /// - Complexity: O(count), no allocation.
    @inlinable
    @differentiable(reverse)
    public func sum() -> Double {
        Vector.reduce(self, self, FirstOperand())
    }

    /// ½‖x‖² = ½ Σ xᵢ², the usual least-squares loss.
    ///
    /// - Complexity: O(count), no allocation.
    @inlinable
    @differentiable(reverse)
    public func halfSquaredNorm() -> Double { 0.5 * dot(self) }

    @inlinable
    @derivative(of: dot)
    func _vjpDot(_ other: Vector) -> (value: Double, pullback: (Double) -> (Vector, Vector)) {
        (dot(other), { s in (s * other, s * self) })
    }

    @inlinable
    @derivative(of: sum)
    func _vjpSum() -> (value: Double, pullback: (Double) -> Vector) {
        let n = count
        return (sum(), { s in Vector(repeating: s, count: n) })
    }

    @inlinable
    @derivative(of: halfSquaredNorm)
    func _vjpHalfSquaredNorm() -> (value: Double, pullback: (Double) -> Vector) {
        (halfSquaredNorm(), { s in s * self })
    }
}

// MARK: Shifts and elements

extension Vector {
    /// The vector rotated right by `shift` places: `result[i] = self[(i − shift) mod count]`
    /// (NumPy's `roll`). `x.rolled(by: 1)[i]` is x[i−1] with periodic wrap-around.
    ///
    /// The result is a rotated view: it shares this vector's storage and records where its
    /// element 0 sits, so rolling copies nothing (see Vector+Rotation.swift).
    ///
    /// - Complexity: O(1); no allocation.
    @inlinable
    @differentiable(reverse)
    public func rolled(by shift: Int) -> Vector {
        let n = count
        if n == 0 { return self }
        let k = ((shift % n) + n) % n
        if k == 0 { return self }
        // Offsets are packed into 32 bits (``layout``): a longer vector is rolled by a copy.
        if n > Int(UInt32.max) { return rotatedCopy(by: k) }
        // result[i] = self[i − k] = storage[i − k + offset], and so for a pending sum's term.
        var result = self
        let term = layout >> 32
        var rolledTerm = 0
        if term != 0 { rolledTerm = (Vector.wrapped(Int(term.magnitude) - 1 - k + n, n) + 1) * term.signum() }
        result.layout = Vector.wrapped(offset - k + n, n) | rolledTerm << 32
        return result
    }

    /// The elements rotated right by k in fresh storage: ``rolled(by:)`` for vectors too long
    /// for the packed offsets.
    @inlinable @inline(never)
    func rotatedCopy(by k: Int) -> Vector {
        let elements = materialisedStorage(), n = count
        return Vector(storage: Array(elements[(n - k)...] + elements[..<(n - k)]), offset: 0)
    }

    @inlinable
    @derivative(of: rolled, wrt: self)
    func _vjpRolled(by shift: Int) -> (value: Vector, pullback: (Vector) -> Vector) {
        (rolled(by: shift), Vector.rollingBack(by: shift))
    }

    /// The pullback of `rolled(by: shift)`, v ↦ v.rolled(by: −shift): a rotated view of v, no
    /// copy. For the stencil shifts −2 … 2 a closure that captures nothing, so that taping a
    /// roll allocates no closure context.
    @inlinable
    static func rollingBack(by shift: Int) -> (Vector) -> Vector {
        switch shift {
        case 1: return { v in v.rolled(by: -1) }
        case -1: return { v in v.rolled(by: 1) }
        case 2: return { v in v.rolled(by: -2) }
        case -2: return { v in v.rolled(by: 2) }
        default: return { v in v.rolled(by: -shift) }
        }
    }

    /// The element at `index`. Differentiable, but its pullback builds a one-hot vector of
    /// length `count`: use whole-vector operations in hot code.
    @inlinable
    @differentiable(reverse)
    public func element(at index: Int) -> Double {
        precondition(index >= 0 && index < count, "element index \(index) out of range 0 ..< \(count)")
        let stored = storage[Vector.wrapped(index + offset, count)]
        if !hasPendingSum { return stored * factor + addend }
        return (stored + storage[Vector.wrapped(index + partnerOffset, count)] * partnerFactor) * factor + addend
    }

    @inlinable
    @derivative(of: element, wrt: self)
    func _vjpElement(at index: Int) -> (value: Double, pullback: (Double) -> Vector) {
        let n = count
        return (element(at: index), { s in
            var result = Vector(repeating: 0, count: n)
            result.scalars[index] = s
            return result
        })
    }

    /// A vector from a few differentiable scalars, e.g. `Vector.stacking([a * b, a + b])`.
    ///
    /// - Complexity: O(count).
    @inlinable
    @differentiable(reverse)
    public static func stacking(_ elements: [Double]) -> Vector { Vector(elements) }

    @inlinable
    @derivative(of: stacking)
    static func _vjpStacking(_ elements: [Double]) -> (value: Vector, pullback: (Vector) -> [Double].TangentVector) {
        let n = elements.count
        return (Vector(elements), { v in
            [Double].TangentVector(v.count == 0 ? Array(repeating: 0, count: n) : v.scalars)
        })
    }
}
