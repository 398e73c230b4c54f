/// The line search of Moré & Thuente (1994), "Line search algorithms with guaranteed
/// sufficient decrease", ACM TOMS 20(3), doi:10.1145/192115.192132 — the MINPACK-2
/// `dcsrch`/`dcstep` pair that L-BFGS-B calls, written as a value with a `next` method.
///
/// It looks for a step α in [α_min, α_max] satisfying the strong Wolfe conditions
///     φ(α) ≤ φ(0) + ftol·α·φ′(0)   and   |φ′(α)| ≤ gtol·|φ′(0)|,
/// keeping an interval of uncertainty [stx, sty] and choosing trial steps by safeguarded
/// cubic and quadratic interpolation (the four cases of `dcstep`).
///
/// ```swift
/// var search = MoreThuenteLineSearch(value: f0, slope: g0, step: 1, maximumStep: 10)
/// while case .evaluate(let α) = search.state { search.next(value: φ(α), slope: φ′(α)) }
/// ```
struct MoreThuenteLineSearch: Sendable {
    enum State: Equatable, Sendable {
        /// Evaluate φ and φ′ at this step and call ``next(value:slope:)``.
        case evaluate(Double)
        /// The strong Wolfe conditions hold at this step.
        case converged(Double)
        /// No further progress possible (rounding, interval too small, or a bound on the step
        /// reached); the step is the best found so far.
        case warning(Double, String)
    }

    let ftol: Double, gtol: Double, xtol: Double
    let minimumStep: Double, maximumStep: Double
    private(set) var state: State

    private var bracketed = false
    private var stage = 1
    private let initialValue: Double, initialSlope: Double, gtest: Double
    private var width: Double, previousWidth: Double
    private var stx = 0.0, fx: Double, gx: Double
    private var sty = 0.0, fy: Double, gy: Double
    private var stmin = 0.0, stmax: Double
    private var step: Double

    /// Starts a search at φ(0) = `value`, φ′(0) = `slope` < 0 with first trial `step`.
    init(value: Double, slope: Double, step: Double, minimumStep: Double = 0, maximumStep: Double,
         ftol: Double = 1e-3, gtol: Double = 0.9, xtol: Double = 0.1) {
        precondition(slope < 0, "a line search needs a descent direction, got slope \(slope)")
        precondition(step > 0 && step <= maximumStep && minimumStep >= 0,
                     "a line search needs 0 ≤ αmin, 0 < α ≤ αmax, got α \(step) in [\(minimumStep), \(maximumStep)]")
        self.ftol = ftol; self.gtol = gtol; self.xtol = xtol
        self.minimumStep = minimumStep; self.maximumStep = maximumStep
        initialValue = value; initialSlope = slope; gtest = ftol * slope
        width = maximumStep - minimumStep; previousWidth = width / 0.5
        fx = value; gx = slope; fy = value; gy = slope
        stmax = step + 4 * step
        self.step = step
        state = .evaluate(step)
    }

    /// Feeds φ(α) and φ′(α) at the step last requested and decides the next state.
    mutating func next(value f: Double, slope g: Double) {
        guard case .evaluate = state else { preconditionFailure("the line search already finished: \(state)") }
        let ftest = initialValue + step * gtest
        if stage == 1 && f <= ftest && g >= 0 { stage = 2 }
        if bracketed && (step <= stmin || step >= stmax) { state = .warning(stx, "rounding errors prevent progress"); return }
        if bracketed && stmax - stmin <= xtol * stmax { state = .warning(stx, "interval of uncertainty below xtol"); return }
        if step == maximumStep && f <= ftest && g <= gtest { state = .warning(step, "step at the maximum"); return }
        if step == minimumStep && (f > ftest || g >= gtest) { state = .warning(step, "step at the minimum"); return }
        if f <= ftest && abs(g) <= gtol * (-initialSlope) { state = .converged(step); return }

        var (sx, sfx, sgx, sy, sfy, sgy) = (stx, fx, gx, sty, fy, gy)
        if stage == 1 && f <= sfx && f > ftest {
            // The modified function ψ(α) = φ(α) − φ(0) − ftol·α·φ′(0) (Moré–Thuente §3).
            var fxm = sfx - sx * gtest, gxm = sgx - gtest
            var fym = sfy - sy * gtest, gym = sgy - gtest
            takeStep(&sx, &fxm, &gxm, &sy, &fym, &gym, f - step * gtest, g - gtest)
            sfx = fxm + sx * gtest; sfy = fym + sy * gtest
            sgx = gxm + gtest; sgy = gym + gtest
        } else {
            takeStep(&sx, &sfx, &sgx, &sy, &sfy, &sgy, f, g)
        }
        (stx, fx, gx, sty, fy, gy) = (sx, sfx, sgx, sy, sfy, sgy)
        if bracketed {
            if abs(sty - stx) >= 0.66 * previousWidth { step = stx + 0.5 * (sty - stx) }
            previousWidth = width
            width = abs(sty - stx)
        }
        if bracketed {
            stmin = Swift.min(stx, sty); stmax = Swift.max(stx, sty)
        } else {
            stmin = step + 1.1 * (step - stx); stmax = step + 4 * (step - stx)
        }
        step = Swift.min(Swift.max(step, minimumStep), maximumStep)
        if bracketed && (step <= stmin || step >= stmax || stmax - stmin <= xtol * stmax) { step = stx }
        state = .evaluate(step)
    }

    /// `dcstep`: updates the interval [stx, sty] with the trial (step, fp, dp) and computes
    /// the next trial step by safeguarded interpolation, extrapolating no further than the
    /// current [stmin, stmax] (as `dcsrch` passes them to `dcstep`).
    private mutating func takeStep(
        _ stx: inout Double, _ fx: inout Double, _ dx: inout Double,
        _ sty: inout Double, _ fy: inout Double, _ dy: inout Double,
        _ fp: Double, _ dp: Double
    ) {
        let stp = step
        let sgnd = dp * (dx / abs(dx))
        var stpf: Double
        if fp > fx {
            // Case 1: higher value; the minimum is bracketed.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(abs(theta), abs(dx), abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp < stx { gamma = -gamma }
            let p = (gamma - dx) + theta
            let q = ((gamma - dx) + gamma) + dp
            let stpc = stx + (p / q) * (stp - stx)
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx)
            stpf = abs(stpc - stx) < abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2
            bracketed = true
        } else if sgnd < 0 {
            // Case 2: derivatives of opposite sign; the minimum is bracketed.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(abs(theta), abs(dx), abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = ((gamma - dp) + gamma) + dx
            let stpc = stp + (p / q) * (stx - stp)
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
            bracketed = true
        } else if abs(dp) < abs(dx) {
            // Case 3: same sign, the derivative decreases in magnitude.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(abs(theta), abs(dx), abs(dp))
            var gamma = s * Swift.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = (gamma + (dx - dp)) + gamma
            let r = p / q
            let stpc: Double
            if r < 0 && gamma != 0 { stpc = stp + r * (stx - stp) }
            else if stp > stx { stpc = stmax }
            else { stpc = stmin }
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if bracketed {
                stpf = abs(stpc - stp) < abs(stpq - stp) ? stpc : stpq
                stpf = stp > stx ? Swift.min(stp + 0.66 * (sty - stp), stpf) : Swift.max(stp + 0.66 * (sty - stp), stpf)
            } else {
                stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
                stpf = Swift.max(stmin, Swift.min(stmax, stpf))
            }
        } else {
            // Case 4: same sign, the derivative does not decrease.
            if bracketed {
                let theta = 3 * (fp - fy) / (sty - stp) + dy + dp
                let s = Swift.max(abs(theta), abs(dy), abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dy / s) * (dp / s)).squareRoot()
                if stp > sty { gamma = -gamma }
                let p = (gamma - dp) + theta
                let q = ((gamma - dp) + gamma) + dy
                stpf = stp + (p / q) * (sty - stp)
            } else {
                stpf = stp > stx ? stmax : stmin
            }
        }
        if fp > fx {
            sty = stp; fy = fp; dy = dp
        } else {
            if sgnd < 0 { sty = stx; fy = fx; dy = dx }
            stx = stp; fx = fp; dx = dp
        }
        step = stpf
    }
}
