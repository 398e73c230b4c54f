import CheckpointedAD

extension ShootingModel {
    /// Bytes single shooting holds besides the checkpoints and the driver's own state
    /// copies: the stepper's stage workspace, the controls and the control gradient, and
    /// the local-parameter scratch.
    var workingBytes: Int {
        stepper.workspaceBytes + (2 * controlCount + 2 * localCount) * MemoryLayout<Double>.stride
    }

    /// State-sized buffers a reverse holds beyond the driver's working copies: the
    /// pullback's mutable copy of the adjoint (the stages live in ``workingBytes``).
    static let pullbackStates = 1

    /// The driver's options for single shooting: ``pullbackStates`` of workspace,
    /// ``workingBytes`` reserved from a byte budget, and no taping on a second thread (the
    /// stepper's stage workspace serves both the forward and the pullback).
    func driverOptions(_ options: CheckpointingOptions) -> CheckpointingOptions {
        var driverOptions = options
        driverOptions.tapesOnRecomputingThread = false
        driverOptions.workspaceStates = Self.pullbackStates
        driverOptions.reservedBytes = workingBytes
        return driverOptions
    }

    /// Bytes the adjoint holds besides its checkpoints: single shooting's working set, the
    /// driver's working states and ``pullbackStates``.
    var bytesBesidesCheckpoints: Int { driverOptions(CheckpointingOptions()).workingBytes(steps: 0, stateBytes: stateBytes) }

    /// J and ∇J through the checkpointed driver
    /// (``CheckpointedAD/valueWithCheckpointedGradient(at:parameters:steps:checkpointing:options:step:losses:)``)
    /// as `checkpointing` says: the augmented states z_i are the driver's states, each step's
    /// pullback is ``reverse(step:state:controls:adjoint:gradient:local:localBar:stagesAreCurrent:)``,
    /// and the control gradient accumulates in place in the same order as the store-all
    /// sweep, so both give the same bits.
    ///
    /// - Parameter checkpointing: the strategy; single shooting's working set is declared
    ///   as reserved bytes, so a byte budget covers it.
    /// - Throws: ``ControlError/checkpointing(_:)``.
    /// - Complexity: t(S, s) advances and S reverses for s slots (Griewank & Walther 2000).
    func valueAndGradientCheckpointed(controls: [Double], checkpointing: Checkpointing<Vector>,
                                      options: CheckpointingOptions = CheckpointingOptions())
        throws(ControlError) -> (value: Double, gradient: [Double], statistics: CheckpointingStatistics)
    {
        let result = try pullbackCheckpointed(controls: controls, from: initialAugmentedState, steps: 0..<stepCount,
                                              seed: nil, checkpointing: checkpointing, options: options)
        return (result.value, result.gradient, result.statistics)
    }

    /// The checkpointed adjoint of the steps `steps` from the augmented state `initial`:
    /// with `seed` nil, of the loss J + φ(x) (``loss(_:)``); otherwise of the linear
    /// functional seed·z of the last state (a row of the steps' Jacobian). Returns the
    /// loss, the cotangent of `initial`, and the cotangent of every control value.
    /// - Throws: ``ControlError/checkpointing(_:)``.
    func pullbackCheckpointed(controls: [Double], from initial: [Double], steps: Range<Int>, seed: [Double]?,
                              checkpointing: Checkpointing<Vector>, options: CheckpointingOptions = CheckpointingOptions())
        throws(ControlError) -> (value: Double, initialCotangent: [Double], gradient: [Double], statistics: CheckpointingStatistics)
    {
        precondition(controls.count == controlCount, "expected \(controlCount) control values, got \(controls.count)")
        precondition(initial.count == augmentedDimension && (seed?.count ?? augmentedDimension) == augmentedDimension,
                     "an augmented state and a seed have \(augmentedDimension) entries, got \(initial.count) and \(seed?.count ?? 0)")
        let width = augmentedDimension
        let offset = steps.lowerBound
        let scratch = Scratch(localCount: localCount, controlCount: controlCount)
        let step = CheckpointedStep<Vector, Double, Vector, Double>(
            forward: { z, _, local in
                Vector(unsafeUninitializedCount: width) { next in
                    z.scalars.withUnsafeBufferPointer { zi in
                        controls.withUnsafeBufferPointer { u in
                            scratch.local.withUnsafeMutableBufferPointer { q in self.advance(step: offset + local, state: zi, controls: u, into: next, local: q) }
                        }
                    }
                }
            },
            valueWithPullback: { z, _, local in
                let i = offset + local
                let value = Vector(unsafeUninitializedCount: width) { next in
                    z.scalars.withUnsafeBufferPointer { zi in
                        controls.withUnsafeBufferPointer { u in
                            scratch.local.withUnsafeMutableBufferPointer { q in self.advance(step: i, state: zi, controls: u, into: next, local: q) }
                        }
                    }
                }
                let generation = self.stepper.generation
                return (value, { zBar in
                    var adjoint = zBar.count == width ? zBar.scalars : Array(repeating: 0, count: width)
                    z.scalars.withUnsafeBufferPointer { zi in
                        controls.withUnsafeBufferPointer { u in
                            adjoint.withUnsafeMutableBufferPointer { lambda in
                                scratch.gradient.withUnsafeMutableBufferPointer { g in
                                    scratch.local.withUnsafeMutableBufferPointer { q in
                                        scratch.localBar.withUnsafeMutableBufferPointer { qBar in
                                            self.reverse(step: i, state: zi, controls: u, adjoint: lambda, gradient: g,
                                                         local: q, localBar: qBar,
                                                         stagesAreCurrent: self.stepper.generation == generation)
                                        }
                                    }
                                }
                            }
                        }
                    }
                    return (Vector(adjoint), 0)
                })
            })
        let loss = CheckpointedLoss<Vector, Double, Vector, Double>(
            at: .final,
            value: { z, _, _ in
                if let seed { return zip(seed, z.scalars).reduce(0) { $0 + $1.0 * $1.1 } }
                return z.scalars.withUnsafeBufferPointer { self.loss($0) }
            },
            valueWithGradient: { z, _, _ in
                if let seed { return (zip(seed, z.scalars).reduce(0) { $0 + $1.0 * $1.1 }, Vector(seed), 0) }
                var gradient = Array(repeating: 0.0, count: width)
                let value = z.scalars.withUnsafeBufferPointer { zb in
                    gradient.withUnsafeMutableBufferPointer { self.lossGradient(zb, into: $0) }
                    return self.loss(zb)
                }
                return (value, Vector(gradient), 0)
            })
        do {
            let result = try valueWithCheckpointedGradient(
                at: Vector(initial), parameters: 0.0, steps: steps.count, checkpointing: checkpointing,
                options: driverOptions(options), step: step, losses: [loss])
            let cotangent = result.initialState.count == width ? result.initialState.scalars : Array(repeating: 0, count: width)
            return (result.value, cotangent, scratch.gradient, result.statistics)
        } catch {
            throw .checkpointing(error)
        }
    }
}

/// Buffers the checkpointed step closures share: the local parameters and the control
/// gradient accumulated by the pullbacks.
private final class Scratch {
    var local: [Double]
    var localBar: [Double]
    var gradient: [Double]

    init(localCount: Int, controlCount: Int) {
        local = Array(repeating: 0, count: localCount)
        localBar = local
        gradient = Array(repeating: 0, count: controlCount)
    }
}
