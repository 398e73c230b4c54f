import _Differentiation
import CheckpointedAD
import Foundation
import Kernels

/// The Gray–Scott reaction–diffusion system on a periodic 2-D grid (Pearson 1993,
/// doi:10.1126/science.261.5118.189), in grid units:
///
///     u′ = D_u Δu − u v² + F (1 − u),     v′ = D_v Δv + u v² − (F + k) v,
///
/// with D_u = 0.2, D_v = 0.1, k = 0.062 and the feed rate F the parameter, Δ the five-point
/// Laplacian. The kernel path's 2-D, two-field example: its gradient with respect to the
/// initial fields and F comes from the per-site function below, swept by a
/// ``CoupledGridKernel``.
///
/// ```swift
/// let g = try valueWithCheckpointedGradient(
///     at: GrayScott.initialState(side: 512), parameters: GrayScott.feed, steps: 2000,
///     checkpointing: .revolve(memory: .megabytes(64)), step: GrayScott.rungeKutta4(side: 512),
///     losses: [GrayScott.loss])
/// ```
public enum GrayScott {
    /// One cell's rates from the two fields' nine-point neighbourhoods.
    public struct Site: CoupledGridSiteFunction, Sendable {
        /// D_u, D_v and the kill rate k: type constants, which a sweep from another module
        /// reads as fast as literals (as instance properties, `kernel-report fields` measured
        /// the forward sweep 2× slower from there).
        public static let diffusionU = 0.2, diffusionV = 0.1, kill = 0.062

        /// The site with Pearson's coefficients in grid units.
        ///
        /// - Complexity: O(1).
        public init() {}

        /// (u′, v′) at one cell.
        ///
        /// - Complexity: O(1).
        @differentiable(reverse)
        public func callAsFunction(_ u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double) -> SitePair {
            let reaction = u.centre * v.centre * v.centre
            let laplacianU = u.north + u.south + u.west + u.east - 4 * u.centre
            let laplacianV = v.north + v.south + v.west + v.east - 4 * v.centre
            return SitePair(u: Self.diffusionU * laplacianU - reaction + feed * (1 - u.centre),
                            v: Self.diffusionV * laplacianV + reaction - (feed + Self.kill) * v.centre)
        }

        /// The pullback of ``callAsFunction(_:_:_:)``, from Swift AD.
        ///
        /// - Complexity: O(1).
        public func pullback(at u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double, seed: SitePair)
            -> (GridNeighbourhood, GridNeighbourhood, Double)
        {
            valueWithPullback(at: u, v, feed) { u, v, feed in self(u, v, feed) }.pullback(seed)
        }
    }

    /// F = 0.035, in the spot-forming range.
    public static let feed = 0.035

    /// The RK4 step, stable for these diffusion coefficients.
    public static let dt = 0.5

    /// The kernel on a periodic side × side grid.
    ///
    /// Its sweeps are specialised where they are called; from another module they call the
    /// site function once per site instead of inlining it (`kernel-report fields`: about 2.7×
    /// the gradient time). ``rungeKutta4(side:dt:)`` is specialised here, beside the site.
    ///
    /// - Complexity: O(1).
    public static func kernel(side: Int) -> CoupledGridKernel<Site> {
        CoupledGridKernel(Site(), rows: side, columns: side, boundaries: (u: .periodic, v: .periodic))
    }

    /// The kernel's RK4 step on a side × side grid as the checkpointed driver runs it, its
    /// sweeps specialised in this module, beside the site function.
    ///
    /// ```swift
    /// let step = GrayScott.rungeKutta4(side: 256)
    /// ```
    ///
    /// - Complexity: an advance costs 4 site evaluations per cell, a reverse 3 evaluations
    ///   and 4 site pullbacks per cell.
    public static func rungeKutta4(side: Int, dt: Double = dt) -> CheckpointedStep<Vector, Double, Vector, Double> {
        kernel(side: side).rungeKutta4(dt: dt)
    }

    /// u = 1, v = 0, except a centred square a quarter of the side wide where u = 1/2 and
    /// v = 1/4, with a small deterministic ripple to break the symmetry; interleaved.
    ///
    /// - Complexity: O(side²).
    public static func initialState(side: Int) -> Vector {
        let low = side * 3 / 8, high = side * 5 / 8
        var state = [Double](repeating: 0, count: 2 * side * side)
        for r in 0..<side {
            for c in 0..<side {
                let j = r * side + c, ripple = 0.01 * sin(Double(3 * r + 7 * c))
                let inside = (low..<high).contains(r) && (low..<high).contains(c)
                state[2 * j] = (inside ? 0.5 : 1) + ripple
                state[2 * j + 1] = (inside ? 0.25 : 0) + ripple * ripple
            }
        }
        return Vector(state)
    }

    /// L = ½ Σ v² over the cells at the final state: how much of the second species is left.
    ///
    /// - Complexity: O(count) per evaluation.
    public static var loss: CheckpointedLoss<Vector, Double, Vector, Double> {
        CheckpointedLoss(at: .final, value: { x, _, _ in secondSpecies(x).value },
                         valueWithGradient: { x, _, _ in let (value, gradient) = secondSpecies(x); return (value, gradient, 0) })
    }

    /// ½ Σ v² and its gradient (0 at every u, v at every v).
    static func secondSpecies(_ x: Vector) -> (value: Double, gradient: Vector) {
        var sum = 0.0
        let gradient = x.scalars.withUnsafeBufferPointer { state in
            Vector(unsafeUninitializedCount: state.count) { g in
                for j in stride(from: 0, to: state.count, by: 2) {
                    g[j] = 0
                    g[j + 1] = state[j + 1]
                    sum += state[j + 1] * state[j + 1]
                }
            }
        }
        return (0.5 * sum, gradient)
    }
}
