import Testing
@testable import ScheduleInspector

@Suite struct QuantityParsingTests {
    @Test func timesWithUnits() throws {
        #expect(try QuantityParsing.seconds("2ms") == 0.002)
        #expect(try QuantityParsing.seconds("1.5 s") == 1.5)
        #expect(try QuantityParsing.seconds("300us") == 300e-6)
        #expect(try QuantityParsing.seconds("300µs") == 300e-6)
        #expect(try QuantityParsing.seconds("40ns") == 40e-9)
        #expect(try QuantityParsing.seconds("2min") == 120)
        #expect(try QuantityParsing.seconds("0.25") == 0.25)
        #expect(throws: QuantityParseError.unknownTimeUnit("2 fortnights", unit: "fortnights")) { try QuantityParsing.seconds("2 fortnights") }
        #expect(throws: QuantityParseError.negative("-1ms")) { try QuantityParsing.seconds("-1ms") }
        #expect(throws: QuantityParseError.invalidTime("ms")) { try QuantityParsing.seconds("ms") }
    }

    @Test func bandwidthsAreSizesPerSecond() throws {
        #expect(try QuantityParsing.bandwidth("1GB/s") == 1e9)
        #expect(try QuantityParsing.bandwidth("500 MiB/s") == 500 * 1_048_576)
        #expect(try QuantityParsing.bandwidth("2GB") == 2e9)
        #expect(throws: QuantityParseError.self) { try QuantityParsing.bandwidth("12XB/s") }
        #expect(throws: QuantityParseError.self) { try QuantityParsing.bandwidth("0GB/s") }
    }
}
