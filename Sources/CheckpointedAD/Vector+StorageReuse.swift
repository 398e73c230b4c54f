// Elementwise operations that write into an operand's storage when no one else holds it.
//
// `a * b - c` allocates one buffer, not two: the temporary `a * b` reaches `-` as its last
// use, `-` finds its storage referenced once, and writes the difference into it. The same
// holds for the sums that Swift's automatic differentiation emits to accumulate cotangents
// (`+`): a cotangent that is not used again is added into in place. An operand that is still
// used elsewhere is never written: its storage is shared, so a fresh result is allocated.

extension Vector {
    /// Whether this vector's elements are referenced by this value alone, so that writing
    /// them through `scalars` would not copy. False for the zero-sized vector, and false for
    /// every vector sharing storage with a rotated view of it (``rolled(by:)``): the view
    /// holds a reference to the same storage.
    ///
    /// On platforms without Objective-C an `Array` is one strong reference to its storage
    /// object, whose reference count is checked here without a copy (through a stand-in
    /// class type: the check reads only the object header; checked through `AnyObject`, Swift 6
    /// debug builds copy the reference first and never see it unique). Elsewhere this is
    /// always false and operations allocate their results.
    @inlinable @inline(__always)
    mutating func hasUniqueStorage() -> Bool {
        #if _runtime(_ObjC)
        return false
        #else
        if storage.isEmpty || MemoryLayout<[Double]>.size != MemoryLayout<AnyObject>.size { return false }
        return withUnsafeMutableBytes(of: &storage) { array in
            isKnownUniquelyReferenced(&array.baseAddress!.assumingMemoryBound(to: ArrayStorageReference.self).pointee)
        }
        #endif
    }

    /// f(aᵢ, bᵢ) for every logical index i, written into the storage of `a` or else of `b`
    /// when that one is uniquely referenced (the result keeps that operand's offset and has
    /// nothing pending), otherwise into a fresh vector. The counts must be equal.
    ///
    /// - Complexity: O(count); allocates only when neither operand can be reused.
    @inlinable @inline(__always)
    static func elementwiseReusing<F: ElementwiseOperation>(_ a: consuming Vector, _ b: consuming Vector, _ f: F) -> Vector {
        precondition(a.count == b.count, "elementwise operation on vectors of different lengths: \(a.count) and \(b.count)")
        // A pending sum reads two places of its storage, so it is not written in place.
        if !a.hasPendingSum && a.hasUniqueStorage() {
            a.updateElements(with: b, f)
            return a
        }
        if !b.hasPendingSum && b.hasUniqueStorage() {
            b.updateElements(with: a, Swapped(f))
            return b
        }
        return elementwise(a, b, f)
    }
}

/// The class type through which ``Vector/hasUniqueStorage()`` reads the reference count of
/// an array's storage object. Never instantiated.
@usableFromInline
final class ArrayStorageReference {}
