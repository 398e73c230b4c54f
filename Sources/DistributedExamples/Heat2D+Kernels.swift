import CheckpointedAD
import Distributed

extension Heat2D {
    /// One explicit Euler step of a strip whose halo rows are `above` and `below`.
    ///
    /// - Complexity: O(cells), one pass.
    static func advance(_ u: Vector, above: [Double], below: [Double], a: Double, columns: Int) -> Vector {
        let rows = u.count / columns
        return u.scalars.withUnsafeBufferPointer { x in
            above.withUnsafeBufferPointer { up in
                below.withUnsafeBufferPointer { down in
                    Vector(unsafeUninitializedCount: u.count) { y in
                        for r in 0..<rows {
                            let north = r == 0 ? up.baseAddress! : x.baseAddress! + (r - 1) * columns
                            let south = r == rows - 1 ? down.baseAddress! : x.baseAddress! + (r + 1) * columns
                            let row = r * columns
                            for c in 0..<columns {
                                let west = c == 0 ? columns - 1 : c - 1, east = c == columns - 1 ? 0 : c + 1
                                let centre = x[row + c]
                                let laplacian = ((north[c] + south[c]) + (x[row + west] + x[row + east])) - 4 * centre
                                y[row + c] = centre + a * laplacian
                            }
                        }
                    }
                }
            }
        }
    }

    /// The pullback of ``advance(_:above:below:a:columns:)`` at u: x̄ and, per row, ν̄.
    ///
    /// With t = a·ȳ, each cell k gives t_k to each of its four neighbours and ȳ_k − 4t_k to
    /// itself. The gifts from the row above (t_N) and from the row below (t_S) are kept in
    /// two arrays; those that land in the halo go back to their owners by the reverse halo
    /// exchange, which adds them to the owners' arrays (where the local sweep left zeros).
    /// Every cell then adds its five contributions in one fixed order:
    /// x̄ = (ȳ − 4t) + ((t_N + t_S) + (t_W + t_E)), whatever the partition.
    static func pullback(
        _ seed: Vector, at u: Vector, above: [Double], below: [Double], a: Double, kappa: Double, columns: Int,
        halo: some HaloExchanging
    ) -> (Vector, Vector) {
        let rows = u.count / columns
        // A zero-sized seed is zero; every rank still takes part in the reverse exchange.
        let ybar = seed.count == 0 ? Vector(repeating: 0, count: u.count) : seed
        let t = Vector(ybar.scalars.map { a * $0 })
        // t_N at each owned cell: the row above's t, shifted down; the first row's comes
        // from the rank above, whose last row of t is its lower halo's cotangent. t_S the same
        // way up. The local parts are plain copies (0 + t, as the scatter would write them).
        var fromAbove = Vector(repeating: 0, count: u.count)
        var fromBelow = Vector(repeating: 0, count: u.count)
        t.scalars.withUnsafeBufferPointer { tp in
            fromAbove.scalars.withUnsafeMutableBufferPointer { fa in
                fromBelow.scalars.withUnsafeMutableBufferPointer { fb in
                    for k in 0 ..< (rows - 1) * columns {
                        fa[k + columns] += tp[k]
                        fb[k] += tp[k + columns]
                    }
                }
            }
        }
        halo.pullback(HaloRows(below: Array(t.scalars[(rows - 1) * columns ..< rows * columns])), into: &fromAbove)
        halo.pullback(HaloRows(above: Array(t.scalars[0..<columns])), into: &fromBelow)
        var nuBar = [Double](repeating: 0, count: rows)
        let xbar = u.scalars.withUnsafeBufferPointer { x in
            above.withUnsafeBufferPointer { up in
                below.withUnsafeBufferPointer { down in
                    ybar.scalars.withUnsafeBufferPointer { yb in
                        t.scalars.withUnsafeBufferPointer { tp in
                            fromAbove.scalars.withUnsafeBufferPointer { fa in
                                fromBelow.scalars.withUnsafeBufferPointer { fb in
                                    Vector(unsafeUninitializedCount: u.count) { out in
                                        for r in 0..<rows {
                                            let north = r == 0 ? up.baseAddress! : x.baseAddress! + (r - 1) * columns
                                            let south = r == rows - 1 ? down.baseAddress! : x.baseAddress! + (r + 1) * columns
                                            let row = r * columns
                                            var rowSum = 0.0
                                            for c in 0..<columns {
                                                let west = c == 0 ? columns - 1 : c - 1, east = c == columns - 1 ? 0 : c + 1
                                                let k = row + c
                                                let laplacian = ((north[c] + south[c]) + (x[row + west] + x[row + east])) - 4 * x[k]
                                                rowSum += yb[k] * (kappa * laplacian)
                                                let sides = (fa[k] + fb[k]) + (tp[row + west] + tp[row + east])
                                                out[k] = (yb[k] - 4 * tp[k]) + sides
                                            }
                                            nuBar[r] = rowSum
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (xbar, Vector(nuBar))
    }
}
