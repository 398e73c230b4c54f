import CheckpointedAD
import Distributed

extension Heat2D {
    /// The step x[i+1] = F(x[i], ν) on one block, reading its four neighbours through
    /// `halo`; its pullback returns x̄[i] and ν̄ per cell of the block (a block holds part
    /// of a row, so row sums would depend on the partition; cells do not).
    public func blockStep(halo: some BlockHaloExchanging) -> CheckpointedStep<Vector, Double, Vector, Vector> {
        let kappa = courant
        return CheckpointedStep(
            forward: { u, nu, _ in
                Self.advanceBlock(u, halo: halo.exchange(u, sides: .all), a: nu * kappa, columns: halo.ownedColumns)
            },
            valueWithPullback: { u, nu, _ in
                let edges = halo.exchange(u, sides: .all)
                let a = nu * kappa
                let value = Self.advanceBlock(u, halo: edges, a: a, columns: halo.ownedColumns)
                return (value, { ybar in Self.pullbackBlock(ybar, at: u, halo: edges, a: a, kappa: kappa, exchange: halo) })
            })
    }

    /// The four neighbours of cell (r, c) of a block with `rows × columns` cells: from the
    /// block itself or from its halo.
    @inline(__always)
    static func neighbours(
        _ x: UnsafeBufferPointer<Double>, _ halo: BlockHalo, r: Int, c: Int, rows: Int, columns: Int
    ) -> (north: Double, south: Double, west: Double, east: Double) {
        let k = r * columns + c
        return (
            r == 0 ? halo.above[c] : x[k - columns],
            r == rows - 1 ? halo.below[c] : x[k + columns],
            c == 0 ? halo.left[r] : x[k - 1],
            c == columns - 1 ? halo.right[r] : x[k + 1])
    }

    /// One explicit Euler step of a block with its halo: the same expression per cell as
    /// ``advance(_:above:below:a:columns:)``.
    static func advanceBlock(_ u: Vector, halo: BlockHalo, a: Double, columns: Int) -> Vector {
        let rows = u.count / columns
        return u.scalars.withUnsafeBufferPointer { x in
            Vector(unsafeUninitializedCount: u.count) { y in
                for r in 0..<rows {
                    for c in 0..<columns {
                        let (north, south, west, east) = neighbours(x, halo, r: r, c: c, rows: rows, columns: columns)
                        let centre = x[r * columns + c]
                        y[r * columns + c] = centre + a * (((north + south) + (west + east)) - 4 * centre)
                    }
                }
            }
        }
    }

    /// The pullback of ``advanceBlock(_:halo:a:columns:)``: the strips' scheme with four
    /// gift arrays (from the cell above, below, left and right), each completed by a
    /// one-sided reverse exchange, and x̄ = (ȳ − 4t) + ((t_N + t_S) + (t_W + t_E)) per cell;
    /// ν̄ per cell, ȳ·(κ·Δu).
    static func pullbackBlock(
        _ seed: Vector, at u: Vector, halo: BlockHalo, a: Double, kappa: Double, exchange: some BlockHaloExchanging
    ) -> (Vector, Vector) {
        let columns = exchange.ownedColumns, rows = u.count / columns
        let ybar = seed.count == 0 ? Vector(repeating: 0, count: u.count) : seed
        let t = Vector(ybar.scalars.map { a * $0 })
        var fromAbove = Vector(repeating: 0, count: u.count), fromBelow = fromAbove
        var fromLeft = fromAbove, fromRight = fromAbove
        t.scalars.withUnsafeBufferPointer { tp in
            fromAbove.scalars.withUnsafeMutableBufferPointer { fa in
                fromBelow.scalars.withUnsafeMutableBufferPointer { fb in
                    fromLeft.scalars.withUnsafeMutableBufferPointer { fl in
                        fromRight.scalars.withUnsafeMutableBufferPointer { fr in
                            for r in 0..<rows {
                                for c in 0..<columns {
                                    let k = r * columns + c
                                    if r + 1 < rows { fa[k + columns] += tp[k] }
                                    if r > 0 { fb[k - columns] += tp[k] }
                                    if c + 1 < columns { fl[k + 1] += tp[k] }
                                    if c > 0 { fr[k - 1] += tp[k] }
                                }
                            }
                        }
                    }
                }
            }
        }
        exchange.pullback(BlockHalo(below: Array(t.scalars[(rows - 1) * columns ..< rows * columns])), into: &fromAbove)
        exchange.pullback(BlockHalo(above: Array(t.scalars[0..<columns])), into: &fromBelow)
        exchange.pullback(BlockHalo(right: packColumns(t, columns: columns, first: columns - 1)), into: &fromLeft)
        exchange.pullback(BlockHalo(left: packColumns(t, columns: columns, first: 0)), into: &fromRight)
        var nuBar = Vector(repeating: 0, count: u.count)
        var xbar = Vector(repeating: 0, count: u.count)
        u.scalars.withUnsafeBufferPointer { x in
            ybar.scalars.withUnsafeBufferPointer { yb in
                t.scalars.withUnsafeBufferPointer { tp in
                    fromAbove.scalars.withUnsafeBufferPointer { fa in
                        fromBelow.scalars.withUnsafeBufferPointer { fb in
                            fromLeft.scalars.withUnsafeBufferPointer { fl in
                                fromRight.scalars.withUnsafeBufferPointer { fr in
                                    nuBar.scalars.withUnsafeMutableBufferPointer { nb in
                                        xbar.scalars.withUnsafeMutableBufferPointer { out in
                                            for r in 0..<rows {
                                                for c in 0..<columns {
                                                    let k = r * columns + c
                                                    let (north, south, west, east) = neighbours(x, halo, r: r, c: c, rows: rows, columns: columns)
                                                    let laplacian = ((north + south) + (west + east)) - 4 * x[k]
                                                    nb[k] = yb[k] * (kappa * laplacian)
                                                    let sides = (fa[k] + fb[k]) + (fl[k] + fr[k])
                                                    out[k] = (yb[k] - 4 * tp[k]) + sides
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (xbar, nuBar)
    }

    /// Column `first` of every row of a row-major block.
    static func packColumns(_ values: Vector, columns: Int, first: Int) -> [Double] {
        let elements = values.scalars  // once: a rotated view copies on every read
        return stride(from: first, to: values.count, by: columns).map { elements[$0] }
    }
}
