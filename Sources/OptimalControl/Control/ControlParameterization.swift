/// How the control u(t) is built from finitely many values on a uniform grid of N
/// intervals t_k = t₀ + k·Δ, Δ = (T − t₀)/N.
///
/// - `piecewiseConstant`: N values per component; u(t) = u_k on [t_k, t_{k+1}).
/// - `piecewiseLinear`: N + 1 node values per component; on [t_k, t_{k+1}],
///   u(t) = (1 − θ)u_k + θu_{k+1} with θ = (t − t_k)/Δ.
///
/// The flat control vector stores value j of component c at index j·m + c. Each
/// Runge–Kutta stage of a step inside interval k evaluates u at its own stage time, with θ
/// measured from that interval's start, so a stage on the interval's right end still
/// belongs to interval k.
public enum ControlParameterization: String, Sendable, Equatable, CaseIterable {
    /// One value per interval.
    case piecewiseConstant
    /// One value per node, linearly interpolated.
    case piecewiseLinear

    /// The number of values per component for N intervals.
    public func valueCount(intervals: Int) -> Int {
        self == .piecewiseConstant ? intervals : intervals + 1
    }

    /// The number of values (per component) one interval depends on.
    var valuesPerInterval: Int { self == .piecewiseConstant ? 1 : 2 }

    /// The value index (per component) in force at node k for path constraints: u_k, or
    /// u_{N−1} at the final node of a piecewise-constant control.
    func nodeValueIndex(node k: Int, intervals: Int) -> Int {
        self == .piecewiseConstant ? Swift.min(k, intervals - 1) : k
    }
}
