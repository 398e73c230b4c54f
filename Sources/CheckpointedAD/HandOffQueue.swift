import CheckpointSchedules
import Foundation

/// The bounded queue through which a parallel reversal's recomputing thread hands states
/// x[i] to the reversing thread, in the order they will be reversed (n−2, n−3, …, 0).
/// Each place holds a step index and an `Element`: the state, and with
/// ``CheckpointingOptions/tapesOnRecomputingThread`` its pullback too (``HandedOffState``).
///
/// Two POSIX counting semaphores (``CountingSemaphore``) carry the protocol: `room` counts free places
/// (the giver waits on it), `ready` counts states handed over (the taker waits on it). The
/// giver alone writes at its tail and the taker alone reads at its head; each semaphore
/// signal orders the write before the read. The recomputing thread can also try to hand a
/// state over without waiting (``tryHandOver(_:step:)``), so that it does other useful work
/// while the queue is full. A failure on the recomputing thread is passed through the queue
/// to the reversing thread, which rethrows it once the states handed before it are taken.
///
/// (An earlier version with one `NSCondition` and predicate loops hung twice in benchmark
/// runs, each thread asleep; those release builds later proved to mix stale and fresh
/// objects, so the cause was not pinned down. Semaphores keep no shared predicate at all.)
///
/// Before sleeping, a thread that finds the queue full (or empty) polls it for up to
/// ``spinSeconds``: when the other thread is running on the other core, the state (or the
/// room) usually arrives within a step's time, and the poll saves the sleep and the wake-up,
/// which on a loaded machine can cost a scheduler time slice.
///
/// - Complexity: O(1) per call; at most ``depth`` states held.
@usableFromInline
final class HandOffQueue<Element>: @unchecked Sendable {
    /// The most states the queue holds.
    @usableFromInline let depth: Int
    @usableFromInline let room: CountingSemaphore
    @usableFromInline let ready = CountingSemaphore(value: 0)
    /// The places; place k is written only by the giver and read only by the taker, in turn.
    @usableFromInline let places: UnsafeMutablePointer<(step: Int, element: Element)?>
    // The giver's own:
    @usableFromInline var tail = 0
    /// Seconds the recomputing thread waited for room.
    @usableFromInline var giverWaitSeconds = 0.0
    // The taker's own:
    @usableFromInline var head = 0
    /// Seconds the reversing thread waited for a state.
    @usableFromInline var takerWaitSeconds = 0.0
    // Guarded by `lock`: the occupancy, for the statistics, and the failure.
    @usableFromInline let lock = NSLock()
    @usableFromInline var count = 0
    /// The most states held at once.
    @usableFromInline var peakCount = 0
    @usableFromInline var failure: CheckpointingError?

    /// An empty queue of `depth` ≥ 1 states.
    @usableFromInline
    init(depth: Int) {
        precondition(depth >= 1, "a hand-off queue needs room for one state at least, got depth \(depth)")
        self.depth = depth
        self.room = CountingSemaphore(value: depth)
        self.places = .allocate(capacity: depth)
        self.places.initialize(repeating: nil, count: depth)
    }

    deinit {
        places.deinitialize(count: depth)
        places.deallocate()
    }

    /// How long a thread polls the queue before it sleeps on a semaphore.
    @usableFromInline static var spinSeconds: Double { 50e-6 }

    /// Takes one unit of `semaphore`, polling for up to ``spinSeconds`` before sleeping;
    /// returns the seconds spent waiting.
    @inlinable
    func acquire(_ semaphore: CountingSemaphore) -> Double {
        if semaphore.tryWait() { return 0 }
        let start = CheckpointSweep<Int, Int, Double, Double>.now()
        var now = start
        while now - start < Self.spinSeconds {
            if semaphore.tryWait() { return now - start }
            now = CheckpointSweep<Int, Int, Double, Double>.now()
        }
        semaphore.wait()
        return CheckpointSweep<Int, Int, Double, Double>.now() - start
    }

    /// Appends x[step] unless the queue is full; returns whether it did.
    @inlinable
    func tryHandOver(_ element: Element, step: Int) -> Bool {
        guard room.tryWait() else { return false }
        put(element, step: step)
        return true
    }

    /// Appends x[step], sleeping while the queue is full.
    @inlinable
    func handOver(_ element: Element, step: Int) {
        giverWaitSeconds += acquire(room)
        put(element, step: step)
    }

    /// Removes the oldest state, sleeping while the queue is empty.
    ///
    /// - Throws: the recomputing thread's failure, once the states handed before it are taken.
    @inlinable
    func take() throws(CheckpointingError) -> (step: Int, element: Element) {
        takerWaitSeconds += acquire(ready)
        guard let item = places[head] else {
            lock.lock()
            let error = failure
            lock.unlock()
            throw error ?? .invalidAction(index: 0, action: .endReverse, reason: "parallel reversal: the hand-off queue was woken empty")
        }
        places[head] = nil
        head = (head + 1) % depth
        lock.lock()
        count -= 1
        lock.unlock()
        room.signal()
        return item
    }

    /// Records the recomputing thread's failure and wakes the reversing thread.
    @usableFromInline
    func fail(_ error: CheckpointingError) {
        lock.lock()
        failure = error
        lock.unlock()
        ready.signal()
    }

    /// Writes x[step] at the tail (a place the giver has been granted) and signals it ready.
    @inlinable
    func put(_ element: Element, step: Int) {
        places[tail] = (step, element)
        tail = (tail + 1) % depth
        lock.lock()
        count += 1
        peakCount = Swift.max(peakCount, count)
        lock.unlock()
        ready.signal()
    }
}
