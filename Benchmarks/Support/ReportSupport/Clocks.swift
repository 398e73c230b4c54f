// The clocks the reports read: the calling thread's CPU time, the process's CPU time, and
// monotonic wall time, each in seconds.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds of CPU time used by the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
///
/// The machine is shared by many processes, so wall time mostly measures waiting for a
/// core; ratios of one thread's CPU times do not.
public func threadCPUSeconds() -> Double { seconds(of: CLOCK_THREAD_CPUTIME_ID) }

/// Seconds of CPU time used by every thread of this process so far
/// (`CLOCK_PROCESS_CPUTIME_ID`): user and system time, the clock `clock()` reads.
public func processCPUSeconds() -> Double { seconds(of: CLOCK_PROCESS_CPUTIME_ID) }

/// Monotonic wall-clock seconds (`CLOCK_MONOTONIC`), from an arbitrary origin: only
/// differences mean something.
public func wallSeconds() -> Double { seconds(of: CLOCK_MONOTONIC) }

/// One of the clocks above, for the timing functions (`elapsed(on:_:)`, `timed(on:_:)`,
/// `leastOf(rounds:on:_:)`, `leastOfInterleaved(rounds:on:_:)`).
public enum ReportClock: Sendable {
    /// The calling thread's CPU time: `threadCPUSeconds()`.
    case threadCPU
    /// The whole process's CPU time: `processCPUSeconds()`.
    case processCPU
    /// Monotonic wall time: `wallSeconds()`.
    case wall

    /// The clock's reading now, in seconds.
    public func now() -> Double {
        switch self {
        case .threadCPU: threadCPUSeconds()
        case .processCPU: processCPUSeconds()
        case .wall: wallSeconds()
        }
    }
}

/// `clock_gettime(clock)` in seconds.
private func seconds(of clock: clockid_t) -> Double {
    var time = timespec()
    clock_gettime(clock, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
