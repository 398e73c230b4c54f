import Foundation

/// A singly diagonally implicit Runge–Kutta method (SDIRK, or ESDIRK when its first stage
/// is explicit), defined once by its Butcher tableau.
///
/// One step of size h from (t, y) solves s stage equations in turn,
///
/// ```
/// Y_i = y + h Σ_{j<i} a_ij k_j + h γ k_i,   k_i = f(t + c_i h, Y_i, p),   i = 1 … s
/// y⁺  = y + h Σ_i b_i k_i
/// ```
///
/// where every implicit stage has the same diagonal coefficient a_ii = γ (an explicit stage
/// has a_ii = 0), so one factorisation of I − hγJ serves every stage of a step. An embedded
/// pair also gives e = h Σ (b_i − b̂_i) k_i. The order conditions are those of every
/// Runge–Kutta method (Butcher's rooted trees; Hairer & Wanner, *Solving ODEs II*, §IV.6,
/// doi:10.1007/978-3-642-05221-7), checked in the tests with
/// ``orderConditionResiduals(order:weights:)``.
///
/// ```swift
/// let method = DiagonallyImplicitTableau.kvaerno5
/// print(method.stages, method.order, method.embeddedOrder ?? 0, method.diagonal)   // 7 5 4 0.26
/// ```
///
/// The exact discrete adjoint (implicit function theorem on the converged stage equations)
/// is derived from the same tableau; see ``DiagonallyImplicitStepper``.
public struct DiagonallyImplicitTableau: Hashable, Sendable, CustomStringConvertible {
    /// A short name such as `"Kvaerno5(4)"`.
    public let name: String
    /// s: the number of stages.
    public let stages: Int
    /// The lower-triangular matrix a with its diagonal, row-major, `stages × stages`.
    public let a: [Double]
    /// The weights b of the propagated solution.
    public let b: [Double]
    /// The nodes c (c_i = Σ_{j≤i} a_ij).
    public let c: [Double]
    /// b − b̂, the error-estimate weights of an embedded pair; `nil` without one.
    public let errorWeights: [Double]?
    /// The classical order p of the propagated solution.
    public let order: Int
    /// The order of the embedded method, or `nil`.
    public let embeddedOrder: Int?
    /// γ: the diagonal coefficient shared by every implicit stage.
    public let diagonal: Double

    /// A tableau from its rows: `rows[i]` holds a_i0 … a_ii (the diagonal last).
    ///
    /// - Precondition: the shapes agree; every non-zero diagonal entry is the same γ > 0;
    ///   `embeddedWeights` and `embeddedOrder` are both given or both absent.
    public init(
        name: String, order: Int, rows: [[Double]], weights: [Double], nodes: [Double],
        embeddedWeights: [Double]? = nil, embeddedOrder: Int? = nil
    ) {
        let s = weights.count
        precondition(rows.count == s && nodes.count == s, "tableau \(name): \(rows.count) rows, \(s) weights and \(nodes.count) nodes must agree")
        precondition((embeddedWeights == nil) == (embeddedOrder == nil), "tableau \(name): give embedded weights and their order together")
        var a = [Double](repeating: 0, count: s * s)
        for (i, row) in rows.enumerated() {
            precondition(row.count == i + 1, "tableau \(name): row \(i) has \(row.count) entries, a diagonally implicit method needs \(i + 1)")
            for (j, value) in row.enumerated() { a[i * s + j] = value }
        }
        let diagonals = Set((0..<s).map { a[$0 * s + $0] }.filter { $0 != 0 })
        precondition(diagonals.count == 1, "tableau \(name): the implicit stages must share one diagonal γ, found \(diagonals.sorted())")
        precondition(diagonals.first! > 0, "tableau \(name): γ must be positive, got \(diagonals.first!)")
        if let embedded = embeddedWeights {
            precondition(embedded.count == s, "tableau \(name): \(embedded.count) embedded weights for \(s) stages")
        }
        self.name = name
        self.stages = s
        self.a = a
        self.b = weights
        self.c = nodes
        self.errorWeights = embeddedWeights.map { zip(weights, $0).map { $0 - $1 } }
        self.order = order
        self.embeddedOrder = embeddedOrder
        self.diagonal = diagonals.first!
    }

    /// a_ij, for 0 ≤ j ≤ i < s.
    @inlinable public func coefficient(_ i: Int, _ j: Int) -> Double { a[i * stages + j] }

    /// Whether stage i is implicit (a_ii = γ ≠ 0).
    @inlinable public func isImplicit(_ i: Int) -> Bool { a[i * stages + i] != 0 }

    /// Whether the method has an embedded error estimate (needed for adaptive steps).
    public var isEmbedded: Bool { errorWeights != nil }

    /// The embedded weights b̂ = b − (b − b̂), or `nil`.
    public var embeddedWeights: [Double]? { errorWeights.map { zip(b, $0).map { $0 - $1 } } }

    /// The residual Σ b_i Φ_i(τ) − 1/γ(τ) of every rooted tree τ with 1 … `order` vertices
    /// (see ``ButcherTableau/orderConditionResiduals(order:weights:)``), with the diagonal.
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

    /// `Kvaerno5(4)`, `TR-BDF2`, …
    public var description: String { name }
}
