import _Differentiation
import CheckpointedAD

/// A right-hand side f(x, p) over a whole field x (a 1-D line, a 2-D grid, several coupled
/// fields), swept site by site: one pass forward, one fused pass backward. What every kernel
/// shares, and what the Runge–Kutta steps and the ODE right-hand side are written against, once.
///
/// Conforming types: ``StencilKernel`` (a 1-D field), ``GridKernel`` (a 2-D field, nine-point
/// neighbourhoods), ``CoupledStencilKernel`` and ``CoupledGridKernel`` (two interleaved fields,
/// u and v of a reaction–diffusion system, on a line or a grid). Each supplies the two sweeps;
/// this extension gives
/// ``apply(to:parameters:)`` (differentiable under Swift AD),
/// ``pullback(at:parameters:cotangent:)`` and the RK4 steps (StencilKernel+RungeKutta4.swift).
///
/// ```swift
/// let heat = GridKernel(HeatSite(), rows: 64, columns: 64, boundary: .zeroFlux)
/// let dudt = heat.apply(to: u, parameters: 0.1)                  // one pass
/// let (ubar, dbar) = heat.pullback(at: u, parameters: 0.1, cotangent: ybar)
/// ```
///
/// Parameter cotangents are summed in a fixed order, site order (0, 1, …, count − 1) save
/// that a 1-D kernel sums each interior block of eight sites pairwise before adding it, so a
/// gradient is the same bit for bit on every run and under every schedule.
public protocol FieldKernel {
    /// The parameters p the site function reads besides the field.
    associatedtype Parameters: Differentiable

    /// The largest |i − j| with ∂f_i/∂x_j possibly nonzero, or nil where a periodic boundary
    /// couples the ends: what an implicit method's banded factorisation needs.
    var jacobianBandwidth: Int? { get }

    /// Whether the backward sweep scatters each site's cotangents (adding to an element once
    /// per site that reads it) rather than gathering them (writing each element once). A
    /// scattering kernel's Runge–Kutta pullback accumulates each stage into one target and
    /// adds it to x̄ in a separate pass.
    var scattersCotangents: Bool { get }

    /// Checks that a field of `count` values fits the kernel; stops with a message naming
    /// the expected size otherwise.
    ///
    /// - Complexity: O(1).
    func checkFieldCount(_ count: Int)

    /// Calls `body(j, f(x, p)_j)` for j = 0, 1, …, count − 1 in that order.
    ///
    /// - Complexity: O(count) site evaluations; allocates nothing.
    func forEachValue(of x: UnsafePointer<Double>, count: Int, parameters: Parameters, _ body: (Int, Double) -> Void)

    /// Adds J_xᵀs to `a` (and to `b` when given) for the seed s, and returns J_pᵀs summed
    /// in the kernel's fixed site order.
    ///
    /// - Complexity: O(count) site pullbacks, one pass; allocates nothing.
    func accumulatePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        into a: UnsafeMutablePointer<Double>, alsoInto b: UnsafeMutablePointer<Double>?
    ) -> Parameters.TangentVector

    /// Writes J_xᵀs over `fresh`, whatever it held, adds it to `total` when given (to the
    /// values of `base` instead of `total`'s own when `base` is given), and returns J_pᵀs:
    /// bit for bit what ``accumulatePullback(at:_:parameters:seed:into:alsoInto:)`` gives with
    /// `fresh` cleared to +0.0 and `total` (holding `base`) as the second target, without the
    /// passes that clear and copy them. A kernel that scatters its cotangents adds the
    /// finished `fresh` to `total` instead, one add per element. None of the buffers may
    /// overlap another or the seed.
    ///
    /// ```swift
    /// // z̄4 = J(z4)ᵀ(dt/6·ȳ) into zbar, and x̄ = ȳ + z̄4, in one pass:
    /// let Fbar = lorenz.overwritePullback(at: z4, n, parameters: 8, seed: PullbackSeed(dt / 6, ybar),
    ///                                     over: zbar, addingTo: xbar, from: ybar)
    /// ```
    ///
    /// A default implementation clears and copies, then accumulates; ``StencilKernel``, which
    /// writes each element once, overwrites in its sweep.
    ///
    /// - Complexity: O(count) site pullbacks, one pass; allocates nothing.
    func overwritePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        over fresh: UnsafeMutablePointer<Double>, addingTo total: UnsafeMutablePointer<Double>?, from base: UnsafePointer<Double>?
    ) -> Parameters.TangentVector
}

extension FieldKernel {
    /// Clears `fresh`, copies `base` into `total`, and accumulates: the definition of
    /// ``overwritePullback(at:_:parameters:seed:over:addingTo:from:)``. A scattering kernel
    /// accumulates into `fresh` alone and adds it to `total` in a second pass (a second
    /// target would double every site's read-modify-writes, where one pass costs one per element).
    ///
    /// - Complexity: the sweep, plus one pass to clear, one to copy and (scattering) one to add.
    @inlinable
    public func overwritePullback(
        at x: UnsafePointer<Double>, _ count: Int, parameters: Parameters, seed: PullbackSeed,
        over fresh: UnsafeMutablePointer<Double>, addingTo total: UnsafeMutablePointer<Double>?, from base: UnsafePointer<Double>?
    ) -> Parameters.TangentVector {
        fresh.initialize(repeating: 0, count: count)
        if let total, let base { total.initialize(from: base, count: count) }
        guard let total, scattersCotangents else {
            return accumulatePullback(at: x, count, parameters: parameters, seed: seed, into: fresh, alsoInto: total)
        }
        let parameterBar = accumulatePullback(at: x, count, parameters: parameters, seed: seed, into: fresh, alsoInto: nil)
        for j in 0..<count { total[j] += fresh[j] }
        return parameterBar
    }
}

extension FieldKernel {
    /// f(x) for the field x: one pass, one result buffer.
    ///
    /// ```swift
    /// let k = lorenz.apply(to: x, parameters: 8)
    /// ```
    ///
    /// Differentiable with respect to `x` and `parameters`; its pullback is the fused sweep.
    ///
    /// - Complexity: O(N) site evaluations; allocates the result only.
    @inlinable
    public func apply(to x: Vector, parameters: Parameters) -> Vector {
        let n = x.count
        return x.scalars.withUnsafeBufferPointer { input in
            Vector(unsafeUninitializedCount: n) { output in
                apply(to: input, parameters: parameters, into: output)
            }
        }
    }

    /// Writes f(x) into `output`, which must have x's count and must not overlap it.
    ///
    /// ```swift
    /// var k = [Double](repeating: 0, count: x.count)
    /// x.scalars.withUnsafeBufferPointer { xp in
    ///     k.withUnsafeMutableBufferPointer { lorenz.apply(to: xp, parameters: 8, into: $0) }
    /// }
    /// ```
    ///
    /// - Complexity: O(N) site evaluations; allocates nothing.
    @inlinable
    public func apply(to x: UnsafeBufferPointer<Double>, parameters: Parameters, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(output.count == x.count, "the output holds \(output.count) values for a field of \(x.count)")
        checkFieldCount(x.count)
        guard let base = x.baseAddress, let out = output.baseAddress else { return }
        forEachValue(of: base, count: x.count, parameters: parameters) { j, value in out[j] = value }
    }

    /// (x̄, p̄) = (J_xᵀȳ, J_pᵀȳ) of f at (x, p): one pass over the sites.
    ///
    /// ```swift
    /// let (xbar, Fbar) = lorenz.pullback(at: x, parameters: 8, cotangent: ybar)
    /// ```
    ///
    /// A zero-sized `cotangent` (Swift AD's zero) gives zero cotangents.
    ///
    /// - Complexity: O(N) site pullbacks; allocates x̄ only.
    @inlinable
    public func pullback(at x: Vector, parameters: Parameters, cotangent ybar: Vector) -> (Vector, Parameters.TangentVector) {
        let n = x.count
        if ybar.count == 0 { return (.zero, .zero) }
        precondition(ybar.count == n, "the cotangent holds \(ybar.count) values for a field of \(n)")
        checkFieldCount(n)
        var parameterBar = Parameters.TangentVector.zero
        let xbar = x.scalars.withUnsafeBufferPointer { xp in
            ybar.scalars.withUnsafeBufferPointer { yp in
                Vector(unsafeUninitializedCount: n) { out in
                    parameterBar = overwritePullback(at: xp.baseAddress!, n, parameters: parameters, seed: PullbackSeed(1, yp.baseAddress!),
                                                     over: out.baseAddress!, addingTo: nil, from: nil)
                }
            }
        }
        return (xbar, parameterBar)
    }

    /// The derivative of ``apply(to:parameters:)``: its value and the fused pullback.
    @inlinable
    @derivative(of: apply(to:parameters:), wrt: (x, parameters))
    func _vjpApply(to x: Vector, parameters: Parameters)
        -> (value: Vector, pullback: (Vector) -> (Vector, Parameters.TangentVector))
    {
        (apply(to: x, parameters: parameters), { ybar in pullback(at: x, parameters: parameters, cotangent: ybar) })
    }
}
