/// A Rosenbrock (linearly implicit) method in the transformed variables of Hairer & Wanner
/// (*Solving ODEs II*, §IV.7, eq. (7.4′)), for non-autonomous problems too:
///
/// ```
/// (I/(hγ) − J) u_i = f(t + α_i h, y + Σ_{j<i} a_ij u_j) + Σ_{j<i} (c_ij / h) u_j + γ_i h ∂f/∂t(t, y),
/// J = ∂f/∂y(t, y),   y⁺ = y + Σ_i m_i u_i,   e = Σ_i (m_i − m̂_i) u_i
/// ```
///
/// One factorisation of I − hγJ per step and no Newton iteration. γ_i = Σ_{j≤i} γ_ij are the
/// row sums of the method's original Γ (``timeWeights``); ``RosenbrockStepper`` forms ∂f/∂t
/// by a difference in t (exactly zero for an autonomous f).
///
/// ```swift
/// let method = RosenbrockTableau.ros3p
/// print(method.stages, method.order, method.embeddedOrder ?? 0)   // 3 3 2
/// ```
public struct RosenbrockTableau: Hashable, Sendable, CustomStringConvertible {
    /// A short name such as `"ROS3P"`.
    public let name: String
    /// s.
    public let stages: Int
    /// γ: the diagonal, shared by every stage.
    public let diagonal: Double
    /// a_ij (strictly lower, row-major s × s): the stage-argument coefficients.
    public let a: [Double]
    /// c_ij (strictly lower, row-major s × s): the coefficients of u_j / h on the right.
    public let c: [Double]
    /// α_i: the stage times are t + α_i h.
    public let nodes: [Double]
    /// m_i: the weights of y⁺.
    public let weights: [Double]
    /// γ_i = Σ_{j≤i} γ_ij: the weights of h ∂f/∂t in the stage equations.
    public let timeWeights: [Double]
    /// m − m̂: the error-estimate weights, or `nil`.
    public let errorWeights: [Double]?
    /// The classical order.
    public let order: Int
    /// The embedded order, or `nil`.
    public let embeddedOrder: Int?

    /// A tableau from its rows: `a[i]` and `c[i]` hold the i entries left of the diagonal;
    /// `timeWeights` the γ_i of the ∂f/∂t term.
    public init(
        name: String, order: Int, diagonal: Double, a rowsA: [[Double]], c rowsC: [[Double]], nodes: [Double],
        timeWeights: [Double], weights: [Double], embeddedWeights: [Double]? = nil, embeddedOrder: Int? = nil
    ) {
        let s = weights.count
        precondition(rowsA.count == s && rowsC.count == s && nodes.count == s && timeWeights.count == s, "tableau \(name): the rows, nodes, time weights and weights must agree on \(s) stages")
        precondition((embeddedWeights == nil) == (embeddedOrder == nil), "tableau \(name): give embedded weights and their order together")
        precondition(diagonal > 0, "tableau \(name): γ must be positive, got \(diagonal)")
        var a = [Double](repeating: 0, count: s * s)
        var c = [Double](repeating: 0, count: s * s)
        for i in 0..<s {
            precondition(rowsA[i].count == i && rowsC[i].count == i, "tableau \(name): row \(i) needs \(i) entries")
            for j in 0..<i {
                a[i * s + j] = rowsA[i][j]
                c[i * s + j] = rowsC[i][j]
            }
        }
        self.name = name
        self.stages = s
        self.diagonal = diagonal
        self.a = a
        self.c = c
        self.nodes = nodes
        self.timeWeights = timeWeights
        self.weights = weights
        self.errorWeights = embeddedWeights.map { zip(weights, $0).map { $0 - $1 } }
        self.order = order
        self.embeddedOrder = embeddedOrder
    }

    /// `ROS3P`.
    public var description: String { name }

    /// ROS3P (Lang & Verwer 2001, *BIT* 41(4), pp. 731–738, doi:10.1023/A:1021900219772):
    /// three stages, order 3 (also for parabolic problems), A-stable, embedded order 2;
    /// the coefficients in transformed variables as diffrax's `Ros3p` uses them; γ_i as in
    /// KPP's ROS-3P (γ₂₁ = −1, γ₃₁ = −γ, γ₃₂ = −(1/2 + 1/√3): the c_ij give them back).
    public static let ros3p = RosenbrockTableau(
        name: "ROS3P", order: 3, diagonal: 0.7886751345948129,
        a: [[], [1.267949192431123], [1.267949192431123, 0]],
        c: [[], [-1.607695154586736], [-3.464101615137755, -1.732050807568877]],
        nodes: [0, 1, 1],
        timeWeights: [0.7886751345948129, -0.2113248654051871, -1.077350269189626],
        weights: [2, 0.5773502691896258, 0.4226497308103742],
        embeddedWeights: [2.113248654051871, 1, 0.4226497308103742], embeddedOrder: 2)
}

extension RosenbrockTableau: ODEMethod {
    /// A ``RosenbrockStepper`` (Rosenbrock methods solve no nonlinear equations).
    public func makeStepper(rightHandSide: RightHandSide, newton: NewtonOptions) -> any ODEStepper {
        RosenbrockStepper(method: self, rightHandSide: rightHandSide)
    }
}
