import AdjointODE

extension RightHandSide {
    /// Lorenz-63: x′ = σ(y − x), y′ = x(ρ − z) − y, z′ = xy − βz, p = (σ, ρ, β), with a
    /// hand-written VJP (Lorenz 1963, doi:10.1175/1520-0469(1963)020<0130:DNF>2.0.CO;2).
    public static let lorenz63 = RightHandSide(
        dimension: 3, parameterCount: 3,
        evaluate: { _, u, p, dudt in
            dudt[0] = p[0] * (u[1] - u[0])
            dudt[1] = u[0] * (p[1] - u[2]) - u[1]
            dudt[2] = u[0] * u[1] - p[2] * u[2]
        },
        pullback: { _, u, p, v, uBar, pBar in
            uBar[0] = -p[0] * v[0] + (p[1] - u[2]) * v[1] + u[1] * v[2]
            uBar[1] = p[0] * v[0] - v[1] + u[0] * v[2]
            uBar[2] = -u[0] * v[1] - p[2] * v[2]
            pBar[0] += (u[1] - u[0]) * v[0]
            pBar[1] += u[0] * v[1]
            pBar[2] += -u[2] * v[2]
        })
}
