// Timing a piece of work on one of the report clocks: once, or the least of several rounds.

/// Seconds that `body` takes on `clock`.
///
///     let write = elapsed(on: .wall) { try! store.flush() }
public func elapsed(on clock: ReportClock, _ body: () throws -> Void) rethrows -> Double {
    let start = clock.now()
    try body()
    return clock.now() - start
}

/// The seconds that `body` takes on `clock`, with its result.
public func timed<Result>(on clock: ReportClock, _ body: () throws -> Result) rethrows -> (seconds: Double, result: Result) {
    let start = clock.now()
    let result = try body()
    return (clock.now() - start, result)
}

/// The least time on `clock` of `rounds` runs of `body`, and the last run's result.
///
/// The machine is shared: the least time is the least disturbed run.
///
/// - Precondition: `rounds ≥ 1`.
public func leastOf<Result>(
    rounds: Int, on clock: ReportClock, _ body: () throws -> Result
) rethrows -> (seconds: Double, result: Result) {
    precondition(rounds >= 1, "leastOf(rounds: \(rounds)) needs at least one round")
    var least = try timed(on: clock, body)
    for _ in 1..<rounds {
        let run = try timed(on: clock, body)
        least = (Swift.min(least.seconds, run.seconds), run.result)
    }
    return least
}

/// The least time on `clock` of each of `bodies` over `rounds` rounds, run interleaved
/// (every body once, in order, then again, …), so that a change of load on the shared
/// machine hits all of them alike.
///
///     let least = try leastOfInterleaved(rounds: 5, on: .processCPU, [
///         { solution = try solve(problem) },
///         { gradient = try solution.gradient(of: loss) },
///     ])
///
/// - Returns: one least time per body, in their order.
/// - Precondition: `rounds ≥ 1`.
public func leastOfInterleaved(rounds: Int, on clock: ReportClock, _ bodies: [() throws -> Void]) throws -> [Double] {
    precondition(rounds >= 1, "leastOfInterleaved(rounds: \(rounds)) needs at least one round")
    var least = [Double](repeating: .infinity, count: bodies.count)
    for _ in 0..<rounds {
        for (index, body) in bodies.enumerated() {
            least[index] = Swift.min(least[index], try elapsed(on: clock, body))
        }
    }
    return least
}
