// The process's resident memory, from /proc/self/status (Linux).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A memory field of /proc/self/status in bytes: "VmRSS" (resident now), "VmHWM" (peak
/// resident), …; nil off Linux or when the field is missing.
public func processStatusBytes(_ field: String) -> Int? {
    guard let lines = textLines(ofFile: "/proc/self/status") else { return nil }
    for line in lines where line.hasPrefix(field + ":") {
        // "VmHWM:\t  123456 kB"
        let kilobytes = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        return kilobytes.map { $0 * 1024 }
    }
    return nil
}

/// The process's peak resident set (VmHWM) in bytes; 0 off Linux.
public func peakResidentBytes() -> Int { processStatusBytes("VmHWM") ?? 0 }

/// The process's peak resident set (VmHWM) in MiB (2²⁰ bytes); 0 off Linux. Unless
/// `resetPeakResidentBytes()` ran, this is the peak getrusage reports (`ru_maxrss`, in KiB
/// on Linux).
public func peakResidentMebibytes() -> Double { Double(peakResidentBytes()) / 1_048_576 }

/// Resets the peak resident set (VmHWM) to the current one (Linux ≥ 4.0, through
/// /proc/self/clear_refs); false when that is not possible.
public func resetPeakResidentBytes() -> Bool {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
    defer { fclose(file) }
    return fputs("5", file) >= 0
}
