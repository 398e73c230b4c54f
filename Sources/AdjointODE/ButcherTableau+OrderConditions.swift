/// The order conditions of an explicit Runge–Kutta method, as an executable check (the
/// implicit tableaux share them: ``DiagonallyImplicitTableau/orderConditionResiduals(order:weights:)``).
///
/// A method has order p when Σ_i b_i Φ_i(τ) = 1/γ(τ) for every rooted tree τ with at most
/// p vertices (Butcher 1963; Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.2,
/// doi:10.1007/978-3-540-78862-1). For τ = [τ₁, …, τ_m] (a root with subtrees τ_k),
/// Φ_i(τ) = Π_k Σ_j a_ij Φ_j(τ_k) (Φ_i(•) = 1) and γ(τ) = |τ| Π_k γ(τ_k).
extension ButcherTableau {
    /// The residual Σ b_i Φ_i(τ) − 1/γ(τ) of every rooted tree τ with 1 … `order` vertices,
    /// ordered by size (1, 1, 2, 4, 9, 20, … trees).
    ///
    /// - Parameters:
    ///   - order: the largest tree size, 1 … 8.
    ///   - weights: the weights to check; `b` by default, pass ``embeddedWeights`` for the
    ///     embedded method.
    /// - Complexity: O(T·s²) for T trees (T = 37 for order 6).
    public func orderConditionResiduals(order: Int, weights: [Double]? = nil) -> [Double] {
        precondition((1...8).contains(order), "order conditions are enumerated for orders 1…8, got \(order)")
        let weights = weights ?? b
        precondition(weights.count == stages, "\(weights.count) weights for \(stages) stages")
        return RootedTrees.residuals(coefficients: a, stages: stages, weights: weights, order: order)
    }

    /// The largest p ≤ `limit` for which every order condition holds within `tolerance`.
    public func satisfiedOrder(weights: [Double]? = nil, tolerance: Double = 1e-12, limit: Int = 6) -> Int {
        RootedTrees.satisfiedOrder(residuals: orderConditionResiduals(order: limit, weights: weights), tolerance: tolerance, limit: limit)
    }
}

extension RootedTrees {
    /// Σ b_i Φ_i(τ) − 1/γ(τ) for every tree τ with 1 … `order` vertices, for any s × s
    /// row-major matrix a (explicit, diagonally or fully implicit):
    /// Φ_i(τ) = Π_k Σ_j a_ij Φ_j(τ_k), summed over every j.
    static func residuals(coefficients a: [Double], stages: Int, weights: [Double], order: Int) -> [Double] {
        let trees = RootedTrees(maximumOrder: order)
        var phi: [[Double]] = []  // Φ(τ) per tree, in the order of `trees.children`
        var residuals: [Double] = []
        for (index, children) in trees.children.enumerated() {
            var weight = [Double](repeating: 1, count: stages)
            for child in children {
                for i in 0..<stages {
                    var sum = 0.0
                    for j in 0..<stages where a[i * stages + j] != 0 { sum += a[i * stages + j] * phi[child][j] }
                    weight[i] *= sum
                }
            }
            phi.append(weight)
            let value = zip(weights, weight).reduce(0) { $0 + $1.0 * $1.1 }
            residuals.append(value - 1 / trees.density[index])
        }
        return residuals
    }

    /// The largest p ≤ `limit` whose trees' `residuals` are all within `tolerance`.
    static func satisfiedOrder(residuals: [Double], tolerance: Double, limit: Int) -> Int {
        let counts = RootedTrees(maximumOrder: limit).order
        var p = 0
        while p < limit, zip(residuals, counts).allSatisfy({ $0.1 != p + 1 || abs($0.0) <= tolerance }) { p += 1 }
        return p
    }
}

/// All rooted trees up to a given number of vertices, each as the indices of its subtrees
/// (non-decreasing, so every tree appears once), with its order |τ| and density γ(τ).
struct RootedTrees {
    var children: [[Int]] = []
    var order: [Int] = []
    var density: [Double] = []

    init(maximumOrder: Int) {
        for n in 1...maximumOrder {
            var chosen: [Int] = []
            extend(remaining: n - 1, smallest: 0, chosen: &chosen, treeOrder: n)
        }
    }

    /// Adds every tree of `treeOrder` vertices whose root's subtree list starts with `chosen`
    /// and continues with subtrees of index ≥ `smallest` totalling `remaining` vertices.
    private mutating func extend(remaining: Int, smallest: Int, chosen: inout [Int], treeOrder: Int) {
        if remaining == 0 {
            children.append(chosen)
            order.append(treeOrder)
            density.append(chosen.reduce(Double(treeOrder)) { $0 * density[$1] })
            return
        }
        let existing = children.count
        var index = smallest
        while index < existing, order[index] <= remaining {
            if order[index] < treeOrder {
                chosen.append(index)
                extend(remaining: remaining - order[index], smallest: index, chosen: &chosen, treeOrder: treeOrder)
                chosen.removeLast()
            }
            index += 1
        }
    }
}
