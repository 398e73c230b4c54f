import _Differentiation
import CheckpointSchedules
import CheckpointStorage
import Testing
@testable import CheckpointedAD

/// The strategy value and its one resolver: every strategy gives the store-all gradient bit
/// for bit, online runs get every option an offline run gets, and every budget is accepted
/// or refused with a typed error.
@Suite struct CheckpointingTests {
    static let x0 = Vector([0.4, -0.3, 0.2, 0.1])
    static let steps = 73

    static func gradient(_ checkpointing: Checkpointing<Vector>, options: CheckpointingOptions = CheckpointingOptions())
        throws -> CheckpointedGradient<Vector, Vector, Double>
    {
        try valueWithCheckpointedGradient(
            at: x0, parameters: 0.7, steps: steps, checkpointing: checkpointing, options: options,
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
    }

    @Test func everyStrategyEqualsStoreAllBitwise() throws {
        let reference = try Self.gradient(.storeAll)
        let strategies: [(String, Checkpointing<Vector>)] = [
            ("revolve slots", .revolve(memory: .slots(5))),
            ("revolve bytes", .revolve(memory: .bytes(CheckpointingOptions().workingBytes(steps: Self.steps, stateBytes: 32) + 6 * 32))),
            ("revolve unlimited", .revolve(memory: .unlimited)),
            ("schedule", .schedule(try Periodic(steps: Self.steps, period: 9))),
            ("online", .online(memory: .slots(4))),
            ("online Wang", .online(OnlineWang(slots: 3))),
            ("planned", .planned(memory: .megabytes(1), disk: .megabytes(1), stepTimes: StepTimes(advance: 1e-6, reverse: 3e-6))),
        ]
        for (name, strategy) in strategies {
            let g = try Self.gradient(strategy)
            #expect(g.value == reference.value, "\(name)")
            #expect(g.initialState == reference.initialState, "\(name)")
            #expect(g.parameters == reference.parameters, "\(name)")
            #expect(g.finalState == reference.finalState, "\(name)")
            #expect(g.statistics.steps == Self.steps && g.statistics.reverses == Self.steps, "\(name)")
        }
    }

    /// An online run plays through the same sweep as an offline one: observation losses,
    /// the determinism and finiteness checks, a trace the simulator accepts, and progress.
    @Test func onlineRunsGetEveryOption() throws {
        let misfit = CheckpointedLoss<Vector, Double, Vector, Double>(at: .every(10)) { x, p, i in
            (x - Vector(repeating: Double(i) / 100, count: 4)).halfSquaredNorm() * p
        }
        var options = CheckpointingOptions()
        options.checksDeterminism = true
        options.checksFiniteness = true
        options.recordsTrace = true
        var reports: [CheckpointingProgress] = []
        options.progress = { reports.append($0) }
        let n = 120
        let online = try valueWithCheckpointedGradient(
            at: Self.x0, parameters: 0.7, steps: 10_000, checkpointing: .online(memory: .slots(5), until: { _, i in i == n }),
            options: options, step: CheckpointedStep(nonlinearStep), losses: [misfit, .final { $0.halfSquaredNorm() }])
        let reference = try valueWithCheckpointedGradient(
            at: Self.x0, parameters: 0.7, steps: n, checkpointing: .storeAll,
            step: CheckpointedStep(nonlinearStep), losses: [misfit, .final { $0.halfSquaredNorm() }])
        #expect(online.value == reference.value)
        #expect(online.initialState == reference.initialState && online.parameters == reference.parameters)
        let trace = try #require(online.trace)
        #expect(trace.steps == n)
        #expect(trace.events.filter { $0.kind == .reverse }.count == n)
        #expect(reports.last?.stepsReversed == n && reports.last?.steps == n)
        #expect(reports.count > 2)
    }

    /// A non-deterministic step is caught during an online run's reversal too.
    @Test func onlineDeterminismCheckCatchesADifferentRecomputation() throws {
        final class Counter { var calls = 0 }
        let counter = Counter()
        let flaky = CheckpointedStep<Vector, Double, Vector, Double>(
            forward: { x, a, i in
                counter.calls += 1
                return nonlinearStep(x, a, i) + (counter.calls == 150 ? 1e-12 : 0)
            },
            valueWithPullback: { x, a, i in valueWithPullback(at: x, a) { x, a in nonlinearStep(x, a, i) } })
        var options = CheckpointingOptions()
        options.checksDeterminism = true
        #expect(throws: CheckpointingError.self) {
            try valueWithCheckpointedGradient(
                at: Self.x0, parameters: 0.7, steps: 100, checkpointing: .online(memory: .slots(3)), options: options,
                step: flaky, losses: [.final { $0.halfSquaredNorm() }])
        }
    }

    @Test func budgetsAreAcceptedOrRefusedWithTypedErrors() {
        #expect(throws: CheckpointingError.onlineRunNeedsBudget) { try Self.gradient(.online(memory: .unlimited)) }
        #expect(throws: CheckpointingError.schedule(.invalidSlotCount(0))) { try Self.gradient(.online(memory: .slots(0))) }
        #expect(throws: CheckpointingError.schedule(.invalidSlotCount(0))) { try Self.gradient(.revolve(memory: .slots(0))) }
        #expect(throws: CheckpointingError.negativeStepCount(-1)) {
            try valueWithCheckpointedGradient(at: Self.x0, parameters: 0.7, steps: -1, checkpointing: .online(memory: .slots(3)),
                                              step: nonlinearStep, loss: { $0.sum() })
        }
        #expect(throws: CheckpointingError.missingStore(level: .disk, slots: 4)) {
            try Self.gradient(.online(OnlineStummWalther(slots: 4, level: .disk)))
        }
        #expect(throws: CheckpointingError.self) {
            try Self.gradient(.planned(memory: .slots(4), disk: .megabytes(1)))
        }
    }

    /// A large byte budget gives an online run no more slots than its step limit.
    @Test func onlineSlotsAreCappedByTheStepLimit() throws {
        let g = try valueWithCheckpointedGradient(
            at: Self.x0, parameters: 0.7, steps: 20, checkpointing: .online(memory: .gigabytes(1)),
            step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        #expect(g.statistics.capacities[.memory] == 20)
        #expect(g.statistics.steps == 20)
    }

    /// Reserved bytes come off a byte budget before any slot, and the error names them.
    @Test func reservedBytesComeOffTheBudget() throws {
        var options = CheckpointingOptions()
        options.reservedBytes = 1000
        let working = options.workingBytes(steps: Self.steps, stateBytes: 32)
        #expect(working == CheckpointingOptions().workingBytes(steps: Self.steps, stateBytes: 32) + 1000)
        let g = try Self.gradient(.revolve(memory: .bytes(working + 3 * 32)), options: options)
        #expect(g.statistics.capacities[.memory] == 3)
        #expect(g.statistics.reservedBytes == 1000)
        let tooSmall = CheckpointingError.budgetTooSmall(budgetBytes: working, minimumBytes: working + 32, stateBytes: 32, reservedBytes: 1000)
        #expect(throws: tooSmall) { try Self.gradient(.revolve(memory: .bytes(working)), options: options) }
        #expect(tooSmall.description.contains("1000 bytes of the caller's own working set"))
    }

    /// The pullback of an online run knows n before it is called, and a second call replays
    /// with Revolve on the same slots.
    @Test func onlinePullbackReportsStepsAndReplays() throws {
        let (xn, pullback) = try valueWithCheckpointedPullback(
            at: Self.x0, parameters: 0.7, steps: 1_000,
            checkpointing: .online(memory: .slots(4), until: { x, _ in x.halfSquaredNorm() > 0.25 }),
            step: CheckpointedStep(nonlinearStep))
        let n = pullback.steps
        #expect(n > 0 && n < 1_000)
        #expect(xn == iterate(nonlinearStep, from: Self.x0, parameters: 0.7, steps: n))
        let first = try pullback(xn)
        let second = try pullback(xn)
        #expect(first.initialState == second.initialState && first.parameters == second.parameters)
        let revolve = try BinomialCheckpointing.minimalAdvances(steps: n, slots: 4)
        #expect(second.statistics.advances - first.statistics.advances == revolve)
    }

    @Test func descriptionsNameTheStrategy() throws {
        #expect("\(Checkpointing<Vector>.storeAll)" == "store-all")
        #expect("\(Checkpointing<Vector>.revolve(memory: .slots(3)))" == "revolve(memory: slots(3))")
        #expect("\(Checkpointing<Vector>.online(memory: .slots(3)))".hasPrefix("online"))
    }
}
