// Numbers as the reports print them.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `x` with exactly `digits` decimals, as C's `printf("%.*f")` prints it (round half to
/// even on the exact binary value): `format(2.0, digits: 3)` is "2.000".
public func format(_ x: Double, digits: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buffer, 64, "%.\(digits)f", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `value` rounded to `digits` decimals (half away from zero, on `value · 10^digits`), in
/// Swift's shortest text for that double, with zeros appended up to `digits` decimals:
/// `roundedText(2.0, digits: 2)` is "2.00", `roundedText(1234.5678, digits: 1)` is "1234.6",
/// and `roundedText(3.0, digits: 0)` is "3.0" (Swift's text of a double keeps one decimal).
public func roundedText(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    var text = "\((value * scale).rounded() / scale)"
    let decimals = text.split(separator: ".").last.map(\.count) ?? 0
    if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    return text
}
