import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct ASCIITimelineTests {
    @Test func unicodeGolden() throws {
        let picture = ASCIITimeline(Timeline(try Revolve(steps: 6, slots: 2)), title: "revolve, 6 steps, 2 slots")
        #expect(picture.rendered() == """
            revolve, 6 steps, 2 slots
               step
            6 ┤     ┊
              │    ╱╲
              │   ╱╱┊╱╲
            3 ┤  ╱● ┊○ ○
              │ ╱╱  ┊    ╱╲
              │╱╱   ┊   ╱● ○
            0 ┤●    ┊   ○   ○
              └┬─────────┬───
               0         10
               time (step executions: advances + reverses)
            legend: ╱ advance  ╲ reverse  ● store (memory)  ○ restore (memory)  ┊ end of recording sweep
            """)
    }

    @Test func asciiGlyphsAndColourOnlyWhenAsked() throws {
        let timeline = Timeline(try Revolve(steps: 6, slots: 2))
        let plain = ASCIITimeline(timeline, style: TimelineStyle(unicode: false, color: false)).rendered()
        #expect(plain.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!plain.contains("\u{1B}["))
        let coloured = ASCIITimeline(timeline, style: TimelineStyle(unicode: true, color: true)).rendered()
        #expect(coloured.contains("\u{1B}[1;34m●\u{1B}[0m"))  // memory stores in blue
        #expect(coloured.contains("\u{1B}[31m╲\u{1B}[0m"))  // reverses in red
    }

    @Test func largeScheduleIsAggregatedIntoTheGrid() throws {
        let picture = ASCIITimeline(Timeline(try Revolve(steps: 10_000, slots: 10)), width: 80, height: 20)
        let lines = picture.rendered().split(separator: "\n", omittingEmptySubsequences: false)
        // Title, axis caption, 20 rows, axis, tick labels, caption, legend, scale note.
        #expect(lines.count == 2 + 20 + 5)
        #expect(lines.last!.hasPrefix("scale: one row ≈ 500.1 steps"))
        let rows = lines[2..<22]
        #expect(rows.allSatisfy { $0.count <= 6 + 2 + 80 })
        // Every row is visited by the reverse sweep: a reverse glyph or a stored/restored state.
        #expect(rows.allSatisfy { $0.contains("╲") || $0.contains("●") || $0.contains("○") })
    }
}
