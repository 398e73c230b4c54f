import _Differentiation

// Matrix–vector and matrix–matrix products with their registered vector-Jacobian products.
// For Y = X·W the seed's rules are X̄ = Ȳ·Wᵀ and W̄ = Xᵀ·Ȳ; for y = W·x they are
// x̄ = Wᵀ·ȳ and W̄ = ȳ·xᵀ (an outer product).

/// The matrix–vector product y = W·x, with yᵢ = Σⱼ Wᵢⱼ xⱼ.
///
/// ```swift
/// let y = matmul(W, x)      // W: m × n, x: n elements, y: m elements
/// ```
/// - Complexity: O(m·n), row by row over contiguous memory.
@inlinable
@differentiable(reverse)
public func matmul(_ W: Matrix, _ x: Vector) -> Vector {
    precondition(W.columns == x.count, "matmul of a \(W.rows) × \(W.columns) matrix and a vector of \(x.count) elements")
    return W.scalars.withUnsafeBufferPointer { w in
        x.scalars.withUnsafeBufferPointer { v in
            Vector(unsafeUninitializedCount: W.rows) { out in
                for i in 0..<W.rows {
                    var s = 0.0
                    let row = i * W.columns
                    for j in 0..<W.columns { s += w[row + j] * v[j] }
                    out[i] = s
                }
            }
        }
    }
}

/// The matrix–matrix product Y = X·W, with Yᵢⱼ = Σₖ Xᵢₖ Wₖⱼ.
///
/// ```swift
/// let Y = matmul(X, W)      // X: m × k, W: k × n, Y: m × n
/// ```
/// - Complexity: O(m·k·n), in i-k-j order so that the inner loop is contiguous.
@inlinable
@differentiable(reverse)
public func matmul(_ X: Matrix, _ W: Matrix) -> Matrix {
    precondition(X.columns == W.rows, "matmul of a \(X.rows) × \(X.columns) and a \(W.rows) × \(W.columns) matrix")
    let m = X.rows, k = X.columns, n = W.columns
    return X.scalars.withUnsafeBufferPointer { x in
        W.scalars.withUnsafeBufferPointer { w in
            Matrix(rows: m, columns: n) { out in
                out.initialize(repeating: 0)
                for i in 0..<m {
                    for l in 0..<k {
                        let xil = x[i * k + l]
                        for j in 0..<n { out[i * n + j] += xil * w[l * n + j] }
                    }
                }
            }
        }
    }
}

@inlinable
@derivative(of: matmul)
func _vjpMatmul(_ W: Matrix, _ x: Vector) -> (value: Vector, pullback: (Vector) -> (Matrix, Vector)) {
    (matmul(W, x), { ybar in
        if ybar.count == 0 { return (.zero, .zero) }
        // x̄ = Wᵀ ȳ
        let xbar = matmul(W.transposed, ybar)
        // W̄ = ȳ xᵀ
        let wbar = ybar.scalars.withUnsafeBufferPointer { yb in
            x.scalars.withUnsafeBufferPointer { v in
                Matrix(rows: W.rows, columns: W.columns) { out in
                    for i in 0..<W.rows {
                        for j in 0..<W.columns { out[i * W.columns + j] = yb[i] * v[j] }
                    }
                }
            }
        }
        return (wbar, xbar)
    })
}

@inlinable
@derivative(of: matmul)
func _vjpMatmul(_ X: Matrix, _ W: Matrix) -> (value: Matrix, pullback: (Matrix) -> (Matrix, Matrix)) {
    (matmul(X, W), { ybar in
        if ybar.scalars.isEmpty { return (.zero, .zero) }
        // X̄ = Ȳ Wᵀ,  W̄ = Xᵀ Ȳ
        return (matmul(ybar, W.transposed), matmul(X.transposed, ybar))
    })
}
