/// Where one IPOPT solve spent its wall time: in the program's callbacks (values,
/// derivatives, Hessian) and, the rest, inside IPOPT itself (the KKT factorisations and
/// back-solves, the line search's bookkeeping, the quasi-Newton update).
///
/// ```swift
/// let result = try Ipopt().minimize(program, from: start)
/// print(result.timing.ipoptSeconds, result.timing.derivativeSeconds)
/// ```
public struct IpoptTiming: Sendable, Equatable {
    /// Wall seconds of the whole `IpoptSolve` call.
    public var totalSeconds: Double = 0
    /// Wall seconds inside ``NonlinearProgram/values`` (f and g).
    public var valueSeconds: Double = 0
    /// Wall seconds inside ``NonlinearProgram/derivatives`` (∇f and the constraint Jacobian).
    public var derivativeSeconds: Double = 0
    /// Wall seconds inside ``NonlinearProgram/hessian`` (0 under the limited-memory Hessian).
    public var hessianSeconds: Double = 0
    /// ``NonlinearProgram/hessian`` calls.
    public var hessianEvaluations: Int = 0

    /// A timing with every figure 0.
    public init() {}

    /// Wall seconds in the program's callbacks.
    public var callbackSeconds: Double { valueSeconds + derivativeSeconds + hessianSeconds }
    /// Wall seconds inside IPOPT: the total less the callbacks.
    public var ipoptSeconds: Double { totalSeconds - callbackSeconds }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
