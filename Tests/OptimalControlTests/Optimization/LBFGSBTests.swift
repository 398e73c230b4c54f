import Testing
@testable import OptimalControl
import RewindTestSupport

@Suite struct LBFGSBTests {
    static let tight = LBFGSB(gradientTolerance: 1e-11, relativeGradientTolerance: 0, relativeObjectiveTolerance: 0)

    @Test func rosenbrockTwoDimensional() throws {
        let r = try Self.tight.minimize(from: [-1.2, 1], bounds: .unbounded(2), objective: TestProblems.rosenbrock)
        #expect(abs(r.x[0] - 1) <= 1e-8 && abs(r.x[1] - 1) <= 1e-8, "\(r.x) \(r.stopReason)")
        #expect(r.iterations < 60 && r.evaluations < 90, "\(r.iterations) iterations, \(r.evaluations) evaluations")
    }

    @Test(arguments: [10, 100])
    func rosenbrockManyDimensional(n: Int) throws {
        let start = (0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 }
        let r = try Self.tight.minimize(from: start, bounds: .unbounded(n), objective: TestProblems.rosenbrock)
        #expect(r.x.allSatisfy { abs($0 - 1) <= 1e-8 }, "n = \(n): \(r.stopReason), f = \(r.objective)")
    }

    /// Bounded Rosenbrock with x₁ ≤ ½: the KKT point is (½, ¼) with x₁ on its bound, and no
    /// evaluated point ever leaves the box.
    @Test func boundedRosenbrockNeverLeavesTheBox() throws {
        let box = try BoxBounds(lower: [-2, -2], upper: [0.5, 2])
        var outside = 0
        let r = try Self.tight.minimize(from: [-1.2, 1], bounds: box) { x in
            if !box.contains(x) { outside += 1 }
            return TestProblems.rosenbrock(x)
        }
        #expect(outside == 0)
        #expect(r.x[0] == 0.5 && abs(r.x[1] - 0.25) <= 1e-9, "\(r.x)")
    }

    /// ½xᵀAx − bᵀx on a box, with b built from a chosen KKT point x* and multipliers, so the
    /// exact solution and its active set are known in closed form. The constant is chosen so
    /// that f(x*) = 0, which keeps objective differences resolvable down to |x − x*| ~ 1e-9.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func boundedQuadraticReachesKnownKKTPoint(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let n = 30
        let a = TestProblems.spdMatrix(order: n, generator: &rng)
        let lower = Array(repeating: -1.0, count: n), upper = Array(repeating: 1.0, count: n)
        var solution = Array(repeating: 0.0, count: n), multiplier = Array(repeating: 0.0, count: n)
        for i in 0..<n {
            switch i % 3 {
            case 0: solution[i] = -1; multiplier[i] = rng.uniform(0.1...2)    // ∂f > 0 at lower bound
            case 1: solution[i] = 1; multiplier[i] = -rng.uniform(0.1...2)    // ∂f < 0 at upper bound
            default: solution[i] = rng.uniform(-0.9...0.9)
            }
        }
        let b = zip(TestProblems.times(a, solution), multiplier).map { $0 - $1 }
        let box = try BoxBounds(lower: lower, upper: upper)
        var outside = 0
        let r = try Self.tight.minimize(from: Array(repeating: 0, count: n), bounds: box) { x in
            if !box.contains(x) { outside += 1 }
            let ax = TestProblems.times(a, x)
            let e = zip(x, solution).map { $0 - $1 }
            let ae = TestProblems.times(a, e)
            return (0.5 * dot(e, ae) + dot(multiplier, e), zip(ax, b).map { $0 - $1 })
        }
        #expect(outside == 0, "seed \(seed)")
        for i in 0..<n {
            #expect(abs(r.x[i] - solution[i]) <= 1e-8, "seed \(seed), variable \(i): \(r.x[i]) vs \(solution[i])")
            if i % 3 != 2 { #expect(r.x[i] == solution[i], "seed \(seed): active bound \(i) not hit exactly") }
        }
    }

    /// Nonconvex: Himmelblau's function reaches one of its four zero minima; a concave
    /// objective on a box goes to the vertex.
    @Test func nonconvexProblems() throws {
        let r = try Self.tight.minimize(from: [0, 0], bounds: .unbounded(2), objective: TestProblems.himmelblau)
        #expect(r.objective <= 1e-16 && r.stopReason.isConverged, "\(r.x) \(r.objective)")
        let box = try BoxBounds(lower: [-1, -3], upper: [2, 1])
        let concave = try LBFGSB().minimize(from: [0.5, -0.5], bounds: box) { x in
            (-x[0] * x[0] - x[1] * x[1] + x[0] * x[1], [-2 * x[0] + x[1], -2 * x[1] + x[0]])
        }
        // Vertices: (2, −3) gives −4 − 9 − 6 = −19, the least of the four.
        #expect(concave.x == [2, -3] && concave.objective == -19, "\(concave.x)")
    }

    @Test func invalidInputsAreTypedErrors() throws {
        #expect(throws: OptimizationError.dimensionMismatch(expected: 2, got: 3, what: "the bounds")) {
            try LBFGSB().minimize(from: [0, 0], bounds: .unbounded(3), objective: TestProblems.rosenbrock)
        }
        #expect(throws: OptimizationError.emptyProblem) {
            try LBFGSB().minimize(from: [], bounds: .unbounded(0)) { _ in (0, []) }
        }
        #expect(throws: OptimizationError.nonFiniteObjective(value: .infinity)) {
            try LBFGSB().minimize(from: [0], bounds: .unbounded(1)) { _ in (.infinity, [0]) }
        }
        #expect(throws: OptimizationError.dimensionMismatch(expected: 2, got: 1, what: "the returned gradient")) {
            try LBFGSB().minimize(from: [0, 0], bounds: .unbounded(2)) { _ in (0, [1]) }
        }
    }

    @Test func limitsAndProgress() throws {
        let capped = try LBFGSB(maximumIterations: 3).minimize(from: [-1.2, 1], bounds: .unbounded(2),
                                                                 objective: TestProblems.rosenbrock)
        #expect(capped.stopReason == .maximumIterations && capped.iterations == 3)
        let fewEvaluations = try LBFGSB(maximumEvaluations: 5).minimize(from: [-1.2, 1], bounds: .unbounded(2),
                                                                         objective: TestProblems.rosenbrock)
        #expect(fewEvaluations.stopReason == .maximumEvaluations && fewEvaluations.evaluations == 5)
        var seen: [IterationProgress] = []
        var calls = 0
        let stopped = try LBFGSB().minimize(from: [-1.2, 1], bounds: .unbounded(2), progress: { p in
            seen.append(p)
            return p.iteration == 4 ? .stop : .proceed
        }) { x in
            calls += 1
            return TestProblems.rosenbrock(x)
        }
        #expect(stopped.stopReason == .stoppedByCallback && stopped.iterations == 4)
        #expect(seen.map(\.iteration) == [1, 2, 3, 4])
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $1.objective <= $0.objective && $1.evaluations > $0.evaluations })
        #expect(seen.last!.evaluations == calls && stopped.evaluations == calls)
        #expect(seen.last!.objective == stopped.objective)
    }

    /// The gradient rule is relative to the start: scaling the objective by 10⁻⁶ (as a
    /// control gradient shrinks with the interval length) changes neither the iterates nor
    /// the stop, where an absolute tolerance would have stopped the scaled run at once.
    @Test func theGradientRuleIsScaleInvariant() throws {
        let optimizer = LBFGSB(gradientTolerance: 0, relativeGradientTolerance: 1e-9, relativeObjectiveTolerance: 0)
        let plain = try optimizer.minimize(from: [-1.2, 1], bounds: .unbounded(2), objective: TestProblems.rosenbrock)
        let scaled = try optimizer.minimize(from: [-1.2, 1], bounds: .unbounded(2)) { x in
            let (f, g) = TestProblems.rosenbrock(x)
            return (1e-6 * f, g.map { 1e-6 * $0 })
        }
        #expect(plain.stopReason == .projectedGradientTolerance && scaled.stopReason == .projectedGradientTolerance)
        #expect(plain.relativeProjectedGradientNorm <= 1e-9 && scaled.relativeProjectedGradientNorm <= 1e-9)
        #expect(plain.x.allSatisfy { abs($0 - 1) <= 1e-7 } && scaled.x.allSatisfy { abs($0 - 1) <= 1e-7 }, "\(plain.x) \(scaled.x)")
        let absolute = try LBFGSB(gradientTolerance: 1e-6, relativeGradientTolerance: 0).minimize(from: [-1.2, 1], bounds: .unbounded(2)) { x in
            let (f, g) = TestProblems.rosenbrock(x)
            return (1e-6 * f, g.map { 1e-6 * $0 })
        }
        let error = absolute.x.map { abs($0 - 1) }.max()!
        #expect(absolute.stopReason == .projectedGradientTolerance && error > 1e-4,
                "an absolute rule stops the small-scale problem early: \(absolute.x), \(absolute.iterations) iterations")
    }

    /// A gradient inconsistent with the objective makes every line search fail; that is
    /// reported as a failure with the projected-gradient norm, never as convergence.
    @Test func aFailedLineSearchIsNotReportedAsConvergence() throws {
        let r = try LBFGSB().minimize(from: [3], bounds: .unbounded(1)) { x in (x[0] * x[0], [-2 * x[0]]) }
        #expect(r.stopReason == .lineSearchFailed && !r.stopReason.isConverged)
        #expect(r.projectedGradientNorm == 6 && r.relativeProjectedGradientNorm == 1)
    }

    @Test func startsOnTheBoxAndStopsAtAKKTPointImmediately() throws {
        let box = try BoxBounds(lower: [1, 1], upper: [2, 2])
        // Minimum of (x−0)² over [1,2]² is the corner (1, 1); starting outside projects onto it.
        let r = try LBFGSB().minimize(from: [-5, 0], bounds: box) { x in
            (x[0] * x[0] + x[1] * x[1], [2 * x[0], 2 * x[1]])
        }
        #expect(r.x == [1, 1] && r.iterations == 0 && r.evaluations == 1 && r.stopReason == .projectedGradientTolerance)
        #expect(r.initialProjectedGradientNorm == 0 && r.relativeProjectedGradientNorm == 0)
    }
}
