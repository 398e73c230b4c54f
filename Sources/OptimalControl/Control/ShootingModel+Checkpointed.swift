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

    /// The driver's options for single shooting: ``pullbackStates`` of workspace, and
    /// ``workingBytes`` reserved from a byte budget.
    func driverOptions(_ options: CheckpointingOptions) -> CheckpointingOptions {
        var driverOptions = options
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
        precondition(controls.count == controlCount, "expected \(controlCount) control values, got \(controls.count)")
        let width = augmentedDimension
        let scratch = Scratch(localCount: localCount, controlCount: controlCount)
        let step = CheckpointedStep<Vector, Double, Vector, Double>(
            forward: { z, _, i in
                Vector(unsafeUninitializedCount: width) { next in
                    z.scalars.withUnsafeBufferPointer { zi in
                        controls.withUnsafeBufferPointer { u in
                            scratch.local.withUnsafeMutableBufferPointer { q in self.advance(step: i, state: zi, controls: u, into: next, local: q) }
                        }
                    }
                }
            },
            valueWithPullback: { z, _, i in
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
            value: { z, _, _ in z.scalars.withUnsafeBufferPointer { self.loss($0) } },
            valueWithGradient: { z, _, _ in
                var seed = Array(repeating: 0.0, count: width)
                let value = z.scalars.withUnsafeBufferPointer { zb in
                    seed.withUnsafeMutableBufferPointer { self.lossGradient(zb, into: $0) }
                    return self.loss(zb)
                }
                return (value, Vector(seed), 0)
            })
        do {
            let result = try valueWithCheckpointedGradient(
                at: Vector(initialAugmentedState), parameters: 0.0, steps: stepCount, checkpointing: checkpointing,
                options: driverOptions(options), step: step, losses: [loss])
            return (result.value, scratch.gradient, result.statistics)
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
