import CheckpointSchedules
import Foundation
import Testing
@testable import ScheduleInspector

/// The two-thread picture: one lane per thread, every action one element in its thread's
/// lane, and `rewind plot --threads 2` writing it.
@Suite struct ParallelSVGTimelineTests {
    @Test func everyActionIsOneElementInItsThreadsLane() throws {
        let tree = try PipelinedReversal(steps: 60, branching: [5, 3], handOffDepth: 3)
        let picture = try ParallelSVGTimeline(tree, reverseCost: 2.5)
        let svg = picture.rendered()
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        let lane0 = try #require(svg.range(of: "<g id=\"lane-0\">")), lane1 = try #require(svg.range(of: "<g id=\"lane-1\">"))
        let top = String(svg[lane0.upperBound..<lane1.lowerBound]), bottom = String(svg[lane1.upperBound...])
        let actions = tree.actions()
        #expect(svg.components(separatedBy: "class=\"action ").count - 1 == actions.count)
        // Every reverse (taped step and pullback) is the caller's; after the recording sweep
        // every advance is the recomputing thread's.
        let reverses = actions.count { if case .reverse = $0 { true } else { false } }
        #expect(top.components(separatedBy: "class=\"action reverse thread-0\"").count - 1 == reverses)
        #expect(!bottom.contains("action reverse thread"))
        let split = try #require(actions.firstIndex(of: .endForward))
        let recomputed = actions[split...].count { if case .advance = $0 { true } else { false } }
        #expect(bottom.components(separatedBy: "class=\"action advance thread-1\"").count - 1 == recomputed)
        #expect(top.contains("caller's thread") && bottom.contains("recomputing thread"))
        // The predicted play: the recording sweep, then R's n reverses at least.
        #expect(picture.report.totalTime >= Double(59) + 2.5 * 60)
    }

    @Test func plotDrawsTwoLanesAndRefusesAMissingBudget() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rewind-two-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let e2e = EndToEndTests()
        let run = try e2e.rewind("plot", "--steps", "200", "--slots", "24", "--threads", "2", "--svg", path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("PipelinedReversal(steps: 200"))
        #expect(run.stderr.hasPrefix("wrote \(path): two lanes"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.contains("<g id=\"lane-0\">") && svg.contains("<g id=\"lane-1\">"))
        let missing = try e2e.rewind("plot", "--steps", "200", "--slots", "24", "--threads", "2")
        #expect(missing.status == 64 && missing.stderr.contains("--svg"))
    }
}
