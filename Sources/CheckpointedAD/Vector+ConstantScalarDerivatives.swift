import _Differentiation

// When the scalar of a scaling, a broadcast sum or an axpy is a constant (a literal, or a
// value the derivative is not taken with respect to), Swift AD picks these derivatives:
// their pullbacks skip the dot product or sum that only the scalar's cotangent needs, and
// their values may reuse the vector operand's storage because the pullback does not keep it.

extension Vector {
    @inlinable
    @derivative(of: *, wrt: x)
    static func _vjpScaleByConstant(scalar: Double, x: consuming Vector) -> (value: Vector, pullback: (Vector) -> Vector) {
        (scalar * (consume x), { v in scalar * v })
    }

    @inlinable
    @derivative(of: *, wrt: x)
    static func _vjpScaleByConstant(x: consuming Vector, scalar: Double) -> (value: Vector, pullback: (Vector) -> Vector) {
        (scalar * (consume x), { v in scalar * v })
    }

    @inlinable
    @derivative(of: +, wrt: x)
    static func _vjpAddConstant(x: consuming Vector, scalar: Double) -> (value: Vector, pullback: (Vector) -> Vector) {
        ((consume x) + scalar, { v in v })
    }

    @inlinable
    @derivative(of: +, wrt: x)
    static func _vjpAddConstant(scalar: Double, x: consuming Vector) -> (value: Vector, pullback: (Vector) -> Vector) {
        ((consume x) + scalar, { v in v })
    }

    @inlinable
    @derivative(of: axpy, wrt: (x, y))
    static func _vjpAxpyByConstant(_ a: Double, _ x: Vector, _ y: consuming Vector) -> (value: Vector, pullback: (Vector) -> (Vector, Vector)) {
        (axpy(a, x, consume y), { v in (a * v, v) })
    }
}
