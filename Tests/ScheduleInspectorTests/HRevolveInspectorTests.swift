import Testing
import CheckpointSchedules
@testable import ScheduleInspector

/// The inspector names the compressed memory level wherever an H-Revolve schedule or plan
/// uses it: the request, the statistics, both timelines and the plan report.
@Suite struct HRevolveInspectorTests {
    static let costs = CostModel(advance: 1, reverse: 2, write: [.compressedMemory: 1, .disk: 5], read: [.compressedMemory: 1, .disk: 5])
    static let request = ScheduleRequest(kind: .hRevolve, steps: 60, slots: 2, diskSlots: 3, compressedSlots: 4, costModel: costs)

    @Test func theRequestBuildsTheHierarchyAndItsReportNamesEveryLevel() throws {
        let schedule = try #require(try Self.request.makeSchedule() as? HRevolve)
        #expect(schedule.levels == [.init(.memory, slots: 2), .init(.compressedMemory, slots: 4), .init(.disk, slots: 3)])
        #expect(Self.request.budget(of: schedule) == 9)
        let report = try ScheduleReport(Self.request)
        #expect(report.statistics.predictedTime == schedule.predictedTime)
        let text = report.rendered(as: .text)
        #expect((report.statistics.stores[.compressedMemory] ?? 0) > 0 && text.contains("stores (compressedMemory)"))
        for level in StorageLevel.allCases where (report.statistics.stores[level] ?? 0) > 0 {
            #expect(text.contains("stores (\(level))"), "\(level)")
        }
        // A level with no slot is left out of the table; no slot at all is the schedule's typed error.
        let twoLevels = ScheduleRequest(kind: .hRevolve, steps: 60, slots: 2, diskSlots: 0, compressedSlots: 4, costModel: Self.costs)
        #expect(try #require(try twoLevels.makeSchedule() as? HRevolve).levels.map(\.level) == [.memory, .compressedMemory])
        let none = ScheduleRequest(kind: .hRevolve, steps: 60, slots: 0, diskSlots: 0, compressedSlots: 0)
        #expect(throws: InspectorError.self) { try none.makeSchedule() }
    }

    @Test func timelinesDrawTheCompressedLevel() throws {
        let schedule = try #require(try Self.request.makeSchedule() as? HRevolve)
        let stats = try ScheduleSimulator.run(schedule, costModel: Self.costs)
        let ascii = ASCIITimeline(Timeline(schedule)).rendered()
        #expect(ascii.contains("◆ store (compressed memory)") && ascii.contains("◇ restore (compressed memory)"))
        let svg = try SVGElementCollector.parse(try SVGTimeline(Timeline(schedule)).rendered())
        #expect(svg.count("action", "store", "compressedMemory") == stats.stores[.compressedMemory] ?? 0)
        #expect(svg.count("action", "restore", "compressedMemory") == stats.restores[.compressedMemory] ?? 0)
    }

    @Test func aPlanReportShowsTheCompressedSlots() throws {
        let codec = CodecProfile(name: "quick", ratio: 2, compressionSpeed: 2e9, decompressionSpeed: 2e9)
        let problem = PlanningProblem(steps: 100, stateSize: .megabytes(10), memory: .megabytes(60), advanceTime: 0.01,
                                      reverseTime: 0.03, codecs: [codec])
        let report = try PlanReport(problem)
        #expect(report.plan.decision.strategy == .hRevolve)
        let text = report.rendered(as: .text)
        #expect(text.contains("decision: h-revolve, ") && text.contains("compressed memory slots (quick)"), "\(text)")
        #expect(text.contains("compressedMemory stores "))
        #expect(report.rendered(as: .json).contains("\"compressedMemory\": {"))
        #expect(report.rendered(as: .csv).split(separator: "\n")[1].hasSuffix(",quick"))
    }
}
