import _Differentiation
import Foundation
import Rewind

/// `rewind demo --disk`: Lorenz-96 through the driver's planned gradient over memory and
/// disk (the planner picks store-all, revolve or the two-level schedule, slots and codec),
/// checked bitwise against store-all and against a central finite difference in F.
struct DiskDemo {
    var sites: Int
    var steps: Int
    var horizon: Double
    var memory: Int
    var disk: Int
    var compression: Bool
    var trace: String?

    let forcing = 8.0

    func run(progress: ProgressBar) throws -> (text: String, passed: Bool) {
        let dt = horizon / Double(steps)
        let x0 = Lorenz96Step.initialState(sites: sites, forcing: forcing)
        var options = CheckpointingOptions()
        options.progress = { progress.update($0) }
        options.recordsTrace = trace != nil
        let clock = ContinuousClock()
        var planned: PlannedCheckpointedGradient<Vector, Vector, Double>?
        let plannedTime = try clock.measure {
            planned = try gradient(
                at: x0, parameters: forcing, steps: steps, memory: .bytes(memory), disk: DiskBudget(bytes: disk),
                compression: compression ? .shuffledZstd(level: 1) : nil, options: options,
                step: { x, f, _ in Lorenz96Step.rk4(x, f, dt) }, loss: { $0.halfSquaredNorm() })
        }
        progress.finish()
        let result = planned!
        var storeAll: CheckpointedGradient<Vector, Vector, Double>?
        let storeAllTime = try clock.measure {
            storeAll = try gradient(at: x0, parameters: forcing, steps: steps, memory: .unlimited,
                                    step: { x, f, _ in Lorenz96Step.rk4(x, f, dt) }, loss: { $0.halfSquaredNorm() })
        }
        let g = result.gradient
        let reference = storeAll!
        let bitwise = g.value == reference.value && g.state == reference.state && g.parameters == reference.parameters
        let h = 1e-6 * forcing
        let fd = (Lorenz96Step.loss(sites: sites, forcing: forcing + h, steps: steps, dt: dt, initialForcing: forcing)
            - Lorenz96Step.loss(sites: sites, forcing: forcing - h, steps: steps, dt: dt, initialForcing: forcing)) / (2 * h)
        let fdError = abs(g.parameters - fd) / max(abs(fd), 1e-300)
        if let trace, let recorded = g.trace {
            do { try JSONEncoder().encode(recorded).write(to: URL(fileURLWithPath: trace)) } catch {
                throw InspectorError.cannotWrite(path: trace, reason: (error as NSError).localizedDescription)
            }
        }

        let s = g.statistics
        let stateBytes = s.stateBytes
        let slots = s.capacities.values.reduce(0, +)
        var lines = [
            "Lorenz-96, N = \(sites), RK4, n = \(steps), T = \(Format.decimal(horizon, digits: 3)): gradient of ½‖x(T)‖² with respect to x0 and F",
            "  loss L = \(g.value), dL/dF = \(g.parameters)",
            "budgets: memory \(Format.bytes(memory)), disk \(Format.bytes(disk))\(compression ? ", shuffle+zstd offered" : ""); "
                + "storing all \(steps + 1) states of \(Format.bytes(stateBytes)) would need \(Format.bytes((steps + 1) * stateBytes))",
            "plan: \(result.plan.decision.summary)",
            "  advances \(s.advances) (recording \(s.recordingAdvances), recomputation \(s.recomputationAdvances)), reverses \(s.reverses), "
                + StorageLevel.allCases.compactMap { l in s.stores[l].map { "\(l) stores \($0), restores \(s.restores[l] ?? 0)" } }.joined(separator: ", ")
                + "; \(slots) slots in all, peak checkpoint memory \(Format.bytes(s.peakCheckpointBytes))",
        ]
        if let io = result.storage[.disk] {
            lines.append("  disk: \(Format.bytes(io.bytesWritten)) written, \(Format.bytes(io.bytesRead)) read"
                + (io.encodedBytesStored > 0 ? ", compression ratio \(Format.decimal(Double(io.rawBytesEncoded) / Double(io.encodedBytesStored), digits: 2))" : "")
                + ", \(io.restoresFromReadAhead) of \(io.restores) restores read ahead, waited \(Format.seconds(io.waitSeconds))")
        }
        lines += [
            "  [\(bitwise ? "ok" : "FAIL")] planned gradient == store-all gradient (bitwise)",
            "  [\(fdError <= 1e-4 ? "ok" : "FAIL")] dL/dF vs central finite difference: error \(fdError) (tolerance 0.0001)",
            "time: planned gradient \(Format.seconds(seconds(plannedTime))), store-all gradient \(Format.seconds(seconds(storeAllTime)))",
        ]
        if let trace { lines.append("trace written to \(trace): rewind trace \(trace)") }
        let passed = bitwise && fdError <= 1e-4
        lines.append(passed ? "all checks passed" : "SOME CHECKS FAILED")
        return (lines.joined(separator: "\n"), passed)
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
