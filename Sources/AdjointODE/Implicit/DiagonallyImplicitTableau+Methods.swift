import Foundation

extension DiagonallyImplicitTableau {
    /// The implicit (backward) Euler method: order 1, L-stable, one implicit stage, no
    /// error estimate (fixed steps only).
    public static let implicitEuler = DiagonallyImplicitTableau(
        name: "ImplicitEuler", order: 1, rows: [[1]], weights: [1], nodes: [1])

    /// The trapezoidal rule (Crank–Nicolson) as a two-stage ESDIRK: order 2, A-stable but
    /// not L-stable (stiff components are not damped), no error estimate.
    public static let trapezoidal = DiagonallyImplicitTableau(
        name: "Trapezoidal", order: 2, rows: [[0], [0.5, 0.5]], weights: [0.5, 0.5], nodes: [0, 1])

    /// TR-BDF2 as a three-stage ESDIRK with γ = 2 − √2 (Bank et al. 1985, IEEE Trans.
    /// Electron Devices 32(10); Hosea & Shampine 1996, Appl. Numer. Math. 20, pp. 21–37):
    /// order 2, L-stable, with the third-order companion of Hosea & Shampine as the error
    /// estimate (so the estimate is of the order-2 solution's local error).
    public static let trBDF2: DiagonallyImplicitTableau = {
        let gamma = 2 - 2.0.squareRoot()
        let d = gamma / 2
        let w = 2.0.squareRoot() / 4
        return DiagonallyImplicitTableau(
            name: "TR-BDF2", order: 2, rows: [[0], [d, d], [w, w, d]], weights: [w, w, d], nodes: [0, gamma, 1],
            embeddedWeights: [(1 - w) / 3, (3 * w + 1) / 3, d / 3], embeddedOrder: 3)
    }()

    /// Kværnø's 3(2) ESDIRK pair (Kværnø 2004, *BIT* 44(3), pp. 489–502):
    /// four stages, order 3, L-stable and stiffly accurate, embedded order 2. γ is the root
    /// of 6γ³ − 18γ² + 9γ − 1 = 0 near 0.4359; every other coefficient is a function of γ.
    public static let kvaerno3: DiagonallyImplicitTableau = {
        let g = 0.435866521508459
        let a31 = (-4 * g * g + 6 * g - 1) / (4 * g)
        let a32 = (-2 * g + 1) / (4 * g)
        let a41 = (6 * g - 1) / (12 * g)
        let a42 = -1 / ((24 * g - 12) * g)
        let a43 = (-6 * g * g + 6 * g - 1) / (6 * g - 3)
        return DiagonallyImplicitTableau(
            name: "Kvaerno3(2)", order: 3,
            rows: [[0], [g, g], [a31, a32, g], [a41, a42, a43, g]],
            weights: [a41, a42, a43, g], nodes: [0, 2 * g, 1, 1],
            embeddedWeights: [a31, a32, g, 0], embeddedOrder: 2)
    }()

    /// Kværnø's 5(4) ESDIRK pair (Kværnø 2004, *BIT* 44(3), pp. 489–502),
    /// with the coefficients diffrax's `Kvaerno5` uses: seven stages, γ = 0.26, order 5,
    /// L-stable and stiffly accurate, embedded order 4. Stage 3 is evaluated at
    /// t + 1.2303 h, past the step's end.
    public static let kvaerno5: DiagonallyImplicitTableau = {
        let g = 0.26
        let rows: [[Double]] = [
            [0],
            [g, g],
            [0.13, 0.84033320996790809, g],
            [0.22371961478320505, 0.47675532319799699, -0.06470895363112615, g],
            [0.16648564323248321, 0.10450018841591720, 0.03631482272098715, -0.13090704451073998, g],
            [0.13855640231268224, 0, -0.04245337201752043, 0.02446657898003141, 0.61943039072480676, g],
            [0.13659751177640291, 0, -0.05496908796538376, -0.04118626728321046, 0.62993304899016403, 0.06962479448202728, g],
        ]
        return DiagonallyImplicitTableau(
            name: "Kvaerno5(4)", order: 5, rows: rows, weights: rows[6],
            nodes: [0, 0.52, 1.230333209967908, 0.8957659843500759, 0.43639360985864756, 1, 1],
            embeddedWeights: rows[5] + [0], embeddedOrder: 4)
    }()

    /// Every method above, for tests and command-line listings.
    public static let all: [DiagonallyImplicitTableau] = [.implicitEuler, .trapezoidal, .trBDF2, .kvaerno3, .kvaerno5]
}
