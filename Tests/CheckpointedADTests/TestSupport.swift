import _Differentiation
@testable import CheckpointedAD
import RewindTestSupport

extension Vector {
    /// A vector of `count` uniform numbers in −1…1.
    static func random(count: Int, using generator: inout SplitMix64) -> Vector {
        Vector((0..<count).map { _ in Double.random(in: -1...1, using: &generator) })
    }
}

/// The relative difference |a − b| / max(|a|, |b|, tiny).
func relativeDifference(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / Swift.max(abs(a), abs(b), 1e-300)
}

/// The directional derivative of `f` at `x` along `v` by central differences.
func centralDifference(_ f: (Vector) -> Double, at x: Vector, along v: Vector, h: Double = 1e-6) -> Double {
    (f(Vector.axpy(h, v, x)) - f(Vector.axpy(-h, v, x))) / (2 * h)
}

/// A nonlinear test step that neither forgets its initial state nor blows up over a few
/// hundred steps: x[i+1] = x + h·(0.3·a·roll(x) − 0.2·x + 0.05·x·roll(x, −1) + (i mod 3)/10).
@differentiable(reverse)
func nonlinearStep(_ x: Vector, _ a: Double, _ i: Int) -> Vector {
    let drift = (0.3 * a) * x.rolled(by: 1) - 0.2 * x + 0.05 * (x * x.rolled(by: -1)) + Double(i % 3) / 10
    return x + 0.02 * drift
}

/// Runs `step` n times from `x` (plain, no driver): the reference forward computation.
func iterate<P>(_ step: (Vector, P, Int) -> Vector, from x: Vector, parameters p: P, steps n: Int) -> Vector {
    var x = x
    for i in 0..<n { x = step(x, p, i) }
    return x
}

extension CheckpointingOptions {
    /// Options that keep a two-thread reversal on two threads for these tests' microsecond
    /// steps (and leave the step unmeasured, so step logs see only the run's calls).
    static var keepingTwoThreads: CheckpointingOptions {
        var options = CheckpointingOptions()
        options.minimumAdvanceSecondsForSecondThread = 0
        return options
    }
}
