import Testing
@testable import OptimalControl
@testable import RewindExamples

@Suite struct ControlDemoTests {
    @Test func namesAreUniqueAndRoundTrip() {
        let names = ControlDemo.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for demo in ControlDemo.allCases {
            #expect(ControlDemo(rawValue: demo.rawValue) == demo && !demo.summary.isEmpty)
        }
        #expect(ControlDemo(rawValue: "no-such-demo") == nil)
    }

    /// The fast demo runs end to end, reports progress every iteration and prints a summary.
    @Test func waltherNarayananDemoRuns() throws {
        var iterations = 0
        let result = try ControlDemo.waltherNarayanan.run { _ in iterations += 1; return .proceed }
        #expect(iterations == result.solution.iterations && iterations > 0)
        #expect(result.measurements[0].value < 1e-4)
        #expect(result.summary.contains("Walther–Narayanan") && result.summary.contains("iterations"))
    }
}
