// Lorenz-96 with the classical fourth-order Runge–Kutta method, three ways:
//
//   * `Lorenz96.step`            fused forward: one pass per stage, no temporaries beyond two buffers;
//   * `Lorenz96.stepWithPullback` the same step taped (keeps its stage states) with a fused
//                                 hand-written pullback (one pass per stage);
//   * `Lorenz96.composedStep`    the same step written with `Vector` operations, for Swift AD.
//
// dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F, indices mod N (Lorenz 1996).
//
// This file is shared (by a symbolic link) between the gradient report and the
// GradientBenchmarks suite.
import _Differentiation
import CheckpointedAD

enum Lorenz96 {
    /// The right-hand side written with differentiable `Vector` operations.
    @differentiable(reverse)
    static func rhs(_ x: Vector, _ forcing: Double) -> Vector {
        (x.rolled(by: -1) - x.rolled(by: 2)) * x.rolled(by: 1) - x + forcing
    }

    /// One RK4 step written with `Vector` operations: Swift AD derives its pullback.
    @differentiable(reverse)
    static func composedStep(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
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

    /// One fused RK4 step: three buffers (the result and two stage inputs), four passes.
    static func step(_ x: Vector, _ forcing: Double, _ dt: Double) -> Vector {
        let n = x.count
        var zA = [Double](repeating: 0, count: n), zB = [Double](repeating: 0, count: n)
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
    static func stepWithPullback(_ x: Vector, _ forcing: Double, _ dt: Double)
        -> (value: Vector, pullback: (Vector) -> (Vector, Double))
    {
        let n = x.count
        var z2 = [Double](repeating: 0, count: n), z3 = z2, z4 = z2
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
        return (value, { ybar in
            if ybar.count == 0 { return (.zero, 0) }
            var kA = [Double](repeating: 0, count: n), kB = kA
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
                                            // Stage 4: w = k̄4 = dt/6·ȳ (computed on the fly).
                                            var sum = 0.0
                                            forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
                                                let z = p4.baseAddress!, s = dt / 6
                                                let zbar = s * (y[jm1] * z[jm2] - y[jp2] * z[jp1] + y[jp1] * (z[jp2] - z[jm1]) - y[j])
                                                o[j] = y[j] + zbar
                                                a[j] = dt / 3 * y[j] + dt * zbar
                                                sum += s * y[j]
                                            }
                                            forcingBar += sum
                                            // Stages 3, 2, 1: w = k̄ from the previous pass.
                                            func pass(_ z: UnsafePointer<Double>, _ w: UnsafePointer<Double>,
                                                      _ next: UnsafeMutablePointer<Double>?, _ yWeight: Double, _ c: Double) {
                                                var sum = 0.0
                                                forEachIndex(n) { j, jm2, jm1, jp1, jp2 in
                                                    let zbar = w[jm1] * z[jm2] - w[jp2] * z[jp1] + w[jp1] * (z[jp2] - z[jm1]) - w[j]
                                                    o[j] += zbar
                                                    if let next { next[j] = yWeight * y[j] + c * zbar }
                                                    sum += w[j]
                                                }
                                                forcingBar += sum
                                            }
                                            pass(p3.baseAddress!, a.baseAddress!, b.baseAddress!, dt / 3, dt / 2)
                                            pass(p2.baseAddress!, b.baseAddress!, a.baseAddress!, dt / 6, dt / 2)
                                            pass(xp.baseAddress!, a.baseAddress!, nil, 0, 0)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return (xbar, forcingBar)
        })
    }

    /// x0_i = F + 0.01·sin(i).
    static func initialState(count n: Int, forcing: Double) -> Vector {
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
