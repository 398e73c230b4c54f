import Foundation
import Testing
@testable import ScheduleInspector

@Suite struct JSONValueTests {
    @Test func rendersOrderedPrettyJSONThatFoundationParses() throws {
        let value: JSONValue = .object([
            ("steps", .int(10)), ("name", .string("a \"quoted\"\n\\ name\u{1}")), ("ratio", .double(1.5)),
            ("whole", .double(3)), ("none", .double(.nan)), ("flag", .bool(true)),
            ("list", .array([.int(1), .int(2)])), ("nested", .array([.object([("x", .null)])])), ("empty", .object([])),
        ])
        let text = value.rendered()
        #expect(text.hasPrefix("{\n  \"steps\": 10,\n  \"name\": "))
        #expect(text.contains("\"list\": [1, 2]"))
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["name"] as? String == "a \"quoted\"\n\\ name\u{1}")
        #expect(parsed["ratio"] as? Double == 1.5)
        #expect(parsed["whole"] as? Int == 3)
        #expect(parsed["none"] is NSNull)
        #expect(parsed.count == 9)
        let compact = value.rendered(pretty: false)
        #expect(!compact.contains("\n"))
        #expect(try JSONSerialization.jsonObject(with: Data(compact.utf8)) is [String: Any])
    }
}
