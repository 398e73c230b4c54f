/// A first-in first-out queue of at most four actions, stored inline.
///
/// Lazy schedule generators expand one unit of work (a segment, a step) into a handful of
/// actions and hand them out one by one; an `Array` here costs a uniqueness check and a
/// `removeAll` per unit, which dominated revolve's generation time.
struct PendingActions {
    private var first: CheckpointAction = .endReverse
    private var second: CheckpointAction = .endReverse
    private var third: CheckpointAction = .endReverse
    private var fourth: CheckpointAction = .endReverse
    private var count = 0
    private var nextIndex = 0

    /// True when every appended action has been taken.
    var isEmpty: Bool { nextIndex == count }

    /// Appends an action; at most four may be pending between two `reset`s.
    mutating func append(_ action: CheckpointAction) {
        switch count {
        case 0: first = action
        case 1: second = action
        case 2: third = action
        case 3: fourth = action
        default: preconditionFailure("at most four actions may be pending, got a fifth: \(action)")
        }
        count += 1
    }

    /// Takes the oldest pending action; when the last one is taken the queue empties.
    mutating func removeFirst() -> CheckpointAction {
        let action: CheckpointAction
        switch nextIndex {
        case 0: action = first
        case 1: action = second
        case 2: action = third
        default: action = fourth
        }
        nextIndex += 1
        if nextIndex == count {
            nextIndex = 0
            count = 0
        }
        return action
    }
}
