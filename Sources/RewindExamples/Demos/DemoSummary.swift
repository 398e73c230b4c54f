import CheckpointSchedules
import ScheduleInspector

/// The demo's printout: the library's own report, then what the budget bought.
struct DemoSummary {
    var result: ODEExampleResult
    var stateBytes: Int
    /// The memory budget in bytes, the adjoint's working set included.
    var budget: Int

    var text: String {
        let s = result.checkpointing
        let n = s.steps
        let slots = s.capacities.values.reduce(0, +)
        let storeAll = (n + 1) * stateBytes
        var lines = [result.description, ""]
        lines.append("memory budget \(Format.bytes(budget)), working set included: \(slots) checkpoint slots of \(Format.bytes(s.stateBytes)); "
            + "storing all \(n + 1) states would need \(Format.bytes(storeAll)) (\(Format.decimal(Double(storeAll) / Double(max(1, budget)), digits: 1))× the budget)")
        let optimal = (try? BinomialCheckpointing.minimalAdvances(steps: n, slots: max(1, slots))).map(String.init) ?? "?"
        lines.append("advances \(s.advances) = t(\(n), \(slots)) = \(optimal) (recording \(s.recordingAdvances), recomputation \(s.recomputationAdvances)), "
            + "reverses \(s.reverses), stores \(s.totalStores), restores \(s.totalRestores), peak checkpoint memory \(Format.bytes(s.peakCheckpointBytes))")
        lines.append("time: forward solve \(Format.seconds(result.forwardSeconds)), gradient \(Format.seconds(result.gradientSeconds)) "
            + "(\(Format.decimal(result.gradientSeconds / max(result.forwardSeconds, 1e-300), digits: 1))× the solve): recording \(Format.seconds(s.recordingSeconds)), "
            + "recomputation \(Format.seconds(s.recomputationSeconds)), reverse \(Format.seconds(s.reverseSeconds)) (stores and restores are charged to the phase they happen in)")
        lines.append(result.passed ? "all checks passed" : "SOME CHECKS FAILED")
        return lines.joined(separator: "\n")
    }
}

/// The optimal-control demo's printout: the library's summary, the bitwise comparison with
/// the store-all solve, and the checkpointing counts of the last gradient.
struct ControlDemoSummary {
    var checkpointed: ControlDemoResult
    var storeAll: ControlDemoResult
    var stateBytes: Int

    /// The checkpointed solve took the same path as store-all: same objective, controls and
    /// iterations, bit for bit (its gradients were bitwise equal at every iterate).
    var identical: Bool {
        let (a, b) = (checkpointed.solution, storeAll.solution)
        return a.objective == b.objective && a.controls == b.controls && a.iterations == b.iterations
    }

    var passed: Bool { identical }

    var text: String {
        let s = checkpointed.solution
        var lines = [checkpointed.summary, ""]
        lines.append("[\(identical ? "ok" : "FAIL")] checkpointed solve == store-all solve (bitwise objective, controls and iterations)")
        if let g = s.gradientStatistics {
            let slots = g.capacities.values.reduce(0, +)
            let optimal = (try? BinomialCheckpointing.minimalAdvances(steps: g.steps, slots: Swift.max(1, slots))).map(String.init) ?? "?"
            lines.append("each gradient: \(slots) checkpoint slots for \(g.steps) steps; advances \(g.advances) = t(\(g.steps), \(slots)) = \(optimal), reverses \(g.reverses)")
            lines.append("peak checkpoint memory \(Format.bytes(s.peakCheckpointBytes)); storing all \(g.steps + 1) states would need "
                + Format.bytes((g.steps + 1) * Swift.max(g.stateBytes, stateBytes)))
        }
        lines.append("time: checkpointed solve \(Format.seconds(checkpointed.seconds)), store-all solve \(Format.seconds(storeAll.seconds))")
        lines.append(passed ? "all checks passed" : "SOME CHECKS FAILED")
        return lines.joined(separator: "\n")
    }
}
