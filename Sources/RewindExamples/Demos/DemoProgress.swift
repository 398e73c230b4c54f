import CheckpointedAD

/// Where a demo reports how far it has come: the CLI draws a progress bar on stderr.
package protocol DemoProgress {
    /// The reverse sweep has reversed `fractionReversed` of the steps after `advances`
    /// advances and `elapsedSeconds` seconds.
    func update(fractionReversed: Double, advances: Int, elapsedSeconds: Double)
    /// A free-form status (an optimiser's iteration, say).
    func update(status: String)
    /// The run whose progress was shown has ended.
    func finish()
}

extension DemoProgress {
    /// Shows a checkpointed run's progress.
    func update(_ progress: CheckpointingProgress) {
        update(fractionReversed: progress.fractionReversed, advances: progress.advances, elapsedSeconds: progress.elapsedSeconds)
    }
}
