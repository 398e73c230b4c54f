/// What a two-thread reversal's recomputing thread hands to the reversing thread for step i:
/// x[i], and, with ``CheckpointingOptions/tapesOnRecomputingThread``, the pullback of step i
/// taped at x[i] on the recomputing thread. The reversing thread runs the pullback when it is
/// there and tapes x[i] itself when it is not; it evaluates the loss terms at x[i] either way.
///
/// - Complexity: holds one state, plus the tape the pullback captures when there is one.
@usableFromInline
struct HandedOffState<State, StateCotangent, ParameterCotangent> {
    /// x[i].
    @usableFromInline var state: State
    /// The pullback of step i at x[i], when the recomputing thread taped it.
    @usableFromInline var pullback: ((StateCotangent) -> (StateCotangent, ParameterCotangent))?

    @inlinable
    init(state: State, pullback: ((StateCotangent) -> (StateCotangent, ParameterCotangent))? = nil) {
        self.state = state
        self.pullback = pullback
    }
}
