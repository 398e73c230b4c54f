/// A JSON document with ordered keys, rendered without Foundation.
///
/// The inspector builds its JSON reports from these values so that the key order is the
/// one a reader expects (`steps`, `slots`, `advances`, …) and stays stable for golden tests.
/// Library users get the rendered document from a report's `rendered(as: .json)`.
///
/// ```swift
/// let value: JSONValue = .object([("steps", .int(10)), ("schedule", .string("revolve"))])
/// print(value.rendered())   // {\n  "steps": 10,\n  "schedule": "revolve"\n}
/// ```
///
/// - Complexity: O(size of the document) to render.
indirect enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer, written exactly.
    case int(Int)
    /// A finite number; NaN and infinities render as `null`.
    case double(Double)
    /// A string, escaped as JSON requires.
    case string(String)
    /// An array; one of scalars stays on one line when pretty-printed.
    case array([JSONValue])
    /// Key–value pairs in the order given.
    case object([(String, JSONValue)])

    /// Equal when they render the same.
    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// The document, pretty-printed with two-space indentation when `pretty`, else on one line.
    func rendered(pretty: Bool = true) -> String {
        var output = ""
        write(to: &output, pretty: pretty, depth: 0)
        return output
    }

    func write(to output: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .int(value): output += String(value)
        case let .double(value): output += JSONValue.number(value)
        case let .string(value): output += JSONValue.quoted(value)
        case let .array(elements):
            // Arrays of numbers, strings and literals stay on one line.
            let flat = elements.allSatisfy(\.isScalar)
            writeContainer(elements.map { (nil, $0) }, open: "[", close: "]", to: &output, pretty: pretty, flat: flat, depth: depth)
        case let .object(members):
            writeContainer(members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &output, pretty: pretty, flat: false, depth: depth)
        }
    }

    private func writeContainer(
        _ items: [(String?, JSONValue)], open: String, close: String, to output: inout String, pretty: Bool, flat: Bool, depth: Int
    ) {
        output += open
        guard !items.isEmpty else { output += close; return }
        let multiline = pretty && !flat
        let inner = multiline ? "\n" + String(repeating: "  ", count: depth + 1) : ""
        for (i, (key, value)) in items.enumerated() {
            output += i == 0 ? inner : "," + (multiline ? inner : pretty ? " " : "")
            if let key { output += JSONValue.quoted(key) + (pretty ? ": " : ":") }
            value.write(to: &output, pretty: pretty, depth: depth + 1)
        }
        output += (multiline ? "\n" + String(repeating: "  ", count: depth) : "") + close
    }

    /// Neither an array nor an object.
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// A JSON number: integers without a fraction, others in Swift's shortest round-trip form.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A JSON string literal with the required escapes.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
