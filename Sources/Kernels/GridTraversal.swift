// The order every grid sweep visits its sites in, forward and backward, written once: row
// by row; a site on an edge row or column goes through `edge`, which reads ghosts; the
// interior of each row is handed to `interior` as one run, which reads without index checks.
// Parameter cotangents accumulate in this order, so it fixes the gradient's bits.

/// Visits a rows × columns grid in row-major order: `edge(r, c)` for every site on an edge
/// row or column, `interior(start, end)` for the run of interior sites start ..< end of
/// each other row (flat row-major indices).
///
/// - Complexity: O(rows·columns) calls of the bodies' work.
@inlinable @inline(__always)
func visitGrid(rows: Int, columns m: Int, edge: (_ row: Int, _ column: Int) -> Void, interior: (_ start: Int, _ end: Int) -> Void) {
    for r in 0..<rows {
        if r == 0 || r == rows - 1 || m < 3 {
            for c in 0..<m { edge(r, c) }
            continue
        }
        edge(r, 0)
        interior(r * m + 1, r * m + m - 1)
        edge(r, m - 1)
    }
}

/// Splits the run start ..< end into blocks of eight (`block(i)` covers i … i+7) and the
/// sites left over (`single(i)`), in order: the backward sweeps' straight-line blocks.
///
/// - Complexity: O(end − start) calls' work.
@inlinable @inline(__always)
func visitInBlocksOfEight(from start: Int, to end: Int, block: (Int) -> Void, single: (Int) -> Void) {
    var i = start
    while i + 8 <= end {
        block(i)
        i += 8
    }
    while i < end {
        single(i)
        i += 1
    }
}

/// `body(i)`, `body(i + 1)`, …, `body(i + 7)` written out, not looped: inside an out-of-line
/// block this keeps Swift AD's site pullback in straight-line code, where it allocates
/// nothing (see StencilKernel+Pullback.swift).
///
/// - Complexity: eight calls of `body`.
@inlinable @inline(__always)
func repeatEight(from i: Int, _ body: (Int) -> Void) {
    body(i)
    body(i &+ 1)
    body(i &+ 2)
    body(i &+ 3)
    body(i &+ 4)
    body(i &+ 5)
    body(i &+ 6)
    body(i &+ 7)
}
