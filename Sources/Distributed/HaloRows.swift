/// The halo of one strip: copies of `width` rows owned by the neighbours, the rows just
/// above the strip's first and just below its last (periodically), each row-major; a side
/// not exchanged is empty. In a pullback, the same shape carries the halo's cotangents.
public struct HaloRows: Hashable, Sendable {
    /// The `width` rows above the strip, top row first (width × columns values), or empty.
    public var above: [Double]
    /// The `width` rows below the strip, top row first (width × columns values), or empty.
    public var below: [Double]

    /// A halo with the given rows.
    public init(above: [Double] = [], below: [Double] = []) {
        self.above = above
        self.below = below
    }
}
