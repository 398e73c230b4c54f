import OptimalControl

/// The library problems by name, in their published configurations: what the CLI's `demo`
/// command lists and runs.
///
/// ```swift
/// for demo in ControlDemo.allCases { print(demo.rawValue, "—", demo.summary) }
/// let result = try ControlDemo(rawValue: "van-der-pol")!.run()
/// print(result.summary)
/// ```
public enum ControlDemo: String, CaseIterable, Sendable {
    /// Van der Pol, N = 20 piecewise-constant controls, 4 RK4 substeps, store-all gradient.
    case vanDerPol = "van-der-pol"
    /// Van der Pol, N = 2000 controls (8000 RK4 steps), checkpointed within 64 kB.
    case vanDerPolLong = "van-der-pol-2000"
    /// Walther & Narayanan's problem, N = 64 piecewise-linear controls, with its errors
    /// against the analytic optimum.
    case waltherNarayanan = "walther-narayanan"
    /// Heat-equation boundary control, 1000 cells, 10⁴ RK4 steps, within 1 MB (the
    /// trajectory is 80 MB).
    case heat = "heat"
    /// Cart-pole swing-up, N = 50 piecewise-linear forces, 4 RK4 substeps.
    case cartPole = "cart-pole"

    /// One line saying what the demo solves and how.
    public var summary: String {
        switch self {
        case .vanDerPol: "Van der Pol oscillator to rest, |u| ≤ 1, N = 20 controls × 4 RK4 steps, store-all gradient"
        case .vanDerPolLong: "Van der Pol with N = 2000 controls (8000 RK4 steps), checkpointed gradient within 64 kB"
        case .waltherNarayanan: "Walther & Narayanan's problem with analytic optimum, N = 64 piecewise-linear controls"
        case .heat: "heat-equation boundary control, 1000 cells × 10⁴ RK4 steps, gradient within 1 MB (trajectory 80 MB)"
        case .cartPole: "cart-pole swing-up (Kelly 2017), N = 50 piecewise-linear forces × 4 RK4 steps"
        }
    }

    /// Solves the demo; `progress` sees every L-BFGS-B iteration.
    /// - Complexity: from milliseconds (Walther–Narayanan) to about a minute (heat) in a
    ///   release build.
    public func run(progress: (ControlProgress) -> IterationDecision = { _ in .proceed }) throws -> ControlDemoResult {
        switch self {
        case .vanDerPol: try VanDerPol.run(intervals: 20, substeps: 4, progress: progress)
        case .vanDerPolLong:
            try VanDerPol.run(intervals: 2000, substeps: 4, checkpointing: .revolve(memory: .bytes(64_000)), progress: progress)
        case .waltherNarayanan: try WaltherNarayanan.run(intervals: 64, progress: progress)
        case .heat: try HeatEquationControl().run(memory: .megabytes(1), progress: progress)
        case .cartPole: try CartPoleSwingUp.run(intervals: 50, substeps: 4, progress: progress)
        }
    }
}
