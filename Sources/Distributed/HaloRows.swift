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

/// Which halo sides an exchange fills: the rows above the strip, those below, or both.
public struct HaloSides: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public let rawValue: Int
    /// A set from its raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The rows above the strip (owned by the rank above).
    public static let above = HaloSides(rawValue: 1)
    /// The rows below the strip (owned by the rank below).
    public static let below = HaloSides(rawValue: 2)
    /// Both sides.
    public static let both: HaloSides = [.above, .below]
}
