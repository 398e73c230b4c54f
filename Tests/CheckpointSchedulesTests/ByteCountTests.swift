import Foundation
import Testing
@testable import CheckpointSchedules
import RewindTestSupport

@Suite struct ByteCountTests {
    @Test func parsesDecimalAndBinaryUnits() throws {
        let cases: [(String, Int)] = [
            ("0", 0), ("4096", 4096), ("12B", 12), ("12 b", 12), ("1KB", 1000), ("1kb", 1000), ("512MB", 512_000_000),
            ("20 GB", 20_000_000_000), ("1KiB", 1024), ("64 MiB", 64 << 20), ("1.5GiB", 3 << 29), ("2TB", 2_000_000_000_000),
            (" 3 MiB ", 3 << 20), ("0.5KB", 500),
        ]
        for (text, bytes) in cases {
            #expect(try ByteCount(parsing: text).bytes == bytes, "\(text)")
        }
    }

    @Test func typedErrorsNameTheInputAndTheUnits() {
        #expect(throws: ByteCountParseError.unknownUnit("12XB", unit: "XB")) { try ByteCount(parsing: "12XB") }
        #expect(throws: ByteCountParseError.empty) { try ByteCount(parsing: "  ") }
        #expect(throws: ByteCountParseError.invalidNumber("MB")) { try ByteCount(parsing: "MB") }
        #expect(throws: ByteCountParseError.invalidNumber("1.2.3MB")) { try ByteCount(parsing: "1.2.3MB") }
        #expect(throws: ByteCountParseError.negative("-5MB")) { try ByteCount(parsing: "-5MB") }
        #expect(throws: ByteCountParseError.tooLarge("99999999TB")) { try ByteCount(parsing: "99999999TB") }
        let message = ByteCountParseError.unknownUnit("12XB", unit: "XB").description
        for unit in ["12XB", "B", "KB", "MB", "GB", "KiB", "MiB", "GiB"] { #expect(message.contains(unit)) }
    }

    @Test func formatsExactValuesExactlyAndRoundTrips() throws {
        #expect(ByteCount.megabytes(256).description == "256 MB")
        #expect(ByteCount.gibibytes(2).description == "2 GiB")
        #expect(ByteCount(1000).description == "1 KB")
        #expect(ByteCount(999).description == "999 B")
        #expect(ByteCount(0).description == "0 B")
        #expect(ByteCount(1_234_567_891).description == "1.23 GB")
        #expect(ByteCount(1_500).description == "1.50 KB")
        // Every whole multiple of a unit prints exactly and parses back to the same count.
        var generator = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let unit = ByteCount.units[1 + Int(generator.next() % 7)]
            let value = ByteCount(Int(generator.next() % 5000) * unit.bytes)
            #expect(try ByteCount(parsing: value.description) == value, "\(value.bytes) B printed as \(value.description)")
        }
    }

    @Test func codableAsPlainIntegerAndOrdered() throws {
        let data = try JSONEncoder().encode([ByteCount.kibibytes(1)])
        #expect(String(decoding: data, as: UTF8.self) == "[1024]")
        #expect(try JSONDecoder().decode([ByteCount].self, from: data) == [1024])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ByteCount].self, from: Data("[-1]".utf8)) }
        #expect(ByteCount.kilobytes(1) < ByteCount.kibibytes(1))
    }
}
