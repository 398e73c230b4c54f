import _Differentiation

/// The values a 2-D grid kernel sees at one site (r, c): the site and its eight neighbours,
/// with ghost values from the kernel's ``Boundary`` along the grid's edges.
///
/// Rows run north to south (row r − 1 is north of row r), columns west to east. A plain
/// differentiable struct of nine `Double`s, so Swift AD differentiates a site function of it
/// on scalars, and its cotangent is nine `Double`s, ∂f/∂x at each offset:
///
/// ```swift
/// // The five-point Laplacian, scaled by a diffusion coefficient d.
/// let heat: @differentiable(reverse) (GridNeighbourhood, Double) -> Double = { u, d in
///     d * (u.north + u.south + u.west + u.east - 4 * u.centre)
/// }
/// ```
///
/// - Complexity: O(1) to build, copy and differentiate; no heap storage.
@frozen
public struct GridNeighbourhood: Differentiable, AdditiveArithmetic, Hashable, Sendable {
    /// The cotangent of a neighbourhood is a neighbourhood.
    public typealias TangentVector = GridNeighbourhood

    /// x[r−1][c−1].
    public var northWest: Double
    /// x[r−1][c].
    public var north: Double
    /// x[r−1][c+1].
    public var northEast: Double
    /// x[r][c−1].
    public var west: Double
    /// x[r][c].
    public var centre: Double
    /// x[r][c+1].
    public var east: Double
    /// x[r+1][c−1].
    public var southWest: Double
    /// x[r+1][c].
    public var south: Double
    /// x[r+1][c+1].
    public var southEast: Double

    /// The neighbourhood with the given values; offsets left out are 0.
    ///
    /// ```swift
    /// let u = GridNeighbourhood(north: 1, west: 2, centre: 3, east: 4, south: 5)
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable @differentiable(reverse)
    public init(northWest: Double = 0, north: Double = 0, northEast: Double = 0,
                west: Double = 0, centre: Double, east: Double = 0,
                southWest: Double = 0, south: Double = 0, southEast: Double = 0) {
        (self.northWest, self.north, self.northEast) = (northWest, north, northEast)
        (self.west, self.centre, self.east) = (west, centre, east)
        (self.southWest, self.south, self.southEast) = (southWest, south, southEast)
    }

    /// The value at (row offset, column offset), each in −1…1: `u[-1, 0]` is ``north``.
    ///
    /// - Complexity: O(1).
    @inlinable
    public subscript(rowOffset: Int, columnOffset: Int) -> Double {
        get {
            switch (rowOffset, columnOffset) {
            case (-1, -1): northWest
            case (-1, 0): north
            case (-1, 1): northEast
            case (0, -1): west
            case (0, 0): centre
            case (0, 1): east
            case (1, -1): southWest
            case (1, 0): south
            case (1, 1): southEast
            default: preconditionFailure("a grid neighbourhood has offsets −1…1 in each direction, not (\(rowOffset), \(columnOffset))")
            }
        }
        set {
            switch (rowOffset, columnOffset) {
            case (-1, -1): northWest = newValue
            case (-1, 0): north = newValue
            case (-1, 1): northEast = newValue
            case (0, -1): west = newValue
            case (0, 0): centre = newValue
            case (0, 1): east = newValue
            case (1, -1): southWest = newValue
            case (1, 0): south = newValue
            case (1, 1): southEast = newValue
            default: preconditionFailure("a grid neighbourhood has offsets −1…1 in each direction, not (\(rowOffset), \(columnOffset))")
            }
        }
    }

    /// All nine values zero, as −0.0: the additive identity the optimiser may drop (see
    /// ``Neighbourhood/zero``). `== 0` holds for every value.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static var zero: GridNeighbourhood {
        GridNeighbourhood(northWest: -0.0, north: -0.0, northEast: -0.0, west: -0.0, centre: -0.0, east: -0.0,
                          southWest: -0.0, south: -0.0, southEast: -0.0)
    }

    /// The sum, offset by offset.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func + (lhs: GridNeighbourhood, rhs: GridNeighbourhood) -> GridNeighbourhood {
        GridNeighbourhood(
            northWest: lhs.northWest + rhs.northWest, north: lhs.north + rhs.north, northEast: lhs.northEast + rhs.northEast,
            west: lhs.west + rhs.west, centre: lhs.centre + rhs.centre, east: lhs.east + rhs.east,
            southWest: lhs.southWest + rhs.southWest, south: lhs.south + rhs.south, southEast: lhs.southEast + rhs.southEast)
    }

    /// The difference, offset by offset.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func - (lhs: GridNeighbourhood, rhs: GridNeighbourhood) -> GridNeighbourhood {
        GridNeighbourhood(
            northWest: lhs.northWest - rhs.northWest, north: lhs.north - rhs.north, northEast: lhs.northEast - rhs.northEast,
            west: lhs.west - rhs.west, centre: lhs.centre - rhs.centre, east: lhs.east - rhs.east,
            southWest: lhs.southWest - rhs.southWest, south: lhs.south - rhs.south, southEast: lhs.southEast - rhs.southEast)
    }

    /// Moves every value by the matching offset of `offset`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func move(by offset: GridNeighbourhood) { self = self + offset }
}
