import CheckpointSchedules

/// What a reversal on two threads would run for a memory budget: `rewind plan --threads 2`.
///
/// The states the budget holds, less the working states (the driver's `reservedStates` and
/// the second thread's three), are shared by checkpoints and the hand-off queue. The
/// pipelined checkpoint tree (`PipelinedReversal.best(steps:states:reverseCost:walks:)`) is
/// planned whenever one fits, and its time predicted by playing it as two threads
/// (`ParallelStreamSimulator`); below that, `ParallelReversalLayout(steps:states:reverseCost:)`
/// and its own model. The prediction is shown beside one thread's Revolve with the same
/// budget and the store-all ideal (n advances and n reverses, unlimited memory).
///
/// ```swift
/// let report = try ParallelPlanReport(steps: 10_000, stateSize: .bytes(32_768), memory: .bytes(2_424_832),
///                                     reservedStates: 10, advanceTime: 16e-6, reverseTime: 44e-6)
/// print(report.rendered(as: .text))
/// ```
public struct ParallelPlanReport: Sendable {
    /// n.
    public var steps: Int
    /// The states the budget leaves for checkpoints and the hand-off queue.
    public var states: Int
    /// The segment layout, when no pipelined tree fits.
    public var layout: ParallelReversalLayout?
    /// The pipelined tree chosen, when one fits.
    public var tree: PipelinedReversal?
    /// Predicted seconds on two threads.
    public var predictedSeconds: Double
    /// Predicted seconds of one thread's Revolve with `states + 3` slots (the same budget).
    public var oneThreadSeconds: Double
    /// n advances and n reverses: store-all with unlimited memory.
    public var storeAllSeconds: Double

    /// Plans the two-thread reversal.
    ///
    /// - Throws: ``InspectorError/planning(_:)`` when the budget leaves fewer than two states.
    public init(
        steps n: Int, stateSize: ByteCount, memory: ByteCount, reservedStates: Int, advanceTime: Double, reverseTime: Double
    ) throws(InspectorError) {
        let fitting = memory.bytes / Swift.max(1, stateSize.bytes) - reservedStates
        steps = n
        states = fitting - 3
        guard states >= 2 else {
            throw .planning(.invalidProblem(
                "two threads need \(reservedStates + 5) states of \(stateSize) (the working states, the second thread's three, "
                    + "one checkpoint and one queued state), but --memory \(memory) holds \(memory.bytes / Swift.max(1, stateSize.bytes)); "
                    + "raise --memory to at least \(ByteCount((reservedStates + 5) * stateSize.bytes)) or pass --threads 1"))
        }
        do {
            let rho = reverseTime / advanceTime
            tree = try PipelinedReversal.best(steps: n, states: states, reverseCost: rho)
            if let tree {
                layout = nil
                predictedSeconds = tree.predictedTime(reverseCost: rho) * advanceTime
            } else {
                let layout = try ParallelReversalLayout(steps: n, states: states, reverseCost: rho)
                self.layout = layout
                let sweep = try layout.predictedReverseSweep(reverseCost: rho) * advanceTime
                predictedSeconds = Double(n - 1) * advanceTime + reverseTime + sweep
            }
            let slots = Swift.max(1, Swift.min(fitting, n))
            oneThreadSeconds = Double(try BinomialCheckpointing.minimalAdvances(steps: n, slots: slots)) * advanceTime
                + Double(n) * reverseTime
        } catch {
            throw .planning(.invalidProblem("a two-thread layout for \(n) steps and \(states) states: \(error)"))
        }
        storeAllSeconds = Double(n) * (advanceTime + reverseTime)
    }

    /// The plan's name, its live checkpoints at most, its queue, and its shape for CSV.
    var summary: (name: String, peak: Int, depth: Int, segments: Int, innerSlots: Int, branching: [Int]) {
        if let tree { return ("\(tree)", tree.peakSlots, tree.handOffDepth, tree.branching.first ?? 1, 0, tree.branching) }
        let layout = layout!
        return ("\(layout)", layout.peakSlots, layout.handOffDepth, layout.segmentCount, layout.innerSlots, [])
    }

    /// The report as text or JSON (CSV: one row).
    public func rendered(as format: OutputFormat) -> String {
        let (name, peak, depth, segments, innerSlots, branching) = summary
        switch format {
        case .text:
            return """
            Two threads: \(name)
              states for checkpoints and hand-off queue: \(states) (live checkpoints ≤ \(peak), queue \(depth))
              predicted: \(Format.seconds(predictedSeconds)) (one thread, same budget: \(Format.seconds(oneThreadSeconds)); \
            store-all ideal: \(Format.seconds(storeAllSeconds)); ratio to store-all \(Format.decimal(predictedSeconds / storeAllSeconds, digits: 2)))
            """
        case .json:
            let shape = branching.map(String.init).joined(separator: ", ")
            return "{\"threads\": 2, \"layout\": \"\(name)\", \"branching\": [\(shape)], \"segments\": \(segments), \"innerSlots\": \(innerSlots), "
                + "\"handOffDepth\": \(depth), \"states\": \(states), \"peakCheckpoints\": \(peak), "
                + "\"predictedSeconds\": \(predictedSeconds), \"oneThreadSeconds\": \(oneThreadSeconds), \"storeAllSeconds\": \(storeAllSeconds)}"
        case .csv:
            return "threads,branching,segments,innerSlots,handOffDepth,states,peakCheckpoints,predictedSeconds,oneThreadSeconds,storeAllSeconds\n"
                + "2,\(branching.map(String.init).joined(separator: "x")),\(segments),\(innerSlots),\(depth),\(states),\(peak),\(predictedSeconds),\(oneThreadSeconds),\(storeAllSeconds)"
        }
    }
}
