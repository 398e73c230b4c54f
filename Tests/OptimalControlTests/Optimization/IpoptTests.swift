import Testing
@testable import OptimalControl

@Suite struct IpoptTests {
    /// Hock & Schittkowski problem 71, IPOPT's own example: min x₀x₃(x₀ + x₁ + x₂) + x₂
    /// s.t. x₀x₁x₂x₃ ≥ 25, Σ xᵢ² = 40, 1 ≤ x ≤ 5; optimum 17.0140172 at
    /// (1, 4.7429994, 3.8211503, 1.3794082) (Hock & Schittkowski 1981, p. 92).
    static let hs071 = NonlinearProgram(
        variableLower: [1, 1, 1, 1], variableUpper: [5, 5, 5, 5],
        constraintLower: [25, 40], constraintUpper: [.infinity, 40],
        jacobianRows: [0, 0, 0, 0, 1, 1, 1, 1], jacobianColumns: [0, 1, 2, 3, 0, 1, 2, 3],
        values: { x in
            (x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2],
             [x[0] * x[1] * x[2] * x[3], x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3]])
        },
        derivatives: { x in
            ([x[0] * x[3] + x[3] * (x[0] + x[1] + x[2]), x[0] * x[3], x[0] * x[3] + 1, x[0] * (x[0] + x[1] + x[2])],
             [x[1] * x[2] * x[3], x[0] * x[2] * x[3], x[0] * x[1] * x[3], x[0] * x[1] * x[2],
              2 * x[0], 2 * x[1], 2 * x[2], 2 * x[3]])
        })

    @Test func solvesHockSchittkowski71() throws {
        var reports = 0
        let result = try Ipopt().minimize(Self.hs071, from: [1, 5, 5, 1]) { _ in reports += 1; return .proceed }
        #expect(result.status == .solveSucceeded)
        #expect(abs(result.objective - 17.014017145) <= 1e-8, "\(result.objective)")
        for (x, reference) in zip(result.x, [1, 4.742999637, 3.821149984, 1.379408293]) {
            #expect(abs(x - reference) <= 1e-7, "\(result.x)")
        }
        // IPOPT relaxes every bound b by 1e-8·max(1, abs(b)) (bound_relax_factor): 2.5e-7 for x₀x₁x₂x₃ ≥ 25.
        #expect(result.constraintViolation <= 2.5e-7 + 1e-12, "\(result.constraintViolation)")
        #expect(result.iterations > 3 && reports == result.iterations + 1, "\(result.iterations) iterations, \(reports) reports")
    }

    @Test func aFailedSolveIsATypedErrorWithIpoptsStatus() throws {
        #expect {
            try Ipopt(maximumIterations: 2).minimize(Self.hs071, from: [1, 5, 5, 1])
        } throws: { error in
            guard case let IpoptError.solveFailed(status, iterations, objective, _) = error else { return false }
            return status == .maximumIterationsExceeded && iterations == 2 && objective.isFinite
        }
        // x ≥ 1 with x ≤ 0 as a constraint: infeasible.
        let infeasible = NonlinearProgram(variableLower: [1], variableUpper: [.infinity], constraintLower: [-.infinity],
                                          constraintUpper: [0], jacobianRows: [0], jacobianColumns: [0],
                                          values: { x in (x[0] * x[0], [x[0]]) }, derivatives: { x in ([2 * x[0]], [1]) })
        #expect {
            try Ipopt().minimize(infeasible, from: [2])
        } throws: { error in
            guard case let IpoptError.solveFailed(status, _, _, violation) = error else { return false }
            return status == .infeasibleProblemDetected && violation > 0.5 && "\(error)".contains("Infeasible_Problem_Detected")
        }
    }

    @Test func rejectedOptionsAndStopsAreTypedErrors() throws {
        #expect(throws: IpoptError.invalidOption(name: "no_such_option", value: "1")) {
            try Ipopt(options: ["no_such_option": .integer(1)]).minimize(Self.hs071, from: [1, 5, 5, 1])
        }
        #expect {
            try Ipopt().minimize(Self.hs071, from: [1, 5, 5, 1]) { $0.iteration == 1 ? .stop : .proceed }
        } throws: { error in
            guard case let IpoptError.solveFailed(status, iterations, _, _) = error else { return false }
            return status == .userRequestedStop && iterations == 1
        }
        #expect(Ipopt().passedOptions.map(\.name) == ["print_level", "sb", "tol", "max_iter", "hessian_approximation", "limited_memory_max_history"])
        #expect(Ipopt(options: ["tol": .number(1e-6)]).passedOptions.last!.value == .number(1e-6))
    }
}
