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

/// The halo of one block: the rows above and below it (width × the block's columns each,
/// row-major) and the columns left and right of it (the block's rows × width each, row by
/// row); a side not exchanged is empty. In a pullback, it carries the halo's cotangents.
/// The corners are not exchanged (a five-point stencil does not read them).
public struct BlockHalo: Hashable, Sendable {
    /// The rows above the block.
    public var above: [Double]
    /// The rows below the block.
    public var below: [Double]
    /// The columns left of the block, row by row.
    public var left: [Double]
    /// The columns right of the block, row by row.
    public var right: [Double]

    /// A halo with the given sides.
    public init(above: [Double] = [], below: [Double] = [], left: [Double] = [], right: [Double] = []) {
        self.above = above
        self.below = below
        self.left = left
        self.right = right
    }
}
