#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds one step costs, for the planner: an advance (untaped step) and a reverse
/// (taped step plus its pullback).
///
/// ```swift
/// let result = try valueWithCheckpointedGradient(
///     at: x0, parameters: p, steps: n,
///     checkpointing: .planned(memory: .megabytes(64), disk: .gigabytes(1),
///                             stepTimes: StepTimes(advance: 2e-3, reverse: 6e-3)),
///     step: f, loss: l)
/// ```
public struct StepTimes: Hashable, Sendable {
    /// Seconds for one advance.
    public var advance: Double
    /// Seconds for one reverse.
    public var reverse: Double

    /// Step times in seconds.
    public init(advance: Double, reverse: Double) {
        self.advance = advance
        self.reverse = reverse
    }

    /// Times the step at x[0]: the median of repeated advances, taped steps and pullbacks,
    /// each kind run once to warm up and then until `budget` seconds are spent (at least
    /// once more, at most 15 times in all; ``medianSeconds(budget:maxRepetitions:_:)``), so
    /// that no step is judged by its first, cold run. A reverse is a taped step (the
    /// pullback-only function when the step has one, as in every reverse but the first) plus
    /// its pullback, applied to the first loss
    /// term's gradient at x[1] (evaluated as at the term's first step); with no loss term
    /// the pullback is assumed to cost one advance.
    ///
    /// - Complexity: 2 to 15 of each (advance, taped step, pullback): about 3 × `budget`
    ///   seconds plus six steps, and one loss gradient.
    static func measure<State, Parameters, SC, PC>(
        _ step: CheckpointedStep<State, Parameters, SC, PC>, at x0: State, parameters p: Parameters,
        losses: [CheckpointedLoss<State, Parameters, SC, PC>] = [], steps n: Int = 1, budget: Double = 2e-3
    ) -> StepTimes {
        let advance = medianSeconds(budget: budget, maxRepetitions: 15) { withExtendedLifetime(step.forward(x0, p, 0)) {} }
        let taped = medianSeconds(budget: budget, maxRepetitions: 15) {
            if let pullbackOnly = step.pullback {
                withExtendedLifetime(pullbackOnly(x0, p, 0)) {}
            } else {
                withExtendedLifetime(step.valueWithPullback(x0, p, 0)) {}
            }
        }
        guard let loss = losses.first, let lossStep = loss.steps.first(steps: n) else {
            return StepTimes(advance: advance, reverse: taped + advance)
        }
        let (x1, pullback) = step.valueWithPullback(x0, p, 0)
        let seed = loss.valueWithGradient(x1, p, lossStep).state
        let pulledBack = medianSeconds(budget: budget, maxRepetitions: 15) { withExtendedLifetime(pullback(seed)) {} }
        return StepTimes(advance: advance, reverse: taped + pulledBack)
    }
}

extension LossSteps {
    /// The first step in 0…n that carries a loss term, or nil when none does.
    ///
    /// - Complexity: O(1), or O(size of the set) for ``at(_:)``.
    func first(steps n: Int) -> Int? {
        switch self {
        case .final: n
        case .all: 0
        case let .every(k): k >= 1 && k <= n ? k : nil
        case let .at(set): set.filter { $0 >= 0 && $0 <= n }.min()
        }
    }
}

/// The median wall-clock seconds of `body` after a first, cold run that does not count
/// (first-touch page faults, empty caches: a 160 KB Lorenz-96 step took 17 ms cold and
/// 0.2 ms warm): it runs at least twice, then again while fewer than `budget` seconds have
/// been spent and fewer than `maxRepetitions` runs made. At least 1 ns.
func medianSeconds(budget: Double, maxRepetitions: Int, _ body: () -> Void) -> Double {
    precondition(maxRepetitions >= 2, "time a warm-up run and at least one more, got \(maxRepetitions) repetitions")
    body()
    var samples: [Double] = []
    var spent = 0.0
    repeat {
        let start = monotonicNow()
        body()
        let elapsed = monotonicNow() - start
        samples.append(elapsed)
        spent += elapsed
    } while spent < budget && samples.count < maxRepetitions - 1
    samples.sort()
    let middle = samples.count / 2
    let median = samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
    return Swift.max(median, 1e-9)
}

/// Monotonic seconds.
private func monotonicNow() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
