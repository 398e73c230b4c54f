import CheckpointSchedules
import Foundation

/// The bounded queue through which a parallel reversal's recomputing thread hands states
/// x[i] to the reversing thread, in the order they will be reversed (n−2, n−3, …, 0).
///
/// One `NSCondition` guards everything; both sides sleep on it (no busy-waiting), and each
/// side signals only when the other sleeps (a full queue wakes its giver at half depth). The
/// recomputing thread can also try to hand a state over without waiting
/// (``tryHandOver(_:step:)``), so that it does other useful work while the queue is full.
/// A failure on the recomputing thread is passed through the queue to the reversing thread,
/// which rethrows it.
///
/// - Complexity: O(1) per call; at most ``depth`` states held.
@usableFromInline
final class HandOffQueue<State>: @unchecked Sendable {
    /// The most states the queue holds.
    @usableFromInline let depth: Int
    @usableFromInline let condition = NSCondition()
    // Guarded by `condition`:
    @usableFromInline var buffer: [(step: Int, state: State)?]
    @usableFromInline var head = 0
    @usableFromInline var count = 0
    @usableFromInline var failure: CheckpointingError?
    /// The most states held at once.
    @usableFromInline var peakCount = 0
    /// Seconds the reversing thread waited for a state.
    @usableFromInline var takerWaitSeconds = 0.0
    /// Seconds the recomputing thread waited for room.
    @usableFromInline var giverWaitSeconds = 0.0
    /// Whether the recomputing thread sleeps until the queue is down to ``lowWater``.
    @usableFromInline var giverWaiting = false
    /// Whether the reversing thread sleeps until a state arrives.
    @usableFromInline var takerWaiting = false

    /// A full queue wakes the recomputing thread only once it has drained to this many
    /// states, so that on a busy machine the threads trade the core in batches rather than
    /// at every state.
    @usableFromInline var lowWater: Int { depth / 2 }

    /// An empty queue of `depth` ≥ 1 states.
    @usableFromInline
    init(depth: Int) {
        precondition(depth >= 1, "a hand-off queue needs room for one state at least, got depth \(depth)")
        self.depth = depth
        self.buffer = Array(repeating: nil, count: depth)
    }

    /// Appends x[step] unless the queue is full; returns whether it did.
    @inlinable
    func tryHandOver(_ state: State, step: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard count < depth else { return false }
        append(state, step: step)
        return true
    }

    /// Appends x[step], sleeping while the queue is full.
    @inlinable
    func handOver(_ state: State, step: Int) {
        condition.lock()
        defer { condition.unlock() }
        if count == depth {
            let start = CheckpointSweep<Int, Int, Double, Double>.now()
            giverWaiting = true
            while count > lowWater { sleep() }
            giverWaiting = false
            giverWaitSeconds += CheckpointSweep<Int, Int, Double, Double>.now() - start
        }
        append(state, step: step)
    }

    /// Removes the oldest state, sleeping while the queue is empty.
    ///
    /// - Throws: the recomputing thread's failure, once the states handed before it are taken.
    @inlinable
    func take() throws(CheckpointingError) -> (step: Int, state: State) {
        condition.lock()
        defer { condition.unlock() }
        if count == 0 && failure == nil {
            let start = CheckpointSweep<Int, Int, Double, Double>.now()
            takerWaiting = true
            while count == 0 && failure == nil { sleep() }
            takerWaiting = false
            takerWaitSeconds += CheckpointSweep<Int, Int, Double, Double>.now() - start
        }
        guard count > 0, let item = buffer[head] else { throw failure! }
        buffer[head] = nil
        head = (head + 1) % depth
        count -= 1
        if giverWaiting && count <= lowWater { condition.broadcast() }
        return item
    }

    /// Records the recomputing thread's failure and wakes the reversing thread.
    @usableFromInline
    func fail(_ error: CheckpointingError) {
        condition.lock()
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps on the condition until woken, or for at most 20 ms: a safety net under glibc's
    /// condition variables, which before 2.41 can lose a wake-up (sourceware bug 25847). The
    /// callers re-check their predicate, so an early return only costs a look.
    @inlinable
    func sleep() {
        _ = condition.wait(until: Date(timeIntervalSinceNow: 0.02))
    }

    @inlinable
    func append(_ state: State, step: Int) {
        buffer[(head + count) % depth] = (step, state)
        count += 1
        peakCount = Swift.max(peakCount, count)
        if takerWaiting { condition.broadcast() }
    }
}
