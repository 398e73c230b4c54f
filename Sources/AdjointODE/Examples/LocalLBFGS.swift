/// A small unconstrained L-BFGS minimiser (Nocedal & Wright, *Numerical Optimization*,
/// Alg. 7.4–7.5, doi:10.1007/978-0-387-40065-5) with a backtracking Armijo line search, for
/// the fitting example. The bound-constrained L-BFGS-B belongs to `OptimalControl`.
///
/// - Returns: the minimiser found, its value and the iterations used.
func minimizeLBFGS(
    from start: [Double], memory: Int = 8, maximumIterations: Int = 200, gradientTolerance: Double = 1e-10,
    _ objective: ([Double]) throws(ODEError) -> (value: Double, gradient: [Double])
) throws(ODEError) -> (point: [Double], value: Double, iterations: Int) {
    var x = start
    var (value, gradient) = try objective(x)
    var history: [(s: [Double], y: [Double], rho: Double)] = []
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    for iteration in 0..<maximumIterations {
        if gradient.map(abs).max() ?? 0 <= gradientTolerance { return (x, value, iteration) }
        // Two-loop recursion: direction = −H ∇f.
        var q = gradient
        var alphas: [Double] = []
        for (s, y, rho) in history.reversed() {
            let alpha = rho * dot(s, q)
            alphas.append(alpha)
            for m in q.indices { q[m] -= alpha * y[m] }
        }
        if let last = history.last {
            let gamma = dot(last.s, last.y) / dot(last.y, last.y)
            for m in q.indices { q[m] *= gamma }
        }
        for ((s, y, rho), alpha) in zip(history, alphas.reversed()) {
            let beta = rho * dot(y, q)
            for m in q.indices { q[m] += (alpha - beta) * s[m] }
        }
        var direction = q.map { -$0 }
        if dot(direction, gradient) >= 0 {
            direction = gradient.map { -$0 }
            history.removeAll()
        }
        // Backtracking Armijo line search.
        var step = 1.0
        var trial = x
        var trialValue = value
        var trialGradient = gradient
        var accepted = false
        for _ in 0..<40 {
            trial = zip(x, direction).map { $0 + step * $1 }
            do {
                (trialValue, trialGradient) = try objective(trial)
            } catch {
                step *= 0.5  // a failed solve (e.g. too many steps) counts as a bad point
                continue
            }
            if trialValue.isFinite && trialValue <= value + 1e-4 * step * dot(gradient, direction) {
                accepted = true
                break
            }
            step *= 0.5
        }
        if !accepted { return (x, value, iteration) }
        let s = zip(trial, x).map { $0 - $1 }
        let y = zip(trialGradient, gradient).map { $0 - $1 }
        let sy = dot(s, y)
        if sy > 1e-300 {
            history.append((s, y, 1 / sy))
            if history.count > memory { history.removeFirst() }
        }
        x = trial
        value = trialValue
        gradient = trialGradient
    }
    return (x, value, maximumIterations)
}
