import CheckpointSchedules

/// Parses the times and bandwidths the CLI's `plan` takes: `2ms`, `1.5 s`, `300us`,
/// `1GB/s`, `500 MiB/s`. Byte counts themselves are `ByteCount(parsing:)`.
///
/// Package access: only the CLI reads quantities from text; library code passes seconds
/// and bytes per second to `PlanningProblem` directly.
///
/// ```swift
/// try QuantityParsing.seconds("2ms")          // 0.002
/// try QuantityParsing.bandwidth("1GB/s")      // 1e9 bytes per second
/// ```
package enum QuantityParsing {
    /// Time units and their length in seconds.
    static let timeUnits: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("min", 60), ("h", 3600)]

    /// Seconds from `text`: a non-negative number with a unit (ns, us or µs, ms, s, min, h);
    /// a bare number is seconds.
    /// - Throws: ``QuantityParseError`` naming the text and what is accepted.
    package static func seconds(_ text: String) throws(QuantityParseError) -> Double {
        let trimmed = text.filter { $0 != " " }
        let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E" || $0 == "+")) }
            ?? trimmed.endIndex
        guard let value = Double(trimmed[..<numberEnd]), value.isFinite else { throw .invalidTime(text) }
        guard value >= 0 else { throw .negative(text) }
        let unit = String(trimmed[numberEnd...]).lowercased()
        if unit.isEmpty { return value }
        guard let scale = timeUnits.first(where: { $0.0 == unit })?.1 else { throw .unknownTimeUnit(text, unit: unit) }
        return value * scale
    }

    /// Bytes per second from `text`: a byte count such as `1GB` or `500 MiB`, optionally
    /// followed by `/s`.
    /// - Throws: ``QuantityParseError`` for a malformed count or a zero rate.
    package static func bandwidth(_ text: String) throws(QuantityParseError) -> Double {
        var body = text.filter { $0 != " " }
        if body.lowercased().hasSuffix("/s") { body.removeLast(2) }
        let count: ByteCount
        do { count = try ByteCount(parsing: body) } catch { throw .invalidBandwidth(text, reason: error.description) }
        guard count.bytes > 0 else { throw .invalidBandwidth(text, reason: "a bandwidth must be positive") }
        return Double(count.bytes)
    }
}

/// A time or bandwidth that could not be read; the description says what to write instead.
package enum QuantityParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number part of a time is missing or malformed.
    case invalidTime(String)
    /// A time below zero.
    case negative(String)
    /// A time unit other than ns, us, µs, ms, s, min, h.
    case unknownTimeUnit(String, unit: String)
    /// A bandwidth that is not a positive size per second.
    case invalidBandwidth(String, reason: String)

    /// What was wrong and what to write instead, on one line.
    package var description: String {
        switch self {
        case let .invalidTime(text): "'\(text)' is not a time; write a number with a unit such as 2ms or 1.5s"
        case let .negative(text): "'\(text)' is negative; a time is at least 0"
        case let .unknownTimeUnit(text, unit):
            "'\(text)' has the unknown time unit '\(unit)'; use one of ns, us, ms, s, min, h"
        case let .invalidBandwidth(text, reason): "'\(text)' is not a bandwidth (\(reason)); write a size per second such as 1GB/s"
        }
    }
}
