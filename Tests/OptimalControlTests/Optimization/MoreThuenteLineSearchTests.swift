import Foundation
import Testing
@testable import OptimalControl

@Suite struct MoreThuenteLineSearchTests {
    typealias Phi = @Sendable (Double) -> (Double, Double)

    /// Moré & Thuente's test functions 1–3 (their Table 1 settings), with the strong Wolfe
    /// conditions checked directly at the returned step. The interval tolerance xtol is set
    /// far below the default so the search may shrink its bracket as far as these tight
    /// curvature conditions need (|φ′(0)| is 5e-7 for function 2).
    static let cases: [(name: String, phi: Phi, ftol: Double, gtol: Double)] = [
        ("−α/(α²+2)", { a in (-a / (a * a + 2), (a * a - 2) / ((a * a + 2) * (a * a + 2))) }, 1e-3, 0.1),
        ("(α+0.004)^5 − 2(α+0.004)^4", { a in
            let b = a + 0.004
            return (pow(b, 5) - 2 * pow(b, 4), 5 * pow(b, 4) - 8 * pow(b, 3))
        }, 0.1, 0.1),
        ("φ3 with β=0.01, l=39", { a in
            let beta = 0.01, l = 39.0
            let phi0 = a <= 1 - beta ? 1 - a : (a >= 1 + beta ? a - 1 : (a - 1) * (a - 1) / (2 * beta) + beta / 2)
            let dphi0 = a <= 1 - beta ? -1.0 : (a >= 1 + beta ? 1.0 : (a - 1) / beta)
            let c = 2 * (1 - beta) / (l * Double.pi)
            return (phi0 + c * sin(l * Double.pi / 2 * a), dphi0 + c * l * Double.pi / 2 * cos(l * Double.pi / 2 * a))
        }, 0.1, 0.1),
    ]

    @Test(arguments: cases.indices, [1e-3, 1e-1, 1e1, 1e3])
    func satisfiesStrongWolfe(_ index: Int, start: Double) {
        let c = Self.cases[index]
        let (f0, g0) = c.phi(0)
        var search = MoreThuenteLineSearch(value: f0, slope: g0, step: start, maximumStep: 1e10,
                                           ftol: c.ftol, gtol: c.gtol, xtol: 1e-12)
        var evaluations = 0
        while case .evaluate(let a) = search.state, evaluations < 50 {
            let (f, g) = c.phi(a)
            search.next(value: f, slope: g)
            evaluations += 1
        }
        guard case .converged(let step) = search.state else {
            Issue.record("\(c.name) from α0 = \(start): \(search.state)")
            return
        }
        let (f, g) = c.phi(step)
        #expect(f <= f0 + c.ftol * step * g0, "\(c.name) from α0 = \(start)")
        #expect(abs(g) <= c.gtol * abs(g0), "\(c.name) from α0 = \(start)")
        #expect(evaluations <= 20, "\(c.name) from α0 = \(start) took \(evaluations)")
    }
}
