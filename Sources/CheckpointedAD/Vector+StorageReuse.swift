// Elementwise operations that write into an operand's storage when no one else holds it.
//
// `a * b - c` allocates one buffer, not two: the temporary `a * b` reaches `-` as its last
// use, `-` finds its storage referenced once, and writes the difference into it. The same
// holds for the sums that Swift's automatic differentiation emits to accumulate cotangents
// (`+`): a cotangent that is not used again is added into in place. An operand that is still
// used elsewhere is never written: its storage is shared, so a fresh result is allocated.

extension Vector {
    /// Whether this vector's elements are referenced by this value alone, so that writing
    /// them through `scalars` would not copy. False for the zero-sized vector.
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
        if scalars.isEmpty || MemoryLayout<[Double]>.size != MemoryLayout<AnyObject>.size { return false }
        return withUnsafeMutableBytes(of: &scalars) { array in
            isKnownUniquelyReferenced(&array.baseAddress!.assumingMemoryBound(to: ArrayStorageReference.self).pointee)
        }
        #endif
    }

    /// f(aᵢ, bᵢ) for every i, written into the storage of `a` or else of `b` when that one
    /// is uniquely referenced, otherwise into a fresh vector. The counts must be equal.
    ///
    /// - Complexity: O(count); allocates only when neither operand can be reused.
    @inlinable @inline(__always)
    static func elementwiseReusing(_ a: consuming Vector, _ b: consuming Vector, _ f: (Double, Double) -> Double) -> Vector {
        precondition(a.count == b.count, "elementwise operation on vectors of different lengths: \(a.count) and \(b.count)")
        if a.hasUniqueStorage() {
            b.scalars.withUnsafeBufferPointer { pb in
                a.scalars.withUnsafeMutableBufferPointer { pa in
                    for i in 0..<pa.count { pa[i] = f(pa[i], pb[i]) }
                }
            }
            return a
        }
        if b.hasUniqueStorage() {
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeMutableBufferPointer { pb in
                    for i in 0..<pb.count { pb[i] = f(pa[i], pb[i]) }
                }
            }
            return b
        }
        return elementwise(a, b, f)
    }

    /// f(xᵢ) for every i, in the storage of `x` when it is uniquely referenced.
    ///
    /// - Complexity: O(count); allocates only when `x` cannot be reused.
    @inlinable @inline(__always)
    static func mapReusing(_ x: consuming Vector, _ f: (Double) -> Double) -> Vector {
        if x.hasUniqueStorage() {
            x.scalars.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = f(p[i]) }
            }
            return x
        }
        return x.map(f)
    }
}

/// The class type through which ``Vector/hasUniqueStorage()`` reads the reference count of
/// an array's storage object. Never instantiated.
@usableFromInline
final class ArrayStorageReference {}
