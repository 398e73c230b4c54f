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
