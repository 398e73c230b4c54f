/// A number of bytes: how budgets and state sizes are given.
///
/// Decimal units (KB = 1000 B, MB, GB, TB) and binary units (KiB = 1024 B, MiB, GiB, TiB)
/// are both understood, as the command line writes them:
///
/// ```swift
/// let budget = try ByteCount(parsing: "512MB")        // 512 000 000 bytes
/// let state = try ByteCount(parsing: "1.5 GiB")       // 1 610 612 736 bytes
/// ByteCount.megabytes(256).description                // "256 MB"
/// try ByteCount(parsing: "12XB")                      // throws ByteCountParseError.unknownUnit
/// ```
///
/// Fractional values are rounded to the nearest byte. Units are case-insensitive except
/// that a lone `b` means bytes (bits are never meant); a bare number is bytes.
public struct ByteCount: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The number of bytes.
    public var bytes: Int

    /// `bytes` bytes; must be non-negative.
    public init(_ bytes: Int) {
        precondition(bytes >= 0, "a byte count is non-negative, got \(bytes)")
        self.bytes = bytes
    }

    /// A literal number of bytes.
    public init(integerLiteral value: Int) { self.init(value) }

    /// Decodes from a plain integer number of bytes.
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Int.self)
        guard value >= 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a byte count is non-negative, got \(value)"))
        }
        self.init(value)
    }

    /// Encodes as a plain integer number of bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }

    /// One unit: its symbol and its size in bytes.
    public struct Unit: Hashable, Sendable {
        /// The symbol as printed: `B`, `KB`, `MiB`, …
        public let symbol: String
        /// The unit's size in bytes.
        public let bytes: Int
    }

    /// Every accepted unit, smallest first within each family.
    public static let units: [Unit] = [
        Unit(symbol: "B", bytes: 1),
        Unit(symbol: "KB", bytes: 1_000), Unit(symbol: "MB", bytes: 1_000_000),
        Unit(symbol: "GB", bytes: 1_000_000_000), Unit(symbol: "TB", bytes: 1_000_000_000_000),
        Unit(symbol: "KiB", bytes: 1 << 10), Unit(symbol: "MiB", bytes: 1 << 20),
        Unit(symbol: "GiB", bytes: 1 << 30), Unit(symbol: "TiB", bytes: 1 << 40),
    ]

    /// `value` kilobytes (10³ bytes), rounded to the nearest byte.
    public static func kilobytes(_ value: Double) -> ByteCount { scaled(value, 1_000) }
    /// `value` megabytes (10⁶ bytes).
    public static func megabytes(_ value: Double) -> ByteCount { scaled(value, 1_000_000) }
    /// `value` gigabytes (10⁹ bytes).
    public static func gigabytes(_ value: Double) -> ByteCount { scaled(value, 1_000_000_000) }
    /// `value` kibibytes (2¹⁰ bytes).
    public static func kibibytes(_ value: Double) -> ByteCount { scaled(value, 1 << 10) }
    /// `value` mebibytes (2²⁰ bytes).
    public static func mebibytes(_ value: Double) -> ByteCount { scaled(value, 1 << 20) }
    /// `value` gibibytes (2³⁰ bytes).
    public static func gibibytes(_ value: Double) -> ByteCount { scaled(value, 1 << 30) }

    static func scaled(_ value: Double, _ unit: Int) -> ByteCount {
        let bytes = value * Double(unit)
        precondition(bytes >= 0 && bytes < 9.2e18, "a byte count must be non-negative and below 2^63, got \(value) × \(unit) B")
        return ByteCount(nearestInteger(bytes))
    }

    /// Parses `512MB`, `1.5 GiB`, `4096`, `64 kb`.
    ///
    /// - Throws: ``ByteCountParseError`` naming the input and, for an unknown unit, the
    ///   accepted units.
    /// - Complexity: O(length of `text`).
    public init(parsing text: String) throws(ByteCountParseError) {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .empty }
        let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        let numberText = trimmed[..<numberEnd]
        let unitText = String(trimmed[numberEnd...]).trimmingWhitespace
        guard let value = Double(numberText), !numberText.isEmpty, value.isFinite else {
            if trimmed.first == "-" { throw .negative(text) }
            throw .invalidNumber(text)
        }
        let unit: Unit
        if unitText.isEmpty || unitText == "b" {
            unit = Self.units[0]
        } else if let match = Self.units.first(where: { $0.symbol.lowercased() == unitText.lowercased() }) {
            unit = match
        } else {
            throw .unknownUnit(text, unit: unitText)
        }
        let bytes = value * Double(unit.bytes)
        guard bytes < 9.2e18 else { throw .tooLarge(text) }
        self.init(nearestInteger(bytes))
    }

    /// The shortest exact form when one exists (`256 MB`, `2 GiB`, `1000 B`→`1 KB`),
    /// otherwise two decimals in the largest decimal unit not above the value (`1.23 GB`).
    public var description: String {
        if bytes == 0 { return "0 B" }
        let exact = Self.units.filter { bytes % $0.bytes == 0 }.max { $0.bytes < $1.bytes }!
        if exact.bytes > 1 || bytes < 1000 { return "\(bytes / exact.bytes) \(exact.symbol)" }
        let decimal = Self.units[1...4].last { $0.bytes <= bytes }!
        let hundredths = nearestInteger(Double(bytes) / Double(decimal.bytes) * 100)
        let whole = hundredths / 100
        let fraction = hundredths % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction) \(decimal.symbol)"
    }

    /// Fewer bytes sort first.
    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }
}

/// Text that is not a byte count.
public enum ByteCountParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing was given.
    case empty
    /// The number part is missing or malformed.
    case invalidNumber(String)
    /// Byte counts cannot be negative.
    case negative(String)
    /// The unit is not one of ``ByteCount/units``.
    case unknownUnit(String, unit: String)
    /// The value exceeds 2⁶³ − 1 bytes.
    case tooLarge(String)

    static var accepted: String { ByteCount.units.map(\.symbol).joined(separator: ", ") }

    /// The input, what is wrong with it, and the accepted forms.
    public var description: String {
        switch self {
        case .empty:
            "no byte count given; write a number with a unit such as 512MB or 2GiB (units: \(Self.accepted))"
        case let .invalidNumber(text):
            "'\(text)' is not a byte count: it must start with a non-negative number, as in 512MB or 1.5GiB"
        case let .negative(text):
            "'\(text)' is negative; a byte count is at least 0"
        case let .unknownUnit(text, unit):
            "'\(text)' has the unknown unit '\(unit)'; use one of \(Self.accepted)"
        case let .tooLarge(text):
            "'\(text)' exceeds 2^63 − 1 bytes; give a smaller size"
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines (no Foundation).
    var trimmingWhitespace: String {
        let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\n" || c == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// The integer nearest to a non-negative `x` below 2⁶³ (halves round up), without libm:
/// this module links nothing beyond the standard library.
func nearestInteger(_ x: Double) -> Int {
    precondition(x >= 0 && x < 9.2e18, "expected a non-negative value below 2^63, got \(x)")
    return Int(x + 0.5)
}

/// The least integer not below a non-negative `x` below 2⁶³, without libm.
func ceilingInteger(_ x: Double) -> Int {
    precondition(x >= 0 && x < 9.2e18, "expected a non-negative value below 2^63, got \(x)")
    let floor = Int(x)  // truncation is the floor for x ≥ 0
    return Double(floor) < x ? floor + 1 : floor
}
