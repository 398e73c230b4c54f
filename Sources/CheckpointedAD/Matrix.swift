import _Differentiation

/// A differentiable dense matrix of `Double`s, row-major: element (i, j) is
/// `scalars[i * columns + j]`.
///
/// ```swift
/// let W = Matrix(rows: 2, columns: 3, scalars: [1, 2, 3, 4, 5, 6])
/// let y = matmul(W, Vector([1, 0, -1]))   // [-2.0, -2.0]
/// ```
///
/// `Matrix` is its own tangent type; like ``Vector`` its additive ``zero`` has no elements
/// (0 × 0) and acts as the zero of every shape, so pullbacks accept it.
@frozen
public struct Matrix: Differentiable, AdditiveArithmetic, Hashable, Sendable {
    /// The tangent (and cotangent) of a matrix is a matrix.
    public typealias TangentVector = Matrix

    /// The number of rows.
    @noDerivative public var rows: Int
    /// The number of columns.
    @noDerivative public var columns: Int
    /// The elements, row after row.
    @noDerivative public var scalars: [Double]

    /// A `rows × columns` matrix holding `scalars` row after row.
    @inlinable
    public init(rows: Int, columns: Int, scalars: [Double]) {
        precondition(rows >= 0 && columns >= 0 && scalars.count == rows * columns,
                     "a \(rows) × \(columns) matrix needs \(rows * columns) elements, got \(scalars.count)")
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// A `rows × columns` matrix of `value`s.
    @inlinable
    public init(rows: Int, columns: Int, repeating value: Double) {
        self.init(rows: rows, columns: columns, scalars: Array(repeating: value, count: rows * columns))
    }

    /// A `rows × columns` matrix written by `initializer`, which must set every element.
    @inlinable
    public init(rows: Int, columns: Int, unsafeUninitializedWith initializer: (UnsafeMutableBufferPointer<Double>) -> Void) {
        self.rows = rows
        self.columns = columns
        self.scalars = Array(unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            initializer(buffer)
            initialized = rows * columns
        }
    }

    /// The 0 × 0 matrix, the additive zero of every shape.
    @inlinable
    public static var zero: Matrix { Matrix(rows: 0, columns: 0, scalars: []) }

    /// Element (row, column).
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// The transpose.
    ///
    /// - Complexity: O(rows·columns).
    @inlinable
    public var transposed: Matrix {
        scalars.withUnsafeBufferPointer { a in
            Matrix(rows: columns, columns: rows) { out in
                for i in 0..<rows {
                    for j in 0..<columns { out[j * rows + i] = a[i * columns + j] }
                }
            }
        }
    }

    /// Elementwise sum; a 0 × 0 operand is zero.
    @inlinable
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        if lhs.scalars.isEmpty { return rhs }
        if rhs.scalars.isEmpty { return lhs }
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns,
                     "adding a \(lhs.rows) × \(lhs.columns) and a \(rhs.rows) × \(rhs.columns) matrix")
        let sum = Vector.elementwise(Vector(lhs.scalars), Vector(rhs.scalars), +)
        return Matrix(rows: lhs.rows, columns: lhs.columns, scalars: sum.scalars)
    }

    /// Elementwise difference; a 0 × 0 operand is zero.
    @inlinable
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        if rhs.scalars.isEmpty { return lhs }
        let negated = Matrix(rows: rhs.rows, columns: rhs.columns, scalars: rhs.scalars.map { -$0 })
        return lhs + negated
    }

    /// Moves `self` by `offset`: `self = self + offset`.
    @inlinable
    public mutating func move(by offset: Matrix) { self = self + offset }
}
