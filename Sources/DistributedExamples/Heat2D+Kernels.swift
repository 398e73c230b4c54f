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
        let t = ybar.scalars.map { a * $0 }
        // t_N at each owned cell: the row above's t, shifted down; the first row's comes
        // from the rank above, whose last row of t is its lower halo's cotangent.
        var fromAbove = Vector(repeating: 0, count: u.count)
        var fromBelow = Vector(repeating: 0, count: u.count)
        fromAbove.scalars.withUnsafeMutableBufferPointer { fa in
            fromBelow.scalars.withUnsafeMutableBufferPointer { fb in
                for r in 0..<rows {
                    for c in 0..<columns {
                        if r + 1 < rows { fa[(r + 1) * columns + c] += t[r * columns + c] }
                        if r > 0 { fb[(r - 1) * columns + c] += t[r * columns + c] }
                    }
                }
            }
        }
        halo.pullback(HaloRows(below: Array(t[(rows - 1) * columns ..< rows * columns])), into: &fromAbove)
        halo.pullback(HaloRows(above: Array(t[0..<columns])), into: &fromBelow)
        var nuBar = [Double](repeating: 0, count: rows)
        let xbar = u.scalars.withUnsafeBufferPointer { x in
            above.withUnsafeBufferPointer { up in
                below.withUnsafeBufferPointer { down in
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
                                rowSum += ybar.scalars[k] * (kappa * laplacian)
                                let sides = (fromAbove.scalars[k] + fromBelow.scalars[k]) + (t[row + west] + t[row + east])
                                out[k] = (ybar.scalars[k] - 4 * t[k]) + sides
                            }
                            nuBar[r] = rowSum
                        }
                    }
                }
            }
        }
        return (xbar, Vector(nuBar))
    }
}
