import Foundation
import Testing
@testable import AdjointODE

/// The LAPACK wrappers against small systems solved by hand, and against each other.
@Suite struct LinearAlgebraTests {
    // A = [[4, 1], [2, 3]], det 10: A⁻¹ = [[3, −1], [−2, 4]]/10, A⁻ᵀ = [[3, −2], [−1, 4]]/10.
    let a: [Double] = [4, 2, 1, 3]  // column-major

    @Test func denseSolveMatchesTheHandSolution() throws {
        let lu = try DenseLUFactorization(columnMajor: a, dimension: 2)
        var b = [1.0, 2.0]
        lu.solve(&b)
        #expect(abs(b[0] - 0.1) < 1e-15 && abs(b[1] - 0.6) < 1e-15)
    }

    @Test func denseTransposedSolveMatchesTheHandSolution() throws {
        let lu = try DenseLUFactorization(columnMajor: a, dimension: 2)
        var b = [1.0, 2.0]
        lu.solve(&b, transposed: true)
        #expect(abs(b[0] + 0.1) < 1e-15 && abs(b[1] - 0.7) < 1e-15)
    }

    @Test func singularDenseMatrixIsATypedError() {
        #expect(throws: LinearAlgebraError.singularMatrix(pivot: 1, dimension: 2)) {
            try DenseLUFactorization(columnMajor: [1, 2, 2, 4], dimension: 2)
        }
    }

    @Test func nonFiniteEntryIsATypedError() {
        #expect(throws: LinearAlgebraError.nonFiniteEntry(row: 1, column: 0)) {
            try DenseLUFactorization(columnMajor: [1, .nan, 0, 1], dimension: 2)
        }
    }

    @Test func bandedLaplacianSolveMatchesTheHandSolution() throws {
        let lu = BandedLUFactorization(dimension: 4, lower: 1, upper: 1)
        for i in 0..<4 {
            lu.set(i, i, -2)
            if i > 0 { lu.set(i, i - 1, 1); lu.set(i - 1, i, 1) }
        }
        try lu.factor()
        var b = [1.0, 0, 0, 1]
        lu.solve(&b)
        #expect(b.allSatisfy { abs($0 + 1) < 1e-15 })
    }

    /// A non-symmetric band (kl = 2, ku = 1) solved both ways agrees with the dense LU: with
    /// a dominant diagonal (no row interchanges: the two-`dtbsv` solves) and with a small one
    /// (interchanges: `dgbtrs`).
    @Test(arguments: [5.0, 0.01])
    func bandedSolvesAgreeWithDenseOnes(diagonal: Double) throws {
        let n = 7
        let banded = BandedLUFactorization(dimension: n, lower: 2, upper: 1)
        var dense = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in Swift.max(0, j - 1)...Swift.min(n - 1, j + 2) {
                let value = i == j ? diagonal * (1 + Double(i)) : sin(Double(3 * i + 7 * j + 1))
                banded.set(i, j, value)
                dense[i + j * n] = value
            }
        }
        try banded.factor()
        #expect(banded.interchangedRows == (diagonal < 1))
        let full = try DenseLUFactorization(columnMajor: dense, dimension: n)
        for transposed in [false, true] {
            var x = (0..<n).map { cos(Double($0)) }
            var y = x
            banded.solve(&x, transposed: transposed)
            full.solve(&y, transposed: transposed)
            #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-12 * Swift.max(1, abs($1)) }, "transposed: \(transposed)")
        }
    }

    @Test func singularBandedMatrixIsATypedError() {
        let lu = BandedLUFactorization(dimension: 3, lower: 1, upper: 1)
        lu.set(0, 0, 1)
        lu.set(1, 1, 1)
        #expect(throws: LinearAlgebraError.singularMatrix(pivot: 2, dimension: 3)) { try lu.factor() }
    }
}

extension LinearAlgebraTests {
    /// A NaN right-hand side propagates (LAPACKE's own NaN scan, which would reject it, is off).
    @Test func nanRightHandSidePropagates() throws {
        let lu = try DenseLUFactorization(columnMajor: a, dimension: 2)
        var b = [Double.nan, 1]
        lu.solve(&b, transposed: true)
        #expect(b.contains { $0.isNaN })
    }
}
