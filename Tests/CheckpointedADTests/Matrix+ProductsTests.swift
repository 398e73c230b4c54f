import _Differentiation
import Testing
@testable import CheckpointedAD
import RewindTestSupport

/// Matrix products and their VJPs (X̄ = Ȳ·Wᵀ, W̄ = Xᵀ·Ȳ) against closed forms and
/// central differences.
@Suite struct MatrixProductsTests {
    func randomMatrix(_ rows: Int, _ columns: Int, _ generator: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, columns: columns, scalars: Vector.random(count: rows * columns, using: &generator).scalars)
    }

    @Test func productsMatchTheDefinition() {
        let W = Matrix(rows: 2, columns: 3, scalars: [1, 2, 3, 4, 5, 6])
        #expect(matmul(W, Vector([1, 0, -1])) == [-2, -2])
        let X = Matrix(rows: 1, columns: 2, scalars: [1, 1])
        #expect(matmul(X, W) == Matrix(rows: 1, columns: 3, scalars: [5, 7, 9]))
        #expect(W.transposed.transposed == W)
    }

    @Test func matrixMatrixVJPMatchesFiniteDifferences() {
        var generator = SplitMix64(seed: 3)
        let (m, k, n) = (3, 4, 2)
        let X = randomMatrix(m, k, &generator), W = randomMatrix(k, n, &generator)
        let Ybar = randomMatrix(m, n, &generator)
        let (_, pullback) = valueWithPullback(at: X, W) { X, W in matmul(X, W) }
        let (Xbar, Wbar) = pullback(Ybar)
        #expect(Xbar == matmul(Ybar, W.transposed))
        #expect(Wbar == matmul(X.transposed, Ybar))
        // ⟨Ȳ, (X + hV)W⟩ by central differences along random directions.
        let V = randomMatrix(m, k, &generator), U = randomMatrix(k, n, &generator)
        func loss(_ X: Matrix, _ W: Matrix) -> Double { Vector(matmul(X, W).scalars).dot(Vector(Ybar.scalars)) }
        let h = 1e-6
        let dX = (loss(X + Matrix(rows: m, columns: k, scalars: (h * Vector(V.scalars)).scalars), W)
            - loss(X - Matrix(rows: m, columns: k, scalars: (h * Vector(V.scalars)).scalars), W)) / (2 * h)
        let dW = (loss(X, W + Matrix(rows: k, columns: n, scalars: (h * Vector(U.scalars)).scalars))
            - loss(X, W - Matrix(rows: k, columns: n, scalars: (h * Vector(U.scalars)).scalars))) / (2 * h)
        #expect(relativeDifference(Vector(Xbar.scalars).dot(Vector(V.scalars)), dX) < 1e-8)
        #expect(relativeDifference(Vector(Wbar.scalars).dot(Vector(U.scalars)), dW) < 1e-8)
    }

    @Test func matrixVectorVJPMatchesFiniteDifferences() {
        var generator = SplitMix64(seed: 4)
        let W = randomMatrix(3, 5, &generator)
        let x = Vector.random(count: 5, using: &generator), ybar = Vector.random(count: 3, using: &generator)
        let (_, pullback) = valueWithPullback(at: W, x) { W, x in matmul(W, x) }
        let (Wbar, xbar) = pullback(ybar)
        let v = Vector.random(count: 5, using: &generator)
        let dx = centralDifference({ matmul(W, $0).dot(ybar) }, at: x, along: v)
        #expect(relativeDifference(xbar.dot(v), dx) < 1e-8)
        // W̄ = ȳ·xᵀ, element by element.
        for i in 0..<3 { for j in 0..<5 { #expect(Wbar[i, j] == ybar.scalars[i] * x.scalars[j]) } }
        let (zeroW, zeroX) = pullback(.zero)
        #expect(zeroW.scalars.isEmpty && zeroX.count == 0)
    }
}
