import AdjointODE
import CheckpointedAD
import Foundation

/// Runnable examples of ODE sensitivities, each returning an ``ODEExampleResult`` with its
/// checks against independent truths. The CLI's `demo` calls them; the tests run them small.
public enum ODEExamples {
    /// Checks shared by the examples: the checkpointed gradient against the store-all one
    /// (bitwise) and central finite differences of the loss along the parameters and along
    /// a fixed direction in y₀ (the grid is replayed, so step sizes stay constant).
    ///
    /// - Parameters:
    ///   - compareWithStoreAll: compare bitwise with store-all (n states in memory); otherwise
    ///     with Revolve at 4 slots, a different schedule that must give the same bits.
    ///   - finiteDifferences: whether the finite-difference checks are meaningful (not for a
    ///     chaotic system over a long horizon, where the tangent grows like e^{λt}).
    ///   - direction: the direction in y₀ of the directional check (d_m = sin(m + 1) by
    ///     default; a diffusion problem needs a smooth one, whose effect the dynamics do not
    ///     damp below the finite differences' noise).
    static func checks(
        solution: ODESolution, loss: ODELoss, gradient: ODEGradient, compareWithStoreAll: Bool,
        finiteDifferences: Bool = true, finiteDifferenceStep: Double, tolerance: Double, direction: [Double]? = nil
    ) throws(ODEError) -> [ODEExampleResult.Check] {
        var checks: [ODEExampleResult.Check] = []
        let other: Checkpointing<Vector> = compareWithStoreAll ? .storeAll : .revolve(memory: .slots(4))
        let reference = try solution.gradient(of: loss, checkpointing: other)
        let equal = reference.initialState == gradient.initialState && reference.parameters == gradient.parameters && reference.value == gradient.value
        checks.append(.init(
            name: "checkpointed gradient == \(compareWithStoreAll ? "store-all" : "Revolve(4 slots)") gradient (bitwise)",
            error: equal ? 0 : 1, tolerance: 0))
        guard finiteDifferences else { return checks }
        let p = solution.problem.parameters.scalars
        var fdParameters: [Double] = []
        for m in p.indices {
            let h = finiteDifferenceStep * Swift.max(1, abs(p[m]))
            var plus = p
            var minus = p
            plus[m] += h
            minus[m] -= h
            let difference = try solution.value(of: loss, parameters: Vector(plus)) - solution.value(of: loss, parameters: Vector(minus))
            fdParameters.append(difference / (2 * h))
        }
        if !p.isEmpty {
            checks.append(.init(
                name: "dL/dp vs central finite differences", error: relativeError(gradient.parameters.scalars, fdParameters),
                tolerance: tolerance))
        }
        // Directional derivative along d_m = sin(m + 1): one pair of solves for any N.
        let y0 = solution.problem.initialState.scalars
        let direction = direction ?? y0.indices.map { sin(Double($0 + 1)) }
        let scale = finiteDifferenceStep * Swift.max(1, y0.map(abs).max() ?? 1)
        let plus = Vector(zip(y0, direction).map { $0 + scale * $1 })
        let minus = Vector(zip(y0, direction).map { $0 - scale * $1 })
        let fd = (try solution.value(of: loss, initialState: plus) - solution.value(of: loss, initialState: minus)) / (2 * scale)
        let adjoint = zip(gradient.initialState.scalars, direction).reduce(0) { $0 + $1.0 * $1.1 }
        checks.append(.init(
            name: "⟨dL/dy0, d⟩ vs central finite difference", error: abs(adjoint - fd) / Swift.max(abs(fd), 1e-300),
            tolerance: tolerance))
        return checks
    }

    /// Solves, differentiates and checks: the common body of the examples.
    static func run(
        name: String, problem: ODEProblem, method: ButcherTableau, span: ClosedRange<Double>, step: StepSize,
        saveAt: [Double] = [], memory: MemoryBudget, loss: ODELoss, compareWithStoreAll: Bool,
        finiteDifferences: Bool = true, finiteDifferenceStep: Double = 1e-6, tolerance: Double = 1e-5,
        options: CheckpointingOptions = CheckpointingOptions()
    ) throws(ODEError) -> ODEExampleResult {
        let (solution, forwardSeconds) = try measure { () throws(ODEError) in
            try solve(problem, method: method, span: span, step: step, saveAt: saveAt)
        }
        let (gradient, gradientSeconds) = try measure { () throws(ODEError) in
            try solution.gradient(of: loss, checkpointing: .revolve(memory: memory), options: options)
        }
        let checks = try checks(
            solution: solution, loss: loss, gradient: gradient, compareWithStoreAll: compareWithStoreAll,
            finiteDifferences: finiteDifferences, finiteDifferenceStep: finiteDifferenceStep, tolerance: tolerance)
        return ODEExampleResult(
            name: name, loss: gradient.value, initialStateGradient: gradient.initialState, parameterGradient: gradient.parameters,
            checks: checks, solve: solution.statistics, checkpointing: gradient.statistics,
            gradientSeconds: gradientSeconds, forwardSeconds: forwardSeconds)
    }

    /// Lorenz-63 (σ = 10, ρ = 28, β = 8/3) from (1, 1, 1): the sensitivity of z(T) to the
    /// initial state and the parameters, adaptive Dormand–Prince 5(4) by default.
    ///
    /// - Complexity: the solve's n steps, then t(n, s) advances and n reverses.
    public static func lorenz63Sensitivity(
        horizon: Double = 2, method: ButcherTableau = .dormandPrince54,
        step: StepSize = .adaptive(Tolerances(relative: 1e-10, absolute: 1e-12)), memory: MemoryBudget = .slots(16),
        options: CheckpointingOptions = CheckpointingOptions()
    ) throws(ODEError) -> ODEExampleResult {
        let problem = ODEProblem(rightHandSide: .lorenz63, initialState: [1, 1, 1], parameters: [10, 28, 8.0 / 3])
        let loss = ODELoss.finalState(value: { y in y[2] }, gradient: { _, scale, yBar in yBar[2] += scale })
        return try run(
            name: "Lorenz-63 sensitivity of z(\(horizon)) (\(method.name))", problem: problem, method: method,
            span: 0...horizon, step: step, memory: memory, loss: loss, compareWithStoreAll: true, options: options)
    }

    /// Lorenz-96 with N sites and forcing F = 8 (the only parameter), starting from
    /// ``Lorenz96/initialState(count:forcing:)``, x0_i = F + 0.01·sin(i): the benchmark
    /// problem of the issue.
    public static func lorenz96Problem(sites: Int) -> ODEProblem {
        let forcing = 8.0
        return ODEProblem(
            rightHandSide: .lorenz96(dimension: sites),
            initialState: Lorenz96.initialState(count: sites, forcing: forcing), parameters: [forcing])
    }

    /// L = ½‖x(T)‖², with its hand-written gradient x̄ += scale·x.
    public static let halfSquaredFinalState = ODELoss.finalState(
        value: { x in
            var sum = 0.0
            for m in 0..<x.count { sum += x[m] * x[m] }
            return 0.5 * sum
        },
        gradient: { x, scale, xBar in for m in 0..<x.count { xBar[m] += scale * x[m] } })

    /// Lorenz-96 with N sites, RK4, F = 8, x0_i = F + 0.01 sin(i) (i = 0 …  N−1),
    /// loss ½‖x(T)‖², n = T/dt steps; gradients with respect to x0 and F. The benchmark
    /// configuration of the issue (T = 10; longer horizons overflow: the system is chaotic).
    ///
    /// - Parameters:
    ///   - sites: N, the state's dimension.
    ///   - steps: n, the RK4 steps over the horizon.
    ///   - horizon: T.
    ///   - memory: the checkpointed gradient's budget (Revolve).
    ///   - compareWithStoreAll: compares bitwise with store-all (n·N·8 bytes) rather
    ///     than with Revolve at 4 slots. Finite differences are checked only for T ≤ 2: beyond,
    ///     the chaotic growth of perturbations (the gradient reaches 10⁹ at T = 10) leaves no
    ///     step size for which a difference quotient is accurate.
    ///   - options: the driver's options (checks, trace, progress).
    public static func lorenz96(
        sites: Int = 40, steps: Int = 10_000, horizon: Double = 10, memory: MemoryBudget = .slots(32),
        compareWithStoreAll: Bool = false, options: CheckpointingOptions = CheckpointingOptions()
    ) throws(ODEError) -> ODEExampleResult {
        let problem = lorenz96Problem(sites: sites)
        let loss = halfSquaredFinalState
        return try run(
            name: "Lorenz-96, N = \(sites), RK4, n = \(steps), T = \(horizon)", problem: problem, method: .rk4,
            span: 0...horizon, step: .fixed(horizon / Double(steps)), memory: memory, loss: loss,
            compareWithStoreAll: compareWithStoreAll, finiteDifferences: horizon <= 2, finiteDifferenceStep: 1e-7, tolerance: 1e-4,
            options: options)
    }

    /// Viscous Burgers on [0, 2π) with N cells (method of lines, central differences),
    /// u0 = sin x + 0.5, ν = 0.05, RK4 at dt = 0.2·Δx²/ν (stable), loss
    /// Δx·½‖u(T)‖² (the discrete energy); gradients with respect to u0 and ν.
    public static func viscousBurgers(
        cells: Int = 10_000, horizon: Double = 0.01, memory: MemoryBudget = .megabytes(8),
        compareWithStoreAll: Bool = false, options: CheckpointingOptions = CheckpointingOptions()
    ) throws(ODEError) -> ODEExampleResult {
        let length = 2 * Double.pi
        let dx = length / Double(cells)
        let nu = 0.05
        let problem = ODEProblem(
            rightHandSide: .viscousBurgers(cells: cells, length: length),
            initialState: Vector((0..<cells).map { sin(Double($0) * dx) + 0.5 }), parameters: [nu])
        let stable = 0.2 * dx * dx / nu
        let steps = Swift.max(1, Int((horizon / stable).rounded(.up)))
        let loss = ODELoss.finalState(
            value: { u in
                var sum = 0.0
                for m in 0..<u.count { sum += u[m] * u[m] }
                return 0.5 * dx * sum
            },
            gradient: { u, scale, uBar in for m in 0..<u.count { uBar[m] += scale * dx * u[m] } })
        return try run(
            name: "viscous Burgers, N = \(cells) cells, RK4, n = \(steps)", problem: problem, method: .rk4,
            span: 0...horizon, step: .fixed(horizon / Double(steps)), memory: memory, loss: loss,
            compareWithStoreAll: compareWithStoreAll, tolerance: 1e-5, options: options)
    }
}
