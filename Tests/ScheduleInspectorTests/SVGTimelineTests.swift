import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import CheckpointSchedules
@testable import ScheduleInspector

/// Collects every element's name and class attribute.
final class SVGElementCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, classes: [String])] = []
    var texts: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append((name, (attributes["class"] ?? "").split(separator: " ").map(String.init)))
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(text) }
        text = ""
    }

    /// Parses `svg`; fails the test if it is not well-formed XML.
    static func parse(_ svg: String) throws -> SVGElementCollector {
        let collector = SVGElementCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        let ok = parser.parse()
        #expect(ok, "SVG is not well-formed: \(String(describing: parser.parserError))")
        return collector
    }

    func count(_ classes: String...) -> Int {
        elements.filter { element in classes.allSatisfy(element.classes.contains) }.count
    }
}

@Suite struct SVGTimelineTests {
    @Test(arguments: [(10, 3), (50, 7), (1, 1), (200, 199)])
    func oneMarkPerActionInWellFormedXML(_ n: Int, _ s: Int) throws {
        let timeline = Timeline(try Revolve(steps: n, slots: s))
        let svg = try SVGTimeline(timeline, title: "revolve <\(n), \(s)> & more").rendered()
        let parsed = try SVGElementCollector.parse(svg)
        let stats = timeline.statistics
        #expect(parsed.elements.first?.name == "svg")
        #expect(parsed.count("action") == stats.actions)
        #expect(parsed.count("action", "reverse") == stats.reverses)
        #expect(parsed.count("action", "store", "memory") == stats.stores[.memory] ?? 0)
        #expect(parsed.count("action", "restore", "memory") == stats.restores[.memory] ?? 0)
        #expect(parsed.count("action", "end-forward") == 1 && parsed.count("action", "end-reverse") == 1)
        let advanceActions = Array(timeline.schedule).filter { if case .advance = $0 { true } else { false } }.count
        #expect(parsed.count("action", "advance") == advanceActions)
        // Title, axis labels and a legend entry per kind drawn.
        #expect(parsed.texts.contains("revolve <\(n), \(s)> & more"))
        #expect(parsed.texts.contains("step index"))
        #expect(parsed.texts.contains("time (step executions: advances + reverses)"))
        for label in ["advance (untaped step)", "reverse (taped step + pullback)"] + (stats.totalStores > 0 ? ["store (memory)", "restore (memory)"] : []) {
            #expect(parsed.texts.contains(label))
        }
    }

    @Test func diskLevelAndDiscardsHaveTheirOwnMarks() throws {
        let twoLevel = Timeline(try TwoLevelRevolve(steps: 40, memorySlots: 2, diskSlots: 4))
        let parsed = try SVGElementCollector.parse(try SVGTimeline(twoLevel).rendered())
        let stats = twoLevel.statistics
        #expect((stats.stores[.disk] ?? 0) > 0)
        #expect(parsed.count("action", "store", "disk") == stats.stores[.disk] ?? 0)
        #expect(parsed.count("action", "restore", "disk") == stats.restores[.disk] ?? 0)
        #expect(parsed.count("action") == stats.actions)
        #expect(parsed.texts.contains("store (disk)") && parsed.texts.contains("restore (disk)"))

        let online = Timeline(try OnlineScheduleReplay(OnlineStummWalther(slots: 4), steps: 40))
        let discards = Array(online.schedule).filter { if case .discard = $0 { true } else { false } }.count
        #expect(discards > 0)
        let onlineSVG = try SVGElementCollector.parse(try SVGTimeline(online).rendered())
        #expect(onlineSVG.count("action", "discard", "memory") == discards)
        #expect(onlineSVG.count("action") == online.statistics.actions)
        #expect(onlineSVG.texts.contains("discard (slot freed)"))
    }

    @Test func tenThousandStepsStayDrawable() throws {
        let timeline = Timeline(try Revolve(steps: 10_000, slots: 10))
        let svg = try SVGTimeline(timeline).rendered()
        #expect(svg.utf8.count < 8_000_000)
        let parsed = try SVGElementCollector.parse(svg)
        #expect(parsed.count("action") == timeline.statistics.actions)
    }

    @Test func refusesPicturesTooLargeToView() throws {
        let timeline = Timeline(try StoreAll(steps: 150_000))  // about 4n actions
        #expect(throws: InspectorError.tooManyActionsForSVG(actions: timeline.statistics.actions, limit: 400_000)) {
            try SVGTimeline(timeline)
        }
    }
}
