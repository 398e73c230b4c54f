import Foundation

/// How a solve chooses its step sizes: a fixed step, or adaptive steps within tolerances.
///
/// ```swift
/// try solve(problem, method: .rk4, span: 0...10, step: .fixed(0.01))
/// try solve(problem, method: .tsitouras54, span: 0...10, step: .adaptive(Tolerances(relative: 1e-8, absolute: 1e-10)))
/// ```
public enum StepSize: Hashable, Sendable {
    /// n = ⌈(t₁ − t₀)/dt⌉ equal steps of (t₁ − t₀)/n: dt is shortened, never lengthened,
    /// so the last step ends exactly at t₁. Step i starts at t₀ + i·h.
    case fixed(Double)
    /// Steps chosen by an embedded error estimate and a PI controller.
    case adaptive(Tolerances)
}

/// Tolerances and limits of an adaptive solve.
///
/// A step is accepted when the weighted RMS norm of its error estimate,
/// ‖e / (atol + rtol·max(|y|, |y⁺|))‖_rms, is at most 1 (Hairer, Nørsett & Wanner,
/// *Solving ODEs I*, §II.4, eq. (4.11)).
public struct Tolerances: Hashable, Sendable {
    /// rtol.
    public var relative: Double
    /// atol.
    public var absolute: Double
    /// The first step tried; `nil` picks one by Hairer's heuristic (two extra evaluations).
    public var initialStep: Double?
    /// Steps are never shorter than this (except the last one before a stop time);
    /// a rejected step at the minimum throws ``ODEError/stepSizeTooSmall(time:size:minimum:)``.
    public var minimumStep: Double
    /// Steps are never longer than this.
    public var maximumStep: Double
    /// The most accepted steps a solve may take; more throw ``ODEError/tooManySteps(limit:time:end:)``.
    /// It also bounds the recorded step-size sequence.
    public var maximumSteps: Int
    /// The PI controller's gains and limits.
    public var controller: PIController

    /// Tolerances with good defaults: rtol 1e−6, atol 1e−9, at most 100 000 steps.
    public init(
        relative: Double = 1e-6, absolute: Double = 1e-9, initialStep: Double? = nil,
        minimumStep: Double = 0, maximumStep: Double = .infinity, maximumSteps: Int = 100_000,
        controller: PIController = PIController()
    ) {
        precondition(relative >= 0 && absolute >= 0 && relative + absolute > 0, "tolerances must be non-negative and not both zero, got rtol = \(relative), atol = \(absolute)")
        precondition(minimumStep >= 0 && maximumStep > minimumStep, "need 0 ≤ minimumStep < maximumStep, got \(minimumStep) and \(maximumStep)")
        precondition(maximumSteps >= 1, "maximumSteps must be at least 1, got \(maximumSteps)")
        self.relative = relative
        self.absolute = absolute
        self.initialStep = initialStep
        self.minimumStep = minimumStep
        self.maximumStep = maximumStep
        self.maximumSteps = maximumSteps
        self.controller = controller
    }
}

/// A proportional–integral step-size controller (Gustafsson 1991; Söderlind 2002,
/// doi:10.1023/A:1021160023092; Hairer & Wanner, *Solving ODEs II*, §IV.2, eq. (2.43c)).
///
/// With k = (embedded order) + 1, an accepted step with error norm ε (previous accepted ε₋)
/// is followed by h·safety·ε^(−α/k)·ε₋^(β/k), clamped to [minimumFactor, maximumFactor];
/// a rejected one is retried with h·max(minimumFactor, safety·ε^(−1/k)) and may not grow
/// on the next step.
public struct PIController: Hashable, Sendable {
    /// α: the proportional exponent, times k. 0.7 by default.
    public var proportional: Double
    /// β: the integral exponent, times k. 0.4 by default.
    public var integral: Double
    /// The safety factor, 0.9 by default.
    public var safety: Double
    /// The least factor by which a step may shrink, 0.2 by default.
    public var minimumFactor: Double
    /// The largest factor by which a step may grow, 10 by default.
    public var maximumFactor: Double

    /// A PI controller; the defaults are those of Hairer & Wanner.
    public init(proportional: Double = 0.7, integral: Double = 0.4, safety: Double = 0.9, minimumFactor: Double = 0.2, maximumFactor: Double = 10) {
        self.proportional = proportional
        self.integral = integral
        self.safety = safety
        self.minimumFactor = minimumFactor
        self.maximumFactor = maximumFactor
    }

    /// The factor for the next step after an accepted one with error norm `error`
    /// (previous accepted `previousError`), for an embedded method of order `embeddedOrder`.
    public func acceptedFactor(error: Double, previousError: Double, embeddedOrder: Int) -> Double {
        let k = Double(embeddedOrder + 1)
        let e = Swift.max(error, 1e-10)
        let factor = safety * pow(e, -proportional / k) * pow(previousError, integral / k)
        return Swift.min(maximumFactor, Swift.max(minimumFactor, factor))
    }

    /// The factor for retrying a rejected step with error norm `error` > 1.
    public func rejectedFactor(error: Double, embeddedOrder: Int) -> Double {
        let k = Double(embeddedOrder + 1)
        return Swift.min(1, Swift.max(minimumFactor, safety * pow(error, -1 / k)))
    }
}
