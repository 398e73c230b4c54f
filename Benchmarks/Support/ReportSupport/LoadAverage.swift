// The machine's load, printed beside timings (the machine is shared).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 1-, 5- and 15-minute load averages (`getloadavg`), or nil when unavailable.
public func loadAverages() -> [Double]? {
    var loads = [Double](repeating: 0, count: 3)
    return getloadavg(&loads, 3) == 3 ? loads : nil
}

/// The 1-, 5- and 15-minute load averages as /proc/loadavg prints them ("2.45 1.86 1.84"),
/// or "unknown" when it cannot be read.
public func loadAverage() -> String {
    guard let line = textLines(ofFile: "/proc/loadavg")?.first else { return "unknown" }
    return line.split(separator: " ").prefix(3).joined(separator: " ")
}
