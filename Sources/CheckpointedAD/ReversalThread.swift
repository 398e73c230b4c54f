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
