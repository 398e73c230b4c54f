import CheckpointedAD
import Foundation
import OptimalControl

/// Boundary control of the 1-D heat equation: steer the temperature of a rod to a target
/// profile at time T by the temperature imposed at its left end.
///
///     ∂θ/∂t = α ∂²θ/∂x²  on (0, 1),   θ(0, t) = u(t),  ∂θ/∂x(1, t) = 0,  θ(x, 0) = 0,
///     minimise  ½‖θ(·, T) − θ_target‖² / ‖θ_target‖² + (γ/2) ∫₀ᵀ u² dt,   0 ≤ u ≤ u_max.
///
/// Space is discretised by finite volumes on `cells` cells (width Δx = 1/cells, the
/// Dirichlet value entering through a half cell), time by RK4 with `substeps` steps on each
/// of `intervals` piecewise-constant control intervals. The explicit method needs
/// αh/Δx² ≲ 0.69, so S = intervals·substeps ≥ αT/(0.69 Δx²); in S steps heat travels about
/// √(αT) = √(0.69 S)·Δx, so the controllable part of the rod is a boundary layer of that
/// width. The target is *manufactured*: the profile the same discretisation reaches under
/// u_ref(t) = ½ u_max sin²(πt/T)·(1 + t/T), so it is exactly reachable and the optimum's
/// misfit measures the optimiser, not the physics.
///
/// The trajectory of S + 1 states of cells + 1 doubles is far larger than the budgets this
/// problem is meant for: with 1000 cells and 10⁴ steps it is 80 MB, and the published run
/// uses 1 MB (``run(memory:optimizer:progress:)``).
///
/// ```swift
/// let heat = HeatEquationControl(cells: 1000, intervals: 100, substeps: 100)
/// let result = try heat.run(memory: .megabytes(1))
/// ```
public struct HeatEquationControl: Sendable {
    /// Finite-volume cells.
    public var cells: Int
    /// α.
    public var diffusivity: Double
    /// T.
    public var horizon: Double
    /// N control intervals.
    public var intervals: Int
    /// RK4 steps per interval.
    public var substeps: Int
    /// γ, the weight of ∫ u² dt.
    public var regularization: Double
    /// u_max.
    public var maximumControl: Double
    /// θ_target at the cell centres.
    public let target: [Double]

    /// A configuration; the defaults are the published run (1000 cells, 10⁴ steps,
    /// αh/Δx² = 0.5).
    public init(cells: Int = 1000, diffusivity: Double = 1, horizon: Double = 0.005, intervals: Int = 100,
                substeps: Int = 100, regularization: Double = 1e-6, maximumControl: Double = 1) {
        precondition(cells >= 2, "the rod needs at least 2 cells, got \(cells)")
        self.cells = cells
        self.diffusivity = diffusivity
        self.horizon = horizon
        self.intervals = intervals
        self.substeps = substeps
        self.regularization = regularization
        self.maximumControl = maximumControl
        let ratio = diffusivity * horizon / Double(intervals * substeps) * Double(cells * cells)
        precondition(ratio <= 0.69, "RK4 is unstable for αh/Δx² = \(ratio) > 0.69; use more substeps (at least \(Int((Double(intervals * substeps) * ratio / 0.69).rounded(.up))) steps in all)")
        let reference = Self.referenceControls(intervals: intervals, maximumControl: maximumControl)
        target = SingleShooting(problem: Self.makeProblem(cells: cells, diffusivity: diffusivity, horizon: horizon,
                                                          regularization: 0, maximumControl: maximumControl, target: nil),
                                intervals: intervals, substeps: substeps)
            .states(controls: reference).last!
    }

    /// u_ref at the control intervals' starts, the control that manufactures the target.
    public var referenceControls: [Double] {
        Self.referenceControls(intervals: intervals, maximumControl: maximumControl)
    }

    static func referenceControls(intervals: Int, maximumControl: Double) -> [Double] {
        (0..<intervals).map { k in
            let t = (Double(k) + 0.5) / Double(intervals)
            let s = sin(Double.pi * t)
            return 0.5 * maximumControl * s * s * (1 + t)
        }
    }

    /// The number of RK4 steps, S.
    public var steps: Int { intervals * substeps }

    /// Bytes of the whole trajectory of augmented states, (S + 1)(cells + 1)·8.
    public var trajectoryBytes: Int { (steps + 1) * (cells + 1) * MemoryLayout<Double>.stride }

    /// ‖θ − θ_target‖ / ‖θ_target‖ at time T for the given controls.
    public func relativeMisfit(controls: [Double]) -> Double {
        let final = shooting().states(controls: controls).last!
        let error = zip(final, target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let norm = target.reduce(0) { $0 + $1 * $1 }
        return (error / norm).squareRoot()
    }

    static func makeProblem(cells: Int, diffusivity: Double, horizon: Double, regularization: Double,
                            maximumControl: Double, target: [Double]?) -> ControlProblem {
        let n = cells
        let scale = diffusivity * Double(cells * cells)   // α/Δx²
        let dynamics = ControlDynamics(stateDimension: n, controlDimension: 1, evaluate: { _, x, u, _, dxdt in
            dxdt[0] = scale * (2 * u[0] - 3 * x[0] + x[1])
            for i in 1..<(n - 1) { dxdt[i] = scale * (x[i - 1] - 2 * x[i] + x[i + 1]) }
            dxdt[n - 1] = scale * (x[n - 2] - x[n - 1])
        }, pullback: { _, _, _, _, v, xBar, uBar in
            // The matrix is symmetric, so the pullback applies it to v.
            xBar[0] = scale * (-3 * v[0] + v[1])
            for i in 1..<(n - 1) { xBar[i] = scale * (v[i - 1] - 2 * v[i] + v[i + 1]) }
            xBar[n - 1] = scale * (v[n - 2] - v[n - 1])
            uBar[0] += 2 * scale * v[0]
        })
        let gamma = regularization
        let cost = RunningControlCost(value: { _, _, u, _ in 0.5 * gamma * u[0] * u[0] },
                                      gradient: { _, _, u, _, s, _, uBar in uBar[0] += s * gamma * u[0] })
        var terminal: TerminalCost?
        if let target {
            let weight = 1 / target.reduce(0) { $0 + $1 * $1 }
            terminal = TerminalCost(value: { x, _ in
                var sum = 0.0
                for i in 0..<n { sum += (x[i] - target[i]) * (x[i] - target[i]) }
                return 0.5 * weight * sum
            }, gradient: { x, _, xBar in
                for i in 0..<n { xBar[i] += weight * (x[i] - target[i]) }
            })
        }
        return ControlProblem(dynamics: dynamics, initialState: Array(repeating: 0, count: n), horizon: 0...horizon,
                              runningCost: cost, terminalCost: terminal,
                              controlLower: [0], controlUpper: [maximumControl])
    }

    /// The problem.
    public var problem: ControlProblem {
        Self.makeProblem(cells: cells, diffusivity: diffusivity, horizon: horizon, regularization: regularization,
                         maximumControl: maximumControl, target: target)
    }

    /// The transcription with the given gradient strategy.
    public func shooting(checkpointing: Checkpointing<Vector> = .storeAll) -> SingleShooting {
        SingleShooting(problem: problem, intervals: intervals, substeps: substeps, checkpointing: checkpointing)
    }

    /// Solves from u ≡ u_max/2 under `memory` and reports the misfit and the memory used.
    public func run(memory: MemoryBudget = .megabytes(1), optimizer: LBFGSB = LBFGSB(maximumIterations: 60),
                    progress: (ControlProgress) -> IterationDecision = { _ in .proceed }) throws -> ControlDemoResult {
        let transcription = shooting(checkpointing: .revolve(memory: memory))
        let start = transcription.defaultControls
        let (solution, seconds) = try timed { try transcription.solve(optimizer: optimizer, progress: progress) }
        let statistics = solution.gradientStatistics
        // Peak of what the run held for the adjoint: checkpoints + the driver's working
        // states + single shooting's working set.
        let peak = solution.peakCheckpointBytes + solution.bytesBesidesCheckpoints
        var budgetBytes = Double.infinity
        if case let .bytes(b) = memory { budgetBytes = Double(b) }
        return ControlDemoResult(
            name: "Heat-equation boundary control", solution: solution, intervals: intervals, steps: steps,
            stateDimension: cells, checkpointing: "\(transcription.checkpointing)", seconds: seconds,
            measurements: [
                ("relative misfit at start", relativeMisfit(controls: start)),
                ("relative misfit at solution", relativeMisfit(controls: solution.controls)),
                ("trajectory bytes", Double(trajectoryBytes)),
                ("budget bytes", budgetBytes),
                ("peak adjoint bytes", Double(peak)),
                ("checkpoint slots", Double(statistics?.capacities[.memory] ?? 0)),
                ("advances per gradient", Double(statistics?.advances ?? 0)),
                ("reverses per gradient", Double(statistics?.reverses ?? 0)),
            ])
    }
}
