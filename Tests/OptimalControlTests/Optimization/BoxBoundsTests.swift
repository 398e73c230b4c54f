import Testing
@testable import OptimalControl

@Suite struct BoxBoundsTests {
    @Test func emptyIntervalIsATypedError() {
        #expect(throws: OptimizationError.invalidBounds(index: 1, lower: 2, upper: 1)) {
            try BoxBounds(lower: [0, 2], upper: [1, 1])
        }
        #expect(throws: OptimizationError.self) { try BoxBounds(lower: [.nan], upper: [1]) }
        #expect(throws: OptimizationError.dimensionMismatch(expected: 2, got: 1, what: "the upper bounds")) {
            try BoxBounds(lower: [0, 0], upper: [1])
        }
        let message = OptimizationError.invalidBounds(index: 1, lower: 2, upper: 1).description
        #expect(message.contains("lower 2.0 > upper 1.0") && message.contains("pass lower ≤ upper"))
    }

    @Test func projectionAndProjectedGradient() throws {
        let box = try BoxBounds(lower: [-1, 0, -.infinity], upper: [1, .infinity, 0])
        #expect(box.project([2, -3, 5]) == [1, 0, 0])
        #expect(box.contains([1, 0, 0]) && !box.contains([1.5, 0, 0]))
        #expect(box.isConstrained && !box.isBoxed && !BoxBounds.unbounded(3).isConstrained)
        // At x = (1, 0, 0) a gradient pushing out of the box has zero projected norm.
        #expect(box.projectedGradientNorm(at: [1, 0, 0], gradient: [-5, 3, -2]) == 0)
        #expect(box.projectedGradientNorm(at: [0, 1, -1], gradient: [0.5, 3, 0.25]) == 1)
    }
}
