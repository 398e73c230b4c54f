import Testing
@testable import RewindExamples

/// The stiff demo behind `rewind demo --problem robertson|brusselator|vanderpol-stiff`.
@Suite struct StiffDemoTests {
    @Test func robertsonJSONCarriesTheLossTheFullGradientsAndTheCounts() throws {
        let demo = StiffDemo(problem: .robertson, method: .kvaerno5, relative: 1e-6, absolute: 1e-10, horizon: 40, points: 500, steps: 100, memory: nil)
        let (text, passed) = try demo.run(json: true)
        #expect(passed, "\(text)")
        for key in ["\"loss\"", "\"initialState\"", "\"parameters\"", "\"steps\"", "\"rejectedSteps\"", "\"newtonIterations\"", "\"linearSolves\"", "\"peakResidentBytes\""] {
            #expect(text.contains(key), "\(key) missing from \(text)")
        }
    }

    @Test func fixedStepMethodsUseTheGivenStepCount() throws {
        let demo = StiffDemo(problem: .vanDerPol, method: .implicitEuler, relative: 1e-6, absolute: 1e-10, horizon: 0.5, points: 500, steps: 50, memory: nil)
        let (text, passed) = try demo.run(json: false)
        #expect(passed, "\(text)")
        #expect(text.contains("steps 50,"), "\(text)")
    }

    @Test func smallBrusselatorPassesItsChecks() throws {
        let demo = StiffDemo(problem: .brusselator, method: .ros3p, relative: 1e-5, absolute: 1e-8, horizon: 1, points: 20, steps: 100, memory: nil)
        let (text, passed) = try demo.run(json: true)
        #expect(passed, "\(text)")
    }
}
