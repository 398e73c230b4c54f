/// Which halo sides an exchange fills: the rows above the strip or block, those below, and
/// for blocks the columns to the left and right.
public struct HaloSides: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public let rawValue: Int
    /// A set from its raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The rows above the strip (owned by the rank above).
    public static let above = HaloSides(rawValue: 1)
    /// The rows below the strip (owned by the rank below).
    public static let below = HaloSides(rawValue: 2)
    /// The columns left of a block (owned by the rank to the left).
    public static let left = HaloSides(rawValue: 4)
    /// The columns right of a block (owned by the rank to the right).
    public static let right = HaloSides(rawValue: 8)
    /// Above and below: a strip's halo.
    public static let both: HaloSides = [.above, .below]
    /// All four sides: a block's halo.
    public static let all: HaloSides = [.above, .below, .left, .right]
}
