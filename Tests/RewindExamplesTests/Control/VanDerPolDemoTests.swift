import Testing
@testable import OptimalControl
@testable import RewindExamples

@Suite struct VanDerPolDemoTests {
    /// `rewind demo --problem vanderpol --path-constraint --shooting multiple --format json`:
    /// the reference optimum, the fields a script reads, and the N controls.
    @Test func multipleShootingJSONCarriesTheResult() throws {
        let demo = VanDerPolDemo(intervals: 20, horizon: 10, pathConstraint: true, shooting: .multiple, solver: .ipopt)
        let (json, passed) = try demo.run(json: true)
        #expect(passed)
        for field in ["\"objective\": 3.73296939", "\"stopReason\": \"ipoptSolved\"", "\"ipoptStatus\": \"Solve_Succeeded\"",
                      "\"iterations\":", "\"gradientEvaluations\":", "\"peakResidentBytes\":", "\"controls\": ["] {
            #expect(json.contains(field), "missing \(field) in \(json)")
        }
        let controls = json.split(separator: "\"controls\": [")[1].split(separator: "]")[0].split(separator: ",")
        #expect(controls.count == 20)
    }

    @Test func singleShootingTextSaysWhyItStopped() throws {
        let demo = VanDerPolDemo(intervals: 10, horizon: 10, pathConstraint: false, shooting: .single, solver: .lbfgsb)
        let (text, passed) = try demo.run(json: false)
        #expect(passed && text.contains("L-BFGS-B stopped:") && text.contains("projected gradient"), "\(text)")
    }
}
