/// The seed s_i = α·y_i + β·z_i a kernel's backward sweep hands the site pullback at site i:
/// a cotangent scaled (`α·y`), or a Runge–Kutta stage's k̄ = α·ȳ + β·z̄ formed as the sweep
/// reads it, so that forming it costs no pass of its own.
///
/// ```swift
/// let seed = PullbackSeed(dt / 3, ybar, plus: dt / 2, zbar)     // k̄ = dt/3·ȳ + dt/2·z̄
/// ```
///
/// A plain value rather than a closure, so that the specialised sweep reads it inline.
///
/// - Complexity: O(1) per site.
@frozen
public struct PullbackSeed {
    /// α.
    public let alpha: Double
    /// y, read at every site.
    public let y: UnsafePointer<Double>
    /// β.
    public let beta: Double
    /// z, or nil for s = α·y.
    public let z: UnsafePointer<Double>?

    /// s = α·y + β·z (s = α·y when `z` is nil).
    ///
    /// ```swift
    /// let seed = PullbackSeed(1, ybar)          // s = ȳ
    /// ```
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(_ alpha: Double, _ y: UnsafePointer<Double>, plus beta: Double = 0, _ z: UnsafePointer<Double>? = nil) {
        (self.alpha, self.y, self.beta, self.z) = (alpha, y, beta, z)
    }

    /// s_i.
    ///
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public subscript(i: Int) -> Double {
        if let z { return alpha * y[i] + beta * z[i] }
        return alpha * y[i]
    }
}
