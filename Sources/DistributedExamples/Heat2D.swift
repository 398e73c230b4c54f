import CheckpointedAD
import Distributed

/// The 2-D heat equation u' = ν Δu on a periodic `rows × columns` grid, stepped with
/// explicit Euler on the five-point Laplacian, split into strips of rows:
///
///     u⁺ᵢⱼ = uᵢⱼ + a·(((u_N + u_S) + (u_W + u_E)) − 4·uᵢⱼ),   a = ν·κ,   κ = Δt/h²
///
/// with the loss L = ½ Σ u[n]² at the final time, whose gradient with respect to the initial
/// field u[0] and the diffusion coefficient ν is computed by the checkpointed driver (every
/// rank running the same schedule on its strip).
///
/// **Bitwise identical for any number of ranks.** Every value a rank computes is computed
/// by the same operations in the same order whatever the partition:
/// - the step reads its neighbours' rows from the halo, and each cell's update is one fixed
///   expression;
/// - the pullback scatters a·ȳ of each cell to its four neighbours, keeping the
///   contributions from the row above and from the row below in two separate arrays (the
///   halo parts of which go back to their owners by the reverse exchange), and adds them
///   per cell in a fixed order: x̄ = (ȳ − 4t) + ((t_N + t_S) + (t_W + t_E)), t = a·ȳ;
/// - the ν-gradient of a step is kept per row (a row's sum in column order), the driver
///   adds steps row by row, and rows are summed in global order on rank 0
///   (``FixedOrderSum``); the loss likewise.
public struct Heat2D: Hashable, Sendable {
    /// Rows of the grid.
    public var rows: Int
    /// Columns of the grid.
    public var columns: Int
    /// Explicit steps, n.
    public var steps: Int
    /// The diffusion coefficient ν (the parameter).
    public var diffusion: Double
    /// κ = Δt/h²; the scheme is stable for a = ν·κ ≤ 1/4.
    public var courant: Double

    /// A problem; see the type's documentation.
    public init(rows: Int, columns: Int, steps: Int, diffusion: Double = 1.0, courant: Double = 0.2) {
        self.rows = rows
        self.columns = columns
        self.steps = steps
        self.diffusion = diffusion
        self.courant = courant
    }

    /// Why this problem cannot run, or nil: an empty grid, a negative step count, or an
    /// unstable a = ν·κ.
    public var problem: String? {
        if rows < 1 || columns < 1 { return "the grid must have at least one row and one column, got \(rows) × \(columns)" }
        if steps < 0 { return "the step count cannot be negative, got \(steps)" }
        if !(diffusion * courant > 0 && diffusion * courant <= 0.25) {
            return "ν·κ = \(diffusion * courant) is outside (0, 1/4], where explicit Euler is stable: lower ν or κ"
        }
        return nil
    }

    /// u[0] at global cell (i, j): a smooth mode plus a deterministic pseudo-random bump,
    /// a function of the global indices alone (so any partition gives the same field).
    public func initialValue(row i: Int, column j: Int) -> Double {
        let x = Double(j) / Double(columns), y = Double(i) / Double(rows)
        let smooth = 1 + 0.5 * portableSine(2 * .pi * y) * portableSine(4 * .pi * x + 1)
        return smooth + 0.25 * unitNoise(UInt64(i * columns + j))
    }

    /// u[0] on the rows `firstRow ..< firstRow + count`, row-major.
    public func initialStrip(firstRow: Int, rows count: Int) -> Vector {
        initialBlock(firstRow: firstRow, rows: count, firstColumn: 0, columns: columns)
    }

    /// u[0] on a block of rows and columns, row-major.
    public func initialBlock(firstRow: Int, rows count: Int, firstColumn: Int, columns width: Int) -> Vector {
        Vector((firstRow..<firstRow + count).flatMap { i in (firstColumn..<firstColumn + width).map { j in initialValue(row: i, column: j) } })
    }

    /// The step x[i+1] = F(x[i], ν) on one strip, reading its neighbours through `halo`;
    /// its pullback returns x̄[i] and ν̄ per row of the strip.
    public func step(halo: some HaloExchanging) -> CheckpointedStep<Vector, Double, Vector, Vector> {
        let kappa = courant, columns = columns
        return CheckpointedStep(
            forward: { u, nu, _ in
                let rows = halo.exchange(u, sides: .both)
                return Self.advance(u, above: rows.above, below: rows.below, a: nu * kappa, columns: columns)
            },
            valueWithPullback: { u, nu, _ in
                let rows = halo.exchange(u, sides: .both)
                let a = nu * kappa
                let value = Self.advance(u, above: rows.above, below: rows.below, a: a, columns: columns)
                return (value, { ybar in
                    Self.pullback(ybar, at: u, above: rows.above, below: rows.below, a: a, kappa: kappa, columns: columns, halo: halo)
                })
            })
    }

    /// The loss at the final time, ½ Σ u², on one strip (its value is this strip's share;
    /// the whole loss is ``rowLosses(_:columns:)`` summed in global row order).
    public static var loss: CheckpointedLoss<Vector, Double, Vector, Vector> {
        CheckpointedLoss(
            at: .final,
            value: { u, _, _ in 0.5 * FixedOrderSum.sum(u.scalars.lazy.map { $0 * $0 }) },
            valueWithGradient: { u, _, _ in (0.5 * FixedOrderSum.sum(u.scalars.lazy.map { $0 * $0 }), u, .zero) })
    }

    /// ½ Σ u² of each row of a strip, in column order.
    public static func rowLosses(_ u: Vector, columns: Int) -> [Double] {
        let values = u.scalars   // once: a rotated vector's elements are put in order per read
        return stride(from: 0, to: values.count, by: columns).map { start in
            0.5 * FixedOrderSum.sum(values[start..<start + columns].lazy.map { $0 * $0 })
        }
    }
}

/// A value in [−1, 1) from a 64-bit key (SplitMix64's finaliser).
func unitNoise(_ key: UInt64) -> Double {
    var z = key &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 52) - 1
}

/// sin(x) from a fixed polynomial evaluation after range reduction, so that the initial
/// field's bits do not depend on the platform's libm.
func portableSine(_ x: Double) -> Double {
    let twoPi = 2 * Double.pi
    var r = x - twoPi * (x / twoPi).rounded(.down)   // [0, 2π)
    var sign = 1.0
    if r > .pi { r -= .pi; sign = -1 }
    if r > .pi / 2 { r = .pi - r }
    let r2 = r * r
    let series = r * (1 - r2 / 6 * (1 - r2 / 20 * (1 - r2 / 42 * (1 - r2 / 72 * (1 - r2 / 110)))))
    return sign * series
}
