import Testing
@testable import ScheduleInspector

@Suite struct TextTableTests {
    @Test func alignsColumnsAndQuotesCSV() {
        var table = TextTable(columns: [.init("name"), .init("value", alignment: .right)])
        table.append(["a", "1"])
        table.append(["longer, name", "12345"])
        let expected = [
            "name          value",
            "------------  -----",
            "a                 1",
            "longer, name  12345",
        ]
        #expect(table.rendered() == expected.joined(separator: "\n"))
        #expect(table.csv() == "name,value\na,1\n\"longer, name\",12345")
        #expect(CSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }

    @Test func formatsNumbersWithoutFoundation() {
        #expect(Format.decimal(1.5, digits: 3) == "1.5")
        #expect(Format.decimal(3, digits: 2) == "3")
        #expect(Format.decimal(-0.125, digits: 3) == "-0.125")
        #expect(Format.decimal(2.0004, digits: 3) == "2")
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(1536) == "1.54 KB")
        #expect(Format.bytes(64 << 20) == "64 MiB")
        #expect(Format.bytes(64_000_000) == "64 MB")
        #expect(Format.seconds(0.002) == "2 ms" && Format.seconds(12.34e-6) == "12.3 µs" && Format.seconds(1.5) == "1.5 s")
        #expect(Format.digits(0) == 1 && Format.digits(9) == 1 && Format.digits(10) == 2 && Format.digits(1_000_000) == 7)
    }
}
