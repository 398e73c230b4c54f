// Binary elementwise operations as types. The loops of `Vector`'s operations are generic over
// their operands' run types (stored, scaled, a deferred sum), and the ones that read deferred
// sums are deliberately not inlined (Vector+DeferredSumLoops.swift). Handed a closure, a loop
// is specialised for it only where the optimiser inlines the loop into the closure's caller
// (when it did not, the Lorenz-96 step called `+` once per element, 5× slower); handed a type,
// every loop is specialised for it by generic specialisation, whatever is inlined.

/// f(x, y) for one pair of elements: what `Vector`'s elementwise loops apply.
@usableFromInline
protocol ElementwiseOperation {
    /// The result for the elements `x` of the first operand and `y` of the second.
    func callAsFunction(_ x: Double, _ y: Double) -> Double
}

/// x + y.
@frozen @usableFromInline
struct Adding: ElementwiseOperation {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { x + y }
}

/// x − y.
@frozen @usableFromInline
struct Subtracting: ElementwiseOperation {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { x - y }
}

/// x · y.
@frozen @usableFromInline
struct Multiplying: ElementwiseOperation {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { x * y }
}

/// x / y.
@frozen @usableFromInline
struct Dividing: ElementwiseOperation {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { x / y }
}

/// x (a reduction's term for a sum of one operand's elements).
@frozen @usableFromInline
struct FirstOperand: ElementwiseOperation {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { x }
}

/// a·x + y (BLAS's axpy, element by element).
@frozen @usableFromInline
struct MultiplyingAndAdding: ElementwiseOperation {
    /// The factor of x.
    @usableFromInline let a: Double
    @inlinable init(_ a: Double) { self.a = a }
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { a * x + y }
}

/// Another operation with its operands swapped: op(y, x).
@frozen @usableFromInline
struct Swapped<Operation: ElementwiseOperation>: ElementwiseOperation {
    /// The operation applied.
    @usableFromInline let operation: Operation
    @inlinable init(_ operation: Operation) { self.operation = operation }
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { operation(y, x) }
}

/// A closure as an operation, for the public closure-taking entry points (their loops call the
/// closure unless the optimiser inlines them into the caller).
@frozen @usableFromInline
struct ClosureOperation: ElementwiseOperation {
    /// The closure applied.
    @usableFromInline let body: (Double, Double) -> Double
    @inlinable init(_ body: @escaping (Double, Double) -> Double) { self.body = body }
    @inlinable @inline(__always) func callAsFunction(_ x: Double, _ y: Double) -> Double { body(x, y) }
}
