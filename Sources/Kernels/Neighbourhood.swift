import _Differentiation

/// The values a stencil kernel sees at one site i of a 1-D field: x_{i−2}, x_{i−1}, x_i,
/// x_{i+1}, x_{i+2}, with ghost values supplied by the kernel's ``Boundary`` near the ends.
///
/// A plain differentiable struct of five `Double`s, so Swift AD differentiates a site
/// function of it on scalars and its cotangent is five `Double`s, ∂f_i/∂x_{i+k}:
///
/// ```swift
/// let laplacian: @differentiable(reverse) (Neighbourhood, Double) -> Double = { u, d in
///     d * (u.minus1 - 2 * u.centre + u.plus1)
/// }
/// ```
///
/// Offsets beyond a kernel's radius read 0 and their cotangents are dropped: a radius-1
/// kernel must not read ``minus2`` or ``plus2``; a radius-0 (pointwise) kernel reads
/// ``centre`` only.
///
/// - Complexity: O(1) to build, copy and differentiate; no heap storage.
@frozen
public struct Neighbourhood: Differentiable, AdditiveArithmetic, Hashable, Sendable {
    /// The cotangent of a neighbourhood is a neighbourhood: ∂f/∂x_{i+k} at offset k.
    public typealias TangentVector = Neighbourhood

    /// x_{i−2}.
    public var minus2: Double
    /// x_{i−1}.
    public var minus1: Double
    /// x_i.
    public var centre: Double
    /// x_{i+1}.
    public var plus1: Double
    /// x_{i+2}.
    public var plus2: Double

    /// The neighbourhood (x_{i−2}, x_{i−1}, x_i, x_{i+1}, x_{i+2}).
    ///
    /// ```swift
    /// let u = Neighbourhood(minus2: 0, minus1: 1, centre: 2, plus1: 3, plus2: 4)
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable @differentiable(reverse)
    public init(minus2: Double = 0, minus1: Double = 0, centre: Double, plus1: Double = 0, plus2: Double = 0) {
        (self.minus2, self.minus1, self.centre, self.plus1, self.plus2) = (minus2, minus1, centre, plus1, plus2)
    }

    /// The value at `offset` ∈ −2…2: `u[-1]` is x_{i−1}.
    ///
    /// - Complexity: O(1).
    @inlinable
    public subscript(offset: Int) -> Double {
        switch offset {
        case -2: minus2
        case -1: minus1
        case 0: centre
        case 1: plus1
        case 2: plus2
        default: preconditionFailure("a neighbourhood has offsets −2…2, not \(offset)")
        }
    }

    /// All five values zero, as −0.0: the additive identity IEEE arithmetic lets the
    /// optimiser drop (x + (−0.0) = x for every x, while x + 0.0 turns −0.0 into +0.0, so an
    /// add of +0.0 must stay). Swift AD builds a site's pullback from such zeros, one
    /// neighbourhood per value read, and sums them: with −0.0 the adds of the untouched
    /// offsets fold away and the Lorenz-96 site pullback loses a third of its instructions
    /// (Papers/CheapGradient.md). `== 0` holds for every value.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static var zero: Neighbourhood { Neighbourhood(minus2: -0.0, minus1: -0.0, centre: -0.0, plus1: -0.0, plus2: -0.0) }

    /// The sum, offset by offset.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func + (lhs: Neighbourhood, rhs: Neighbourhood) -> Neighbourhood {
        Neighbourhood(minus2: lhs.minus2 + rhs.minus2, minus1: lhs.minus1 + rhs.minus1, centre: lhs.centre + rhs.centre,
                      plus1: lhs.plus1 + rhs.plus1, plus2: lhs.plus2 + rhs.plus2)
    }

    /// The difference, offset by offset.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func - (lhs: Neighbourhood, rhs: Neighbourhood) -> Neighbourhood {
        Neighbourhood(minus2: lhs.minus2 - rhs.minus2, minus1: lhs.minus1 - rhs.minus1, centre: lhs.centre - rhs.centre,
                      plus1: lhs.plus1 - rhs.plus1, plus2: lhs.plus2 - rhs.plus2)
    }

    /// Moves every value by the matching offset of `offset`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func move(by offset: Neighbourhood) { self = self + offset }
}
