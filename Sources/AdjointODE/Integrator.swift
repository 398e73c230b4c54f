import Foundation

/// What a forward integration produced: the grid it stepped on, the final state, the
/// states at the requested stop times, and its counts.
struct IntegrationResult {
    var grid: StepGrid
    var finalState: [Double]
    var savedStates: [[Double]]
    var statistics: SolveStatistics
}

/// Counts of one forward solve.
public struct SolveStatistics: Hashable, Sendable, Codable {
    /// Accepted steps (n).
    public var acceptedSteps = 0
    /// Rejected adaptive steps.
    public var rejectedSteps = 0
    /// Right-hand-side evaluations.
    public var evaluations = 0
    /// Bytes of the recorded step-size sequence (0 for fixed steps).
    public var recordedBytes = 0
    /// Newton iterations of the implicit stages (0 for explicit methods).
    public var newtonIterations = 0
    /// Steps retried because a stage's Newton iteration failed (counted in `rejectedSteps` too).
    public var newtonFailures = 0
    /// Solves with an LU factorisation (Newton corrections, Rosenbrock stages).
    public var linearSolves = 0
    /// Jacobians ∂f/∂y assembled from vector-Jacobian products.
    public var jacobianEvaluations = 0
    /// LU factorisations.
    public var factorizations = 0
    /// GMRES iterations of matrix-free stage solves.
    public var krylovIterations = 0

    /// Adds the stepper's work between two snapshots of its counts.
    mutating func addWork(from before: StepperCounts, to after: StepperCounts) {
        evaluations += after.evaluations - before.evaluations
        newtonIterations += after.newtonIterations - before.newtonIterations
        linearSolves += after.linearSolves - before.linearSolves
        jacobianEvaluations += after.jacobianEvaluations - before.jacobianEvaluations
        factorizations += after.factorizations - before.factorizations
        krylovIterations += after.krylovIterations - before.krylovIterations
    }
}

/// The fixed and adaptive forward integrations, on flat storage.
enum Integrator {
    /// The number of steps and the step size of a fixed-step run over `span`.
    static func uniformGrid(span: ClosedRange<Double>, step dt: Double) -> StepGrid {
        precondition(dt > 0 && dt.isFinite, "the fixed step must be positive and finite, got \(dt)")
        let length = span.upperBound - span.lowerBound
        precondition(length > 0, "the span must have positive length, got \(span)")
        let ratio = length / dt
        let rounded = ratio.rounded()
        let n = Swift.max(1, abs(ratio - rounded) <= 1e-9 * rounded ? Int(rounded) : Int(ratio.rounded(.up)))
        return StepGrid(start: span.lowerBound, size: length / Double(n), count: n)
    }

    /// Steps along `grid`, calling `observe(k, y_k)` for every k in `observed` (sorted).
    static func integrate<Stepper: ODEStepper>(
        _ stepper: Stepper, grid: StepGrid, initialState: [Double], parameters: [Double],
        saveAt stops: [Int]
    ) throws(ODEError) -> IntegrationResult {
        let n = stepper.rightHandSide.dimension
        var current = initialState
        var next = [Double](repeating: 0, count: n)
        var saved: [[Double]] = []
        var stopIndex = 0
        while stopIndex < stops.count, stops[stopIndex] == 0 { saved.append(current); stopIndex += 1 }
        let before = stepper.counts
        for i in 0..<grid.count {
            do throws(StageSolveFailure) {
                _ = try parameters.withUnsafeBufferPointer { p throws(StageSolveFailure) in
                    try current.withUnsafeBufferPointer { y throws(StageSolveFailure) in
                        try next.withUnsafeMutableBufferPointer { out throws(StageSolveFailure) in
                            try stepper.step(time: grid.time(i), size: grid.size(i), state: y, parameters: p, into: out, errorEstimate: nil, runningCost: nil)
                        }
                    }
                }
            } catch {
                throw ODEError(error, step: i, time: grid.time(i), size: grid.size(i))
            }
            swap(&current, &next)
            while stopIndex < stops.count, stops[stopIndex] == i + 1 { saved.append(current); stopIndex += 1 }
        }
        guard current.allSatisfy(\.isFinite) else { throw .nonFiniteState(time: grid.time(grid.count)) }
        var statistics = SolveStatistics(acceptedSteps: grid.count)
        statistics.addWork(from: before, to: stepper.counts)
        return IntegrationResult(grid: grid, finalState: current, savedStates: saved, statistics: statistics)
    }

    /// An adaptive run over `span` that lands exactly on every time in `stops` (sorted,
    /// inside the span) and records its accepted steps.
    static func integrateAdaptive<Stepper: ODEStepper>(
        _ stepper: Stepper, span: ClosedRange<Double>, tolerances: Tolerances,
        initialState: [Double], parameters: [Double], stops: [Double]
    ) throws(ODEError) -> IntegrationResult {
        guard let embeddedOrder = stepper.errorEstimateOrder else { throw .methodHasNoErrorEstimate(method: stepper.methodName) }
        let before = stepper.counts
        let n = stepper.rightHandSide.dimension
        let end = span.upperBound
        precondition(end > span.lowerBound, "the span must have positive length, got \(span)")
        var targets = stops.filter { $0 > span.lowerBound && $0 < end }
        targets.append(end)
        var statistics = SolveStatistics()
        var current = initialState
        var next = [Double](repeating: 0, count: n)
        var error = [Double](repeating: 0, count: n)
        var times = [span.lowerBound]
        var sizes: [Double] = []
        var saved: [[Double]] = stops.filter { $0 == span.lowerBound }.map { _ in initialState }
        let controller = tolerances.controller
        var t = span.lowerBound
        var h = tolerances.initialStep ?? initialStep(stepper.rightHandSide, time: t, state: initialState, parameters: parameters, tolerances: tolerances, order: stepper.order)
        statistics.evaluations += tolerances.initialStep == nil ? 2 : 0
        h = Swift.min(Swift.max(h, tolerances.minimumStep), tolerances.maximumStep)
        var previousError = 1e-4
        var rejectedLast = false
        var targetIndex = 0
        while targetIndex < targets.count {
            let target = targets[targetIndex]
            if sizes.count >= tolerances.maximumSteps { throw .tooManySteps(limit: tolerances.maximumSteps, time: t, end: end) }
            // Land exactly on the next target when the step would reach it (or nearly).
            // (A step within 10⁻⁷ of the target is stretched onto it, but never past the maximum.)
            let remaining = target - t
            let lands = remaining <= h * 1.000_000_1 && remaining <= tolerances.maximumStep
            let size = lands ? remaining : h
            let norm: Double
            do throws(StageSolveFailure) {
                norm = try parameters.withUnsafeBufferPointer { p throws(StageSolveFailure) in
                    try current.withUnsafeBufferPointer { y throws(StageSolveFailure) in
                        try next.withUnsafeMutableBufferPointer { out throws(StageSolveFailure) in
                            try error.withUnsafeMutableBufferPointer { e throws(StageSolveFailure) in
                                _ = try stepper.step(time: t, size: size, state: y, parameters: p, into: out, errorEstimate: e, runningCost: nil)
                                return errorNorm(e, y, UnsafeBufferPointer(out), tolerances)
                            }
                        }
                    }
                }
            } catch {
                // A stage that will not converge: retry with a quarter of the step.
                statistics.rejectedSteps += 1
                statistics.newtonFailures += 1
                let proposal = size * 0.25
                if proposal < tolerances.minimumStep || proposal <= abs(t) * 1e-15 {
                    throw ODEError(error, step: sizes.count, time: t, size: size)
                }
                h = proposal
                rejectedLast = true
                continue
            }
            if !norm.isFinite && !next.allSatisfy(\.isFinite) && size <= tolerances.minimumStep {
                throw .nonFiniteState(time: t)
            }
            if norm <= 1 {
                times.append(lands ? target : t + size)
                sizes.append(size)
                t = times[times.count - 1]
                swap(&current, &next)
                if lands {
                    saved.append(contentsOf: stops.filter { $0 == target }.map { _ in current })
                    targetIndex += 1
                }
                var factor = controller.acceptedFactor(error: norm, previousError: previousError, embeddedOrder: embeddedOrder)
                if rejectedLast { factor = Swift.min(factor, 1) }
                // After landing on a stop the controller's proposal is for the unclipped h.
                h = Swift.min(tolerances.maximumStep, Swift.max(tolerances.minimumStep, (lands ? Swift.max(h, size) : size) * factor))
                previousError = Swift.max(norm, 1e-4)
                rejectedLast = false
            } else {
                statistics.rejectedSteps += 1
                let factor = norm.isFinite ? controller.rejectedFactor(error: norm, embeddedOrder: embeddedOrder) : controller.minimumFactor
                let proposal = size * factor
                if proposal < tolerances.minimumStep {
                    throw .stepSizeTooSmall(time: t, size: proposal, minimum: tolerances.minimumStep)
                }
                if proposal <= abs(t) * 1e-15 { throw .stepSizeTooSmall(time: t, size: proposal, minimum: abs(t) * 1e-15) }
                h = proposal
                rejectedLast = true
            }
        }
        guard current.allSatisfy(\.isFinite) else { throw .nonFiniteState(time: t) }
        statistics.acceptedSteps = sizes.count
        statistics.addWork(from: before, to: stepper.counts)
        let grid = StepGrid(times: times, sizes: sizes)
        statistics.recordedBytes = grid.recordedBytes
        return IntegrationResult(grid: grid, finalState: current, savedStates: saved, statistics: statistics)
    }

    /// ‖e / (atol + rtol·max(|y|, |y⁺|))‖_rms.
    static func errorNorm(_ e: UnsafeMutableBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, _ next: UnsafeBufferPointer<Double>, _ tolerances: Tolerances) -> Double {
        var sum = 0.0
        for m in 0..<e.count {
            let scale = tolerances.absolute + tolerances.relative * Swift.max(abs(y[m]), abs(next[m]))
            let ratio = e[m] / scale
            sum += ratio * ratio
        }
        return (sum / Double(e.count)).squareRoot()
    }

    /// Hairer's starting step (Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.4, p. 169).
    static func initialStep(_ rhs: RightHandSide, time t: Double, state y0: [Double], parameters: [Double], tolerances: Tolerances, order: Int) -> Double {
        let n = y0.count
        var f0 = [Double](repeating: 0, count: n)
        var f1 = [Double](repeating: 0, count: n)
        func evaluate(_ time: Double, _ y: [Double], _ out: inout [Double]) {
            y.withUnsafeBufferPointer { yb in parameters.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { rhs.evaluate(time, yb, p, $0) } } }
        }
        func norm(_ v: [Double]) -> Double {
            var sum = 0.0
            for m in 0..<n {
                let r = v[m] / (tolerances.absolute + tolerances.relative * abs(y0[m]))
                sum += r * r
            }
            return (sum / Double(n)).squareRoot()
        }
        evaluate(t, y0, &f0)
        let d0 = norm(y0)
        let d1 = norm(f0)
        let h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1
        let y1 = (0..<n).map { y0[$0] + h0 * f0[$0] }
        evaluate(t + h0, y1, &f1)
        let d2 = norm((0..<n).map { f1[$0] - f0[$0] }) / h0
        let h1 = Swift.max(d1, d2) <= 1e-15 ? Swift.max(1e-6, h0 * 1e-3) : pow(0.01 / Swift.max(d1, d2), 1 / Double(order + 1))
        return Swift.min(100 * h0, h1)
    }
}
