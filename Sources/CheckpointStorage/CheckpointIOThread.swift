import Foundation

/// One checkpoint's trip through a file store's I/O thread: a write behind (the state's
/// bytes in ``buffer``, to be encoded into the slot's file) or a read-ahead (the slot's
/// file, to be decoded into ``buffer``).
///
/// Every `var` is read and written only under the store's lock. The buffer belongs to
/// whoever the slot table says: the queue, the I/O thread, or the caller once the job is
/// done.
final class CheckpointIOJob {
    /// Which way the bytes go.
    enum Kind { case write, read }
    /// Which way the bytes go.
    let kind: Kind
    /// The step whose state moves.
    let step: Int
    /// The slot whose file is written or read.
    let slot: Int
    /// The state's size in bytes.
    let rawCount: Int
    /// The state's bytes: the source of a write, the destination of a read.
    let buffer: ByteBuffer
    /// The slot was released or emptied: the thread skips the job if it has not started,
    /// and nobody takes its result.
    var cancelled = false
    /// A read whose slot was discarded before it finished: the I/O thread recycles its
    /// buffer when done, since no restore will take it.
    var abandoned = false
    /// A read that finished (its buffer holds the state, or ``error`` says why not).
    var done = false
    /// Why a read failed.
    var error: CheckpointStoreError?
    /// Seconds the I/O thread worked on the job.
    var busySeconds = 0.0
    /// The number of the write's operation record, when records are kept.
    var recordNumber: Int?

    /// A job for x[step] in `slot`, whose bytes are (or will be) in `buffer`.
    init(_ kind: Kind, step: Int, slot: Int, rawCount: Int, buffer: ByteBuffer) {
        self.kind = kind
        self.step = step
        self.slot = slot
        self.rawCount = rawCount
        self.buffer = buffer
    }
}

/// A file store's background thread: takes write-behind and read-ahead jobs in the order
/// they were queued, runs each without the lock, and hands it back under the lock.
///
/// The thread shares its owner's `condition`: the owner calls every member with it locked,
/// and the thread holds it except while it runs a job. It broadcasts after every job, so
/// an owner waiting for a job, a free write-behind buffer or an idle thread wakes up.
final class CheckpointIOThread: @unchecked Sendable {
    private let condition: NSCondition
    // Guarded by `condition`:
    /// Jobs not taken yet are `queue[queueHead...]`.
    private var queue: [CheckpointIOJob] = []
    private var queueHead = 0
    private var runningJob = false
    private var stopRequested = false
    /// Whether the thread has stopped (after ``requestStop()``, once the queue is empty).
    private(set) var hasExited = false

    /// A thread guarded by `condition`, not started yet.
    init(condition: NSCondition) {
        self.condition = condition
    }

    /// Starts the thread.
    ///
    /// - Parameters:
    ///   - perform: runs a job that was not cancelled when taken, without the lock.
    ///   - finish: called with the lock held for every job, after its ``CheckpointIOJob/busySeconds``
    ///     is set, with what `perform` returned (`nil` for a job skipped as cancelled).
    func start(
        perform: @escaping @Sendable (CheckpointIOJob) -> CheckpointFileTransfer,
        finish: @escaping @Sendable (CheckpointIOJob, CheckpointFileTransfer?) -> Void
    ) {
        let thread = Thread { [self] in run(perform: perform, finish: finish) }
        thread.name = "rewind checkpoint I/O"
        thread.start()
    }

    /// Queues `job` and wakes the thread. Call with the lock held.
    func enqueue(_ job: CheckpointIOJob) {
        queue.append(job)
        condition.broadcast()
    }

    /// Marks every job not taken yet as cancelled. Call with the lock held.
    func cancelQueuedJobs() {
        for job in queue[queueHead...] { job.cancelled = true }
    }

    /// Whether no job is queued or running. Call with the lock held.
    var isIdle: Bool { queueHead == queue.count && !runningJob }

    /// Asks the thread to stop once the queue is empty; wait for ``hasExited``. Call with
    /// the lock held.
    func requestStop() {
        stopRequested = true
        condition.broadcast()
    }

    private func run(
        perform: (CheckpointIOJob) -> CheckpointFileTransfer, finish: (CheckpointIOJob, CheckpointFileTransfer?) -> Void
    ) {
        condition.lock()
        while true {
            while queueHead == queue.count && !stopRequested { condition.wait() }
            if queueHead == queue.count { break }
            let job = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            runningJob = true
            let cancelled = job.cancelled
            condition.unlock()

            let start = monotonicSeconds()
            let transfer = cancelled ? nil : perform(job)
            let busy = monotonicSeconds() - start

            condition.lock()
            runningJob = false
            job.busySeconds = busy
            finish(job, transfer)
            condition.broadcast()
        }
        hasExited = true
        condition.broadcast()
        condition.unlock()
    }
}
