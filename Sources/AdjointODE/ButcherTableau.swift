/// An explicit Runge–Kutta method, defined once by its Butcher tableau.
///
/// One step of size h from (t, y) computes s stages
///
/// ```
/// Yᵢ = y + h Σ_{j<i} a_ij k_j,   k_i = f(t + c_i h, Y_i, p),   i = 1 … s
/// y⁺ = y + h Σ_i b_i k_i
/// ```
///
/// and, for an embedded pair, the error estimate e = h Σ_i (b_i − b̂_i) k_i, where b̂ are
/// the weights of the embedded method of order ``embeddedOrder``. Every method here is
/// checked by its order conditions (Butcher's rooted trees, see
/// ``orderConditionResiduals(order:weights:)``) in the tests.
///
/// ```swift
/// let method = ButcherTableau.dormandPrince54
/// print(method.stages, method.order, method.embeddedOrder ?? 0)   // 7 5 4
/// ```
///
/// The discrete adjoint of a step (Hager 2000, doi:10.1007/s002110000178; Sandu 2006,
/// ICCS 2006, LNCS 3994, pp. 550–557) is derived from the same tableau; see ``RungeKuttaStepper``.
public struct ButcherTableau: Hashable, Sendable, CustomStringConvertible {
    /// A short name such as `"RK4"`.
    public let name: String
    /// s: the number of stages.
    public let stages: Int
    /// The strictly lower-triangular matrix a, row-major, `stages × stages`.
    public let a: [Double]
    /// The weights b of the propagated solution.
    public let b: [Double]
    /// The nodes c (c_i = Σ_j a_ij).
    public let c: [Double]
    /// b − b̂, the error-estimate weights of an embedded pair; `nil` for a method without one.
    public let errorWeights: [Double]?
    /// The classical order p of the propagated solution.
    public let order: Int
    /// The order of the embedded method, or `nil`.
    public let embeddedOrder: Int?

    /// A tableau from its rows. `rows[i]` holds a_i0 … a_i(i−1) (so `rows[0]` is empty).
    ///
    /// - Precondition: the shapes agree; `embeddedWeights` and `embeddedOrder` are both given or both absent.
    public init(
        name: String, order: Int, rows: [[Double]], weights: [Double], nodes: [Double],
        embeddedWeights: [Double]? = nil, embeddedOrder: Int? = nil
    ) {
        let s = weights.count
        precondition(rows.count == s && nodes.count == s, "tableau \(name): \(rows.count) rows, \(s) weights and \(nodes.count) nodes must agree")
        precondition((embeddedWeights == nil) == (embeddedOrder == nil), "tableau \(name): give embedded weights and their order together")
        var a = [Double](repeating: 0, count: s * s)
        for (i, row) in rows.enumerated() {
            precondition(row.count == i, "tableau \(name): row \(i) has \(row.count) entries, an explicit method needs \(i)")
            for (j, value) in row.enumerated() { a[i * s + j] = value }
        }
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
    }

    /// a_ij, for 0 ≤ j < i < s.
    @inlinable public func coefficient(_ i: Int, _ j: Int) -> Double { a[i * stages + j] }

    /// Whether the method has an embedded error estimate (needed for adaptive steps).
    public var isEmbedded: Bool { errorWeights != nil }

    /// The embedded weights b̂ = b − (b − b̂), or `nil`.
    public var embeddedWeights: [Double]? { errorWeights.map { zip(b, $0).map { $0 - $1 } } }

    /// `RK4`, `Dopri5(4)`, …
    public var description: String { name }
}

extension ButcherTableau {
    /// The explicit Euler method, order 1, one stage.
    public static let euler = ButcherTableau(name: "Euler", order: 1, rows: [[]], weights: [1], nodes: [0])

    /// Heun's method (explicit trapezoidal rule), order 2, with Euler embedded (order 1).
    public static let heun = ButcherTableau(
        name: "Heun2(1)", order: 2, rows: [[], [1]], weights: [0.5, 0.5], nodes: [0, 1],
        embeddedWeights: [1, 0], embeddedOrder: 1)

    /// Ralston's second-order method, the two-stage method of least error bound.
    public static let ralston = ButcherTableau(
        name: "Ralston2", order: 2, rows: [[], [2.0 / 3]], weights: [0.25, 0.75], nodes: [0, 2.0 / 3])

    /// The strong-stability-preserving three-stage third-order method of Shu & Osher (1988).
    public static let ssprk3 = ButcherTableau(
        name: "SSPRK3", order: 3, rows: [[], [1], [0.25, 0.25]], weights: [1.0 / 6, 1.0 / 6, 2.0 / 3],
        nodes: [0, 1, 0.5])

    /// The classical fourth-order Runge–Kutta method.
    public static let rk4 = ButcherTableau(
        name: "RK4", order: 4, rows: [[], [0.5], [0, 0.5], [0, 0, 1]],
        weights: [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6], nodes: [0, 0.5, 0.5, 1])

    /// Bogacki & Shampine's 3(2) pair (1989), doi:10.1016/0893-9659(89)90079-7.
    public static let bogackiShampine32 = ButcherTableau(
        name: "BS3(2)", order: 3,
        rows: [[], [0.5], [0, 0.75], [2.0 / 9, 1.0 / 3, 4.0 / 9]],
        weights: [2.0 / 9, 1.0 / 3, 4.0 / 9, 0], nodes: [0, 0.5, 0.75, 1],
        embeddedWeights: [7.0 / 24, 0.25, 1.0 / 3, 0.125], embeddedOrder: 2)

    /// Dormand & Prince's 5(4) pair (1980), doi:10.1016/0771-050X(80)90013-3.
    public static let dormandPrince54 = ButcherTableau(
        name: "Dopri5(4)", order: 5,
        rows: [
            [], [1.0 / 5], [3.0 / 40, 9.0 / 40], [44.0 / 45, -56.0 / 15, 32.0 / 9],
            [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
            [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
            [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
        ],
        weights: [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0],
        nodes: [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1],
        embeddedWeights: [5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40],
        embeddedOrder: 4)

    /// Tsitouras's 5(4) pair (2011), doi:10.1016/j.camwa.2011.06.002, with the
    /// double-precision coefficients of the paper's Table 1.
    public static let tsitouras54: ButcherTableau = {
        let weights = [
            0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742,
            -3.290069515436081, 2.324710524099774, 0,
        ]
        // b̂ − b, as tabulated.
        let difference = [
            -0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995,
            -0.1447110071732629, 0.5823571654525552, -0.45808210592918697, 1.0 / 66,
        ]
        return ButcherTableau(
            name: "Tsit5(4)", order: 5,
            rows: [
                [], [0.161], [-0.008480655492356989, 0.335480655492357],
                [2.8971530571054935, -6.359448489975075, 4.3622954328695815],
                [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
                [5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383],
                Array(weights.prefix(6)),
            ],
            weights: weights, nodes: [0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1],
            embeddedWeights: zip(weights, difference).map { $0 + $1 }, embeddedOrder: 4)
    }()

    /// Every method above, for tests and command-line listings.
    public static let all: [ButcherTableau] = [
        .euler, .heun, .ralston, .ssprk3, .rk4, .bogackiShampine32, .dormandPrince54, .tsitouras54,
    ]
}
