import CheckpointedAD

/// How ``ODESolution/gradient(of:options:)`` reverses the solve: a strategy value in the
/// spirit of diffrax's `adjoint=RecursiveCheckpointAdjoint()`.
///
/// Every method computes the **discrete adjoint** (the exact gradient of the numerical
/// solution, step sizes held constant) with the Runge–Kutta adjoint recursion of
/// ``RungeKuttaStepper``; they differ only in what is kept and what is recomputed.
///
/// ```swift
/// try solve(problem, method: .rk4, span: 0...10, step: .fixed(1e-3), adjoint: .checkpointed(memory: .megabytes(64)))
/// ```
public enum AdjointMethod: Hashable, Sendable {
    /// Binomial checkpointing (Revolve) with as many checkpoints as `memory` allows after
    /// the adjoint's own working set (the stepper's stage buffers, for adaptive runs the
    /// recorded step sizes, and k − 1 group states) is taken out; `.unlimited` stores every
    /// checkpoint.
    ///
    /// `stepsPerCheckpoint` = k groups k Runge–Kutta steps into one step of the driver: the
    /// driver checkpoints every k-th state, and a group is reversed by recording its k − 1
    /// inner states and reversing them one by one. k > 1 trades one extra forward sweep for
    /// k times fewer driver steps, which pays for tiny states (N ≲ 100) whose steps are
    /// cheaper than the driver's per-step bookkeeping. The state gradient is bitwise the same
    /// for every k; the parameter gradient is summed in a different order.
    case checkpointed(memory: MemoryBudget, stepsPerCheckpoint: Int = 1)

    /// Every state stored: the fastest reverse sweep and the most memory.
    public static var storeAll: AdjointMethod { .checkpointed(memory: .unlimited) }

    /// The default: checkpointing within 256 MB.
    public static var `default`: AdjointMethod { .checkpointed(memory: .megabytes(256)) }
}
