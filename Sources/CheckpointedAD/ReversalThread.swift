#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable POSIX thread that runs one closure: the recomputing thread of a parallel
/// reversal. The closure owns what it touches until ``join()`` returns, which orders every
/// write it made before the joining thread's next read.
@usableFromInline
struct ReversalThread {
    /// The closure, kept alive for the thread.
    final class Body: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    let thread: pthread_t

    /// Starts `body` on a new thread.
    @usableFromInline
    init(_ body: @escaping () -> Void) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed with status \(status) (too many threads?)")
        self.thread = thread
    }

    /// Waits for the closure to return.
    @usableFromInline
    func join() {
        let status = pthread_join(thread, nil)
        precondition(status == 0, "pthread_join failed with status \(status)")
    }

    /// The CPU seconds the calling thread has used.
    @usableFromInline
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// A POSIX counting semaphore (`sem_t`): the hand-off queue's wait-and-wake primitive.
/// Waiting sleeps in the kernel; nothing spins.
@usableFromInline
final class CountingSemaphore: @unchecked Sendable {
    let semaphore: UnsafeMutablePointer<sem_t>

    /// A semaphore whose count starts at `value`.
    @usableFromInline
    init(value: Int) {
        semaphore = .allocate(capacity: 1)
        let status = sem_init(semaphore, 0, UInt32(value))
        precondition(status == 0, "sem_init failed with errno \(errno)")
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Takes one unit if there is one, without waiting; returns whether it did.
    @usableFromInline
    func tryWait() -> Bool {
        while sem_trywait(semaphore) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    /// Takes one unit, sleeping until there is one.
    @usableFromInline
    func wait() {
        while sem_wait(semaphore) != 0 {
            precondition(errno == EINTR, "sem_wait failed with errno \(errno)")
        }
    }

    /// Adds one unit, waking a sleeper.
    @usableFromInline
    func signal() {
        let status = sem_post(semaphore)
        precondition(status == 0, "sem_post failed with errno \(errno)")
    }
}
