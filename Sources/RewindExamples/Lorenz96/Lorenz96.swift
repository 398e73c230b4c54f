// Lorenz-96 with the classical fourth-order Runge–Kutta method, three ways:
//
//   * `Lorenz96.step`            fused forward: one pass per stage, no temporaries beyond two buffers;
//   * `Lorenz96.stepWithPullback` the same step taped (keeps its stage states) with a fused
//                                 hand-written pullback (one pass per stage);
//   * `Lorenz96.composedStep`    the same step written with `Vector` operations, for Swift AD.
//
// dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F, indices mod N (Lorenz 1996), from
// x0_i = F + 0.01·sin(i). The right-hand side for AdjointODE's solvers is
// `RightHandSide.lorenz96(dimension:)` (RightHandSide+Lorenz96.swift).
//
// The one Lorenz-96 of the package: the CLI's demo, the tests, the gradient report and the
// GradientBenchmarks suite all use it.
import _Differentiation
import CheckpointedAD

/// Lorenz-96 (Lorenz 1996) stepped by RK4: the step as Swift AD over `Vector` and as fused
/// hand-written kernels, and the standard initial state. See the file header.
public enum Lorenz96 {
    /// The right-hand side written with differentiable `Vector` operations.
    @differentiable(reverse)
    public static func rhs(_ x: Vector, _ forcing: Double) -> Vector {
        (x.rolled(by: -1) - x.rolled(by: 2)) * x.rolled(by: 1) - x + forcing
    }

    /// One RK4 step written with `Vector` operations: Swift AD derives its pullback.
    @differentiable(reverse)
    public static func composedStep(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
        let k1 = rhs(x, forcing)
        let k2 = rhs(Vector.axpy(dt / 2, k1, x), forcing)
        let k3 = rhs(Vector.axpy(dt / 2, k2, x), forcing)
        let k4 = rhs(Vector.axpy(dt, k3, x), forcing)
        return x + (dt / 6) * (k1 + 2 * (k2 + k3) + k4)
    }

    /// Calls `body(j, j−2, j−1, j+1, j+2)` for every index with periodic wrap, the interior
    /// without any modulo so that the compiler can vectorise it.
    @inline(__always)
    static func forEachIndex(_ n: Int, _ body: (Int, Int, Int, Int, Int) -> Void) {
        precondition(n >= 4, "Lorenz-96 needs at least 4 variables, got \(n)")
        func wrap(_ i: Int) -> Int { (i + n) % n }
        for j in [0, 1] { body(j, wrap(j - 2), wrap(j - 1), j + 1, j + 2) }
        for j in 2..<(n - 2) { body(j, j - 2, j - 1, j + 1, j + 2) }
        for j in [n - 2, n - 1] { body(j, j - 2, j - 1, wrap(j + 1), wrap(j + 2)) }
    }

    /// One stage of RK4, fused: k = f(z); out (+)= w·k; next = x + c·k.
    @inline(__always)
    static func stage(
        _ z: UnsafePointer<Double>, _ x: UnsafePointer<Double>, _ forcing: Double, _ n: Int,
        out: UnsafeMutablePointer<Double>, weight: Double, first: Bool,
        next: UnsafeMutablePointer<Double>?, c: Double
    ) {
        forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
            let k = (z[jp1] - z[jm2]) * z[jm1] - z[j] + forcing
            out[j] = first ? x[j] + weight * k : out[j] + weight * k
            if let next { next[j] = x[j] + c * k }
        }
    }

    /// One stage without the value: k = f(z); next = x + c·k (bit for bit the `next` of ``stage``).
    @inline(__always)
    static func stageInput(
        _ z: UnsafePointer<Double>, _ x: UnsafePointer<Double>, _ forcing: Double, _ n: Int,
        next: UnsafeMutablePointer<Double>, c: Double
    ) {
        forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
            let k = (z[jp1] - z[jm2]) * z[jm1] - z[j] + forcing
            next[j] = x[j] + c * k
        }
    }

    /// The pullback alone: three stages (the fourth only serves the value), then the same
    /// fused pullback as ``stepWithPullback(_:_:_:)``.
    public static func pullback(_ x: Vector, _ forcing: Double, _ dt: Double) -> (Vector) -> (Vector, Double) {
        let n = x.count
        var z2 = scratch(n), z3 = scratch(n), z4 = scratch(n)
        x.scalars.withUnsafeBufferPointer { xp in
            z2.withUnsafeMutableBufferPointer { p2 in
                z3.withUnsafeMutableBufferPointer { p3 in
                    z4.withUnsafeMutableBufferPointer { p4 in
                        let x = xp.baseAddress!
                        stageInput(x, x, forcing, n, next: p2.baseAddress!, c: dt / 2)
                        stageInput(p2.baseAddress!, x, forcing, n, next: p3.baseAddress!, c: dt / 2)
                        stageInput(p3.baseAddress!, x, forcing, n, next: p4.baseAddress!, c: dt)
                    }
                }
            }
        }
        return pullback(x, z2, z3, z4, dt)
    }

    /// One fused RK4 step: three buffers (the result and two stage inputs), four passes.
    public static func step(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
        let n = x.count
        var zA = scratch(n), zB = scratch(n)
        let result = x.scalars.withUnsafeBufferPointer { xp in
            zA.withUnsafeMutableBufferPointer { a in
                zB.withUnsafeMutableBufferPointer { b in
                    Vector(unsafeUninitializedCount: n) { out in
                        let x = xp.baseAddress!, o = out.baseAddress!
                        stage(x, x, forcing, n, out: o, weight: dt / 6, first: true, next: a.baseAddress!, c: dt / 2)
                        stage(a.baseAddress!, x, forcing, n, out: o, weight: dt / 3, first: false, next: b.baseAddress!, c: dt / 2)
                        stage(b.baseAddress!, x, forcing, n, out: o, weight: dt / 3, first: false, next: a.baseAddress!, c: dt)
                        stage(a.baseAddress!, x, forcing, n, out: o, weight: dt / 6, first: false, next: nil, c: 0)
                    }
                }
            }
        }
        return result
    }

    /// The taped step: the value, keeping the stage inputs z2, z3, z4, and a fused pullback.
    ///
    /// Pullback, from ȳ: x̄ = ȳ; k̄4 = dt/6·ȳ; z̄4 = J(z4)ᵀk̄4; k̄3 = dt/3·ȳ + dt·z̄4;
    /// z̄3 = J(z3)ᵀk̄3; k̄2 = dt/3·ȳ + dt/2·z̄3; z̄2 = J(z2)ᵀk̄2; k̄1 = dt/6·ȳ + dt/2·z̄2;
    /// x̄ += z̄4 + z̄3 + z̄2 + J(x)ᵀk̄1; F̄ = Σ(k̄1 + k̄2 + k̄3 + k̄4), where
    /// (J(z)ᵀw)_j = w_{j−1}·z_{j−2} − w_{j+2}·z_{j+1} + w_{j+1}·(z_{j+2} − z_{j−1}) − w_j.
    public static func stepWithPullback(_ x: Vector, _ forcing: Double, _ dt: Double)
        -> (value: Vector, pullback: (Vector) -> (Vector, Double))
    {
        let n = x.count
        var z2 = scratch(n), z3 = scratch(n), z4 = scratch(n)
        let value = x.scalars.withUnsafeBufferPointer { xp in
            z2.withUnsafeMutableBufferPointer { p2 in
                z3.withUnsafeMutableBufferPointer { p3 in
                    z4.withUnsafeMutableBufferPointer { p4 in
                        Vector(unsafeUninitializedCount: n) { out in
                            let x = xp.baseAddress!, o = out.baseAddress!
                            stage(x, x, forcing, n, out: o, weight: dt / 6, first: true, next: p2.baseAddress!, c: dt / 2)
                            stage(p2.baseAddress!, x, forcing, n, out: o, weight: dt / 3, first: false, next: p3.baseAddress!, c: dt / 2)
                            stage(p3.baseAddress!, x, forcing, n, out: o, weight: dt / 3, first: false, next: p4.baseAddress!, c: dt)
                            stage(p4.baseAddress!, x, forcing, n, out: o, weight: dt / 6, first: false, next: nil, c: 0)
                        }
                    }
                }
            }
        }
        return (value, pullback(x, z2, z3, z4, dt))
    }

    /// The fused pullback of one step from its stage inputs: one pass per stage, each
    /// computing z̄ = J(z)ᵀk̄ and at once adding it to x̄ and forming the next k̄, plus two
    /// short sum passes for F̄. Holds two k̄ buffers besides the tape and x̄.
    static func pullback(_ x: Vector, _ z2: [Double], _ z3: [Double], _ z4: [Double], _ dt: Double) -> (Vector) -> (Vector, Double) {
        let n = x.count
        return { ybar in
            if ybar.count == 0 { return (.zero, 0) }
            var kA = scratch(n), kB = scratch(n)
            var forcingBar = 0.0
            let xbar = Vector(unsafeUninitializedCount: n) { xb in
                ybar.scalars.withUnsafeBufferPointer { yb in
                    x.scalars.withUnsafeBufferPointer { xp in
                        z2.withUnsafeBufferPointer { p2 in
                            z3.withUnsafeBufferPointer { p3 in
                                z4.withUnsafeBufferPointer { p4 in
                                    kA.withUnsafeMutableBufferPointer { a in
                                        kB.withUnsafeMutableBufferPointer { b in
                                            let y = yb.baseAddress!, o = xb.baseAddress!
                                            let a = a.baseAddress!, b = b.baseAddress!
                                            // Stage 4: z̄4 = J(z4)ᵀ(dt/6·ȳ); x̄ = ȳ + z̄4; k̄3 = dt/3·ȳ + dt·z̄4.
                                            forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
                                                let t = dt / 6 * transposedJacobianProduct(p4.baseAddress!, y, j, jm2, jm1, jp1, jp2)
                                                o[j] = y[j] + t
                                                a[j] = dt / 3 * y[j] + dt * t
                                            }
                                            forcingBar += sum(y, scaledBy: dt / 6, plus: a, n)
                                            // Stage 3: z̄3 = J(z3)ᵀk̄3; k̄2 = dt/3·ȳ + dt/2·z̄3.
                                            forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
                                                let t = transposedJacobianProduct(p3.baseAddress!, a, j, jm2, jm1, jp1, jp2)
                                                o[j] += t
                                                b[j] = dt / 3 * y[j] + dt / 2 * t
                                            }
                                            // Stage 2: z̄2 = J(z2)ᵀk̄2; k̄1 = dt/6·ȳ + dt/2·z̄2.
                                            forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
                                                let t = transposedJacobianProduct(p2.baseAddress!, b, j, jm2, jm1, jp1, jp2)
                                                o[j] += t
                                                a[j] = dt / 6 * y[j] + dt / 2 * t
                                            }
                                            forcingBar += sum(b, scaledBy: 1, plus: a, n)
                                            // Stage 1: x̄ += J(x)ᵀk̄1.
                                            forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
                                                o[j] += transposedJacobianProduct(xp.baseAddress!, a, j, jm2, jm1, jp1, jp2)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return (xbar, forcingBar)
        }
    }

    /// (J(z)ᵀw)_j = w_{j−1}·z_{j−2} − w_{j+2}·z_{j+1} + w_{j+1}·(z_{j+2} − z_{j−1}) − w_j, the
    /// transposed Jacobian of f(z)_j = (z_{j+1} − z_{j−2})·z_{j−1} − z_j + F applied to w.
    @inline(__always)
    static func transposedJacobianProduct(
        _ z: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ j: Int, _ jm2: Int, _ jm1: Int, _ jp1: Int, _ jp2: Int
    ) -> Double {
        w[jm1] * z[jm2] - w[jp2] * z[jp1] + w[jp1] * (z[jp2] - z[jm1]) - w[j]
    }

    /// An array of `n` doubles whose contents are garbage: every kernel here writes each
    /// element before reading it, so the zero fill would be a wasted pass.
    @inline(__always)
    static func scratch(_ n: Int) -> [Double] {
        Array(unsafeUninitializedCapacity: n) { _, count in count = n }
    }

    /// c·Σ p[0 ..< n] + Σ q[0 ..< n] with four accumulators, so that the loop is not bound by
    /// the latency of one floating-point add per element.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Double>, scaledBy c: Double, plus q: UnsafePointer<Double>, _ n: Int) -> Double {
        var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0, q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0
        var j = 0
        while j + 4 <= n {
            p0 += p[j]; p1 += p[j + 1]; p2 += p[j + 2]; p3 += p[j + 3]
            q0 += q[j]; q1 += q[j + 1]; q2 += q[j + 2]; q3 += q[j + 3]
            j += 4
        }
        while j < n { p0 += p[j]; q0 += q[j]; j += 1 }
        return c * ((p0 + p1) + (p2 + p3)) + ((q0 + q1) + (q2 + q3))
    }

    /// x0_i = F + 0.01·sin(i).
    public static func initialState(count n: Int, forcing: Double) -> Vector {
        Vector((0..<n).map { forcing + 0.01 * _sin(Double($0)) })
    }
}

/// sin without Foundation.
@inline(__always)
func _sin(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.sin(x)
    #else
    return Darwin.sin(x)
    #endif
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
