extension ODESolution {
    /// The same solution with another adjoint strategy: what an example uses to compare one
    /// strategy's gradient with another's without solving again.
    package init(copying other: ODESolution, adjoint: AdjointMethod) {
        self.init(
            problem: other.problem, method: other.method, span: other.span, grid: other.grid, finalState: other.finalState,
            saveTimes: other.saveTimes, savedStates: other.savedStates, statistics: other.statistics, adjoint: adjoint)
    }
}
