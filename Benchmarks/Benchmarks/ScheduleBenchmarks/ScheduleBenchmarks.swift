// Schedule generation and simulation throughput.
//
//     swift package --package-path Benchmarks benchmark --target ScheduleBenchmarks
//
// Target: Revolve with n = 10^7, s = 100 generated and simulated in under 0.5 s on one core,
// release build (0.35 s measured; `schedule-speed-report` prints it with the load average).
import Benchmark
import CheckpointSchedules

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxIterations: 5)

    Benchmark("Revolve n=10^7 s=100: generate") { benchmark in
        var count = 0
        for action in try Revolve(steps: 10_000_000, slots: 100) {
            if case .reverse = action { count += 1 }
        }
        blackHole(count)
    }

    Benchmark("Revolve n=10^7 s=100: generate + simulate") { benchmark in
        let stats = try ScheduleSimulator.run(Revolve(steps: 10_000_000, slots: 100))
        let optimum = try BinomialCheckpointing.minimalAdvances(steps: 10_000_000, slots: 100)
        precondition(stats.advances == optimum, "revolve performed \(stats.advances) advances, not t(n, s) = \(optimum)")
        blackHole(stats)
    }

    Benchmark("Periodic n=10^7 k=1000: generate + simulate") { benchmark in
        blackHole(try ScheduleSimulator.run(Periodic(steps: 10_000_000, period: 1000)))
    }
}
