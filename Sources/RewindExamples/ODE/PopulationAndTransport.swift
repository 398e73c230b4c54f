import AdjointODE

extension RightHandSide {
    /// Lotka–Volterra: x′ = αx − βxy, y′ = δxy − γy, p = (α, β, δ, γ), hand-written VJP.
    public static let lotkaVolterra = RightHandSide(
        dimension: 2, parameterCount: 4,
        evaluate: { _, y, p, dydt in
            dydt[0] = p[0] * y[0] - p[1] * y[0] * y[1]
            dydt[1] = p[2] * y[0] * y[1] - p[3] * y[1]
        },
        pullback: { _, y, p, v, yBar, pBar in
            yBar[0] = v[0] * (p[0] - p[1] * y[1]) + v[1] * p[2] * y[1]
            yBar[1] = -v[0] * p[1] * y[0] + v[1] * (p[2] * y[0] - p[3])
            pBar[0] += v[0] * y[0]
            pBar[1] += -v[0] * y[0] * y[1]
            pBar[2] += v[1] * y[0] * y[1]
            pBar[3] += -v[1] * y[1]
        })

    /// Viscous Burgers u_t + (u²/2)_x = ν u_xx on a periodic domain of length `length`, by
    /// the method of lines with N cells and central differences (parameter p₀ = ν):
    /// u_i′ = −(u_{i+1}² − u_{i−1}²)/(4Δx) + ν (u_{i+1} − 2u_i + u_{i−1})/Δx².
    /// VJP: ū_j = u_j (v_{j+1} − v_{j−1})/(2Δx) + ν (v_{j+1} − 2v_j + v_{j−1})/Δx²,
    /// ν̄ = Σ_i v_i (u_{i+1} − 2u_i + u_{i−1})/Δx².
    ///
    /// Explicit steps are stable for roughly dt ≤ Δx²/(2ν) and dt ≤ Δx/max|u|.
    /// - Complexity: O(N) per evaluation and per VJP.
    public static func viscousBurgers(cells n: Int, length: Double) -> RightHandSide {
        precondition(n >= 3 && length > 0, "Burgers needs at least 3 cells and a positive length, got \(n) and \(length)")
        let dx = length / Double(n)
        let advection = 1 / (4 * dx)
        let diffusion = 1 / (dx * dx)
        return RightHandSide(
            dimension: n, parameterCount: 1,
            evaluate: { _, u, p, dudt in
                let nu = p[0]
                for i in 0..<n {
                    let left = u[i == 0 ? n - 1 : i - 1]
                    let right = u[i == n - 1 ? 0 : i + 1]
                    dudt[i] = -(right * right - left * left) * advection + nu * (right - 2 * u[i] + left) * diffusion
                }
            },
            pullback: { _, u, p, v, uBar, pBar in
                let nu = p[0]
                var nuBar = 0.0
                for j in 0..<n {
                    let l = j == 0 ? n - 1 : j - 1
                    let r = j == n - 1 ? 0 : j + 1
                    uBar[j] = 2 * advection * u[j] * (v[r] - v[l]) + nu * diffusion * (v[r] - 2 * v[j] + v[l])
                    nuBar += v[j] * (u[r] - 2 * u[j] + u[l]) * diffusion
                }
                pBar[0] += nuBar
            })
    }
}
