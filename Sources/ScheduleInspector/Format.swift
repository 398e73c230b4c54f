import CheckpointSchedules

/// Number formatting for the text reports, without Foundation so output is identical on
/// every platform and locale.
///
/// Package access: the CLI's progress bar and the demos in `RewindExamples` print with it
/// too; it is not part of the library's API.
package enum Format {
    /// `value` rounded to `digits` decimals, trailing zeros dropped (`1.5`, `3`, `0.125`).
    package static func decimal(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (Swift.abs(value) * scale).rounded()
        guard scaled < 9e18 else { return "\(value)" }
        let units = Int(scaled)
        let whole = units / Int(scale)
        var fraction = String(units % Int(scale))
        fraction = String(repeating: "0", count: Swift.max(0, digits - fraction.count)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = value < 0 && units != 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A byte count as the rest of the project prints it (`ByteCount.description`): the
    /// largest unit that divides it exactly, else decimal units with two decimals
    /// (`512 B`, `64 MB`, `1.54 KB`, `3 KiB`).
    package static func bytes(_ count: Int) -> String { ByteCount(Swift.max(0, count)).description }

    /// A duration with a unit chosen for it: `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`.
    package static func seconds(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        let (scaled, unit): (Double, String) = magnitude == 0 ? (0, "s")
            : magnitude < 1e-6 ? (value * 1e9, "ns") : magnitude < 1e-3 ? (value * 1e6, "µs")
            : magnitude < 1 ? (value * 1e3, "ms") : (value, "s")
        let digits = Swift.abs(scaled) >= 100 ? 0 : Swift.abs(scaled) >= 10 ? 1 : 2
        return decimal(scaled, digits: digits) + " " + unit
    }

    /// A dimensionless error or ratio with three significant digits: `0`, `0.0123`,
    /// `4e-06` → `4.00e-6`, `1.23e+12`; scientific below 10⁻³ and from 10⁶ on.
    package static func significant(_ value: Double) -> String {
        guard value.isFinite else { return decimal(value, digits: 0) }
        let magnitude = Swift.abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var digits = 2
            var bound = 1.0
            while magnitude < bound && digits < 6 {
                bound /= 10
                digits += 1
            }
            return decimal(value, digits: digits)
        }
        var exponent = 0
        var mantissa = magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        if (mantissa * 100).rounded() >= 1000 { mantissa /= 10; exponent += 1 }
        var text = decimal(mantissa, digits: 2)
        if !text.contains(".") { text += ".00" }
        while text.count < 4 { text += "0" }
        return (value < 0 ? "-" : "") + text + "e" + (exponent < 0 ? "-" : "+") + String(Swift.abs(exponent))
    }

    /// The number of decimal digits of a non-negative integer (1 for 0).
    package static func digits(_ value: Int) -> Int {
        var value = Swift.max(0, value)
        var count = 1
        while value >= 10 {
            value /= 10
            count += 1
        }
        return count
    }
}
