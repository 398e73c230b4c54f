import Testing
import RewindExamples
@testable import OptimalControl
import RewindTestSupport

@Suite struct MultipleShootingTests {
    /// Van der Pol with a path constraint that reads the control too, c = −x₁ − 0.3 + 0.2u ≤ 0,
    /// a state bound x₂ ≤ 0.9 and a terminal cost, so every kind of row and term is present.
    static var richProblem: ControlProblem {
        var problem = VanDerPol.problem(horizon: 3)
        problem.pathConstraint = PathConstraint(count: 1, evaluate: { _, x, u, _, c in c[0] = -x[0] - 0.3 + 0.2 * u[0] * u[0] },
                                                pullback: { _, _, u, _, w, xBar, uBar in xBar[0] -= w[0]; uBar[0] += 0.4 * u[0] * w[0] })
        problem.stateUpper = [.infinity, 0.9]
        problem.terminalCost = TerminalCost(value: { x, _ in 2 * x[0] * x[1] }, gradient: { x, _, g in g[0] += 2 * x[1]; g[1] += 2 * x[0] })
        return problem
    }

    static func point(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in rng.uniform(-0.9...0.9) }
    }

    /// Central differences of f and of every constraint against ∇f and the sparse Jacobian.
    static func checkAgainstFiniteDifferences(_ program: NonlinearProgram, at w: [Double], label: String) throws {
        let (gradient, jacobian) = try program.derivatives(w)
        var dense = Array(repeating: Array(repeating: 0.0, count: program.variableCount), count: program.constraintCount)
        for (e, value) in jacobian.enumerated() { dense[program.jacobianRows[e]][program.jacobianColumns[e]] += value }
        let h = 1e-6
        for j in 0..<program.variableCount {
            var up = w, down = w
            up[j] += h; down[j] -= h
            let (fUp, gUp) = try program.values(up), (fDown, gDown) = try program.values(down)
            let fd = (fUp - fDown) / (2 * h)
            #expect(abs(fd - gradient[j]) <= 1e-7 * Swift.max(1, abs(fd)), "\(label): ∂f/∂w\(j) \(fd) vs \(gradient[j])")
            for r in 0..<program.constraintCount {
                let fdRow = (gUp[r] - gDown[r]) / (2 * h)
                #expect(abs(fdRow - dense[r][j]) <= 1e-7 * Swift.max(1, abs(fdRow)), "\(label): ∂g\(r)/∂w\(j) \(fdRow) vs \(dense[r][j])")
            }
        }
    }

    @Test(arguments: ControlParameterization.allCases)
    func multipleShootingDerivativesMatchFiniteDifferences(_ parameterization: ControlParameterization) throws {
        let shooting = MultipleShooting(problem: Self.richProblem, intervals: 4, substeps: 3, parameterization: parameterization)
        let program = shooting.program()
        #expect(program.constraintCount == 4 * 2 + 5 && program.variableCount == 5 * 2 + parameterization.valueCount(intervals: 4))
        try Self.checkAgainstFiniteDifferences(program, at: Self.point(program.variableCount, seed: 7), label: "\(parameterization)")
    }

    @Test(arguments: ConstraintJacobianMode.allCases)
    func singleShootingDerivativesMatchFiniteDifferences(_ mode: ConstraintJacobianMode) throws {
        for parameterization in ControlParameterization.allCases {
            let shooting = SingleShooting(problem: Self.richProblem, intervals: 4, substeps: 3, parameterization: parameterization)
            let program = try shooting.program(jacobian: mode)
            #expect(program.constraintCount == 5 + 4)
            try Self.checkAgainstFiniteDifferences(program, at: Self.point(program.variableCount, seed: 8), label: "\(mode) \(parameterization)")
        }
    }

    /// The Lagrangian's Hessian (central differences of adjoint gradients) against central
    /// differences of the Lagrangian's gradient σ∇f + Jᵀλ assembled from `derivatives`.
    @Test(arguments: ControlParameterization.allCases)
    func lagrangianHessianMatchesDifferencesOfTheGradient(_ parameterization: ControlParameterization) throws {
        let shooting = MultipleShooting(problem: Self.richProblem, intervals: 3, substeps: 3, parameterization: parameterization)
        let program = shooting.program()
        let w = Self.point(program.variableCount, seed: 11)
        let lambda = Self.point(program.constraintCount, seed: 12), sigma = 0.7
        let values = try program.hessian!(w, sigma, lambda)
        var dense = Array(repeating: Array(repeating: 0.0, count: w.count), count: w.count)
        for (e, value) in values.enumerated() {
            #expect(program.hessianRows[e] >= program.hessianColumns[e], "lower triangle only")
            dense[program.hessianRows[e]][program.hessianColumns[e]] += value
        }
        func lagrangianGradient(_ w: [Double]) throws -> [Double] {
            let (gradient, jacobian) = try program.derivatives(w)
            var result = gradient.map { sigma * $0 }
            for (e, value) in jacobian.enumerated() { result[program.jacobianColumns[e]] += lambda[program.jacobianRows[e]] * value }
            return result
        }
        let h = 1e-5
        for j in w.indices {
            var up = w, down = w
            up[j] += h; down[j] -= h
            let (gUp, gDown) = (try lagrangianGradient(up), try lagrangianGradient(down))
            for i in j..<w.count {
                let fd = (gUp[i] - gDown[i]) / (2 * h)
                #expect(abs(fd - dense[i][j]) <= 1e-6 * Swift.max(1, abs(fd)), "\(parameterization): H[\(i)][\(j)] \(dense[i][j]) vs \(fd)")
            }
        }
    }

    /// IPOPT with that Hessian instead of its limited-memory approximation reaches the same optimum.
    @Test func theProgramHessianReachesTheReference() throws {
        let solution = try MultipleShooting(problem: VanDerPol.problem(pathConstraint: true), intervals: 20, substeps: 4)
            .solve(ipopt: Ipopt(hessian: .program))
        #expect(abs(solution.objective - 3.7329693928836893) <= 1e-8 * 3.7329693928836893, "\(solution.objective)")
        #expect(Ipopt(hessian: .program).passedOptions.contains { $0.name == "hessian_approximation" && $0.value == .string("exact") })
        #expect(throws: IpoptError.self) {
            try Ipopt(hessian: .program).minimize(IpoptTests.hs071, from: [1, 5, 5, 1])
        }
    }

    /// IPOPT's default Hessian is the program's own for multiple shooting and the
    /// limited-memory one for single shooting; the timing accounts for the callbacks.
    @Test func theDefaultHessianIsTheProgramsWhereItHasOne() throws {
        let problem = VanDerPol.problem(pathConstraint: true)
        let automatic = try MultipleShooting(problem: problem, intervals: 20, substeps: 4).solve()
        let limited = try MultipleShooting(problem: problem, intervals: 20, substeps: 4).solve(ipopt: Ipopt(hessian: .limitedMemory))
        let single = try SingleShooting(problem: problem, intervals: 20, substeps: 4).solve(ipopt: Ipopt())
        let a = try #require(automatic.ipopt), l = try #require(limited.ipopt), s = try #require(single.ipopt)
        #expect(a.timing.hessianEvaluations == a.iterations && l.timing.hessianEvaluations == 0 && s.timing.hessianEvaluations == 0)
        for result in [a, l, s] {
            #expect(result.timing.hessianSeconds >= 0 && result.timing.valueSeconds > 0 && result.timing.derivativeSeconds > 0)
            #expect(result.timing.ipoptSeconds > 0 && result.timing.callbackSeconds < result.timing.totalSeconds)
        }
        for solution in [automatic, limited, single] {
            #expect(abs(solution.objective - 3.7329693928836893) <= 1e-8 * 3.7329693928836893, "\(solution.stopSummary)")
        }
        #expect(Ipopt().passedOptions(programHasHessian: true).contains { $0.name == "hessian_approximation" && $0.value == .string("exact") })
        #expect(Ipopt().passedOptions.contains { $0.name == "hessian_approximation" && $0.value == .string("limited-memory") })
    }

    /// The default node states are x₀ everywhere (clamped into the bounds); the simulated
    /// trajectory is one call away.
    @Test func theDefaultNodeStatesAreTheInitialState() throws {
        var problem = VanDerPol.problem(horizon: 2)
        problem.stateUpper = [.infinity, 0.5]
        let shooting = MultipleShooting(problem: problem, intervals: 5, substeps: 2)
        let w = try shooting.initialGuess()
        let nodes = shooting.states(in: w)
        #expect(nodes[0] == [0, 1] && nodes.dropFirst().allSatisfy { $0 == [0, 0.5] })
        let simulated = try shooting.simulatedStates(controls: [0.5, 0, 0, 0, -0.5])
        let single = SingleShooting(problem: VanDerPol.problem(horizon: 2), intervals: 5, substeps: 2)
        let x = single.makeModel().trajectory(controls: [0.5, 0, 0, 0, -0.5]).nodes
        #expect(simulated == x && simulated[3] != [0, 1], "\(simulated) vs \(x)")
    }

    /// The interval sweeps under a tight revolve budget give the store-all bits.
    @Test func checkpointedIntervalSweepsEqualStoreAllBitwise() throws {
        for parameterization in ControlParameterization.allCases {
            let storeAll = MultipleShooting(problem: Self.richProblem, intervals: 3, substeps: 12, parameterization: parameterization)
            var budgeted = storeAll
            budgeted.checkpointing = .revolve(memory: .bytes(4096))
            let w = Self.point(storeAll.variableCount, seed: 3)
            let a = try storeAll.program().derivatives(w), b = try budgeted.program().derivatives(w)
            #expect(a.gradient == b.gradient && a.jacobian == b.jacobian, "\(parameterization)")
            #expect(try storeAll.program().values(w) == budgeted.program().values(w))
            let lambda = Self.point(storeAll.program().constraintCount, seed: 4)
            #expect(try storeAll.program().hessian!(w, 0.8, lambda) == budgeted.program().hessian!(w, 0.8, lambda))
        }
    }

    /// x₁ ≥ −0.25 at the interval ends, N = 20, 4 RK4 substeps: CasADi's multiple-shooting
    /// example, whose optimum 3.7329693928836893 (IPOPT, exact Hessian) both transcriptions
    /// must reach within 1e-8 relative.
    @Test(arguments: ShootingMethod.allCases)
    func pathConstrainedVanDerPolReachesTheReference(_ shooting: ShootingMethod) throws {
        let solution = try VanDerPol.problem(pathConstraint: true)
            .solve(intervals: 20, substeps: 4, shooting: shooting, solver: .ipopt(Ipopt()))
        #expect(abs(solution.objective - 3.7329693928836893) <= 1e-8 * 3.7329693928836893, "\(shooting): \(solution.objective), \(solution.stopSummary)")
        #expect(solution.stopReason == .ipoptSolved && solution.ipopt?.status == .solveSucceeded && solution.shooting == shooting)
        #expect(solution.states.dropFirst().allSatisfy { $0[0] >= -0.25 - 1e-8 }, "the path constraint holds")
        #expect(solution.states.map { $0[0] }.min()! <= -0.25 + 1e-6, "and is active")
        #expect(solution.controls.allSatisfy { abs($0) <= 1 + 1e-7 })
    }

    @Test func solverChoicesAndFailuresAreTypedErrors() throws {
        #expect(throws: ControlError.self) {
            try VanDerPol.problem().solve(intervals: 4, shooting: .multiple, solver: .lbfgsb(LBFGSB()))
        }
        #expect {
            try MultipleShooting(problem: VanDerPol.problem(pathConstraint: true), intervals: 20, substeps: 4)
                .solve(ipopt: Ipopt(maximumIterations: 3))
        } throws: { error in
            guard case let IpoptError.solveFailed(status, iterations, _, _) = error else { return false }
            return status == .maximumIterationsExceeded && iterations == 3
        }
        #expect(throws: OptimizationError.dimensionMismatch(expected: 5, got: 2, what: "the initial node states (each of 2)")) {
            try MultipleShooting(problem: VanDerPol.problem(), intervals: 4).initialGuess(states: [[0, 1], [0, 1]])
        }
    }
}
