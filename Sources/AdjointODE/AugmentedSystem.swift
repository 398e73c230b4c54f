import CheckpointedAD

/// The map the driver reverses: z_i ↦ z_{i+1} on the augmented state z = (y, q), where q
/// accumulates the running cost's quadrature and the observation terms met at each step's
/// end, with its hand-written pullback (the Runge–Kutta adjoint of ``RungeKuttaStepper``).
struct AugmentedSystem {
    let stepper: RungeKuttaStepper
    let forward: (Vector, Vector, Int) -> Vector
    let checkpointedStep: CheckpointedStep<Vector, Vector, Vector, Vector>
    let finalLoss: CheckpointedLoss<Vector, Vector, Vector, Vector>
    /// Observation terms at t₀, added outside the driver.
    let initialTerms: [ODELoss.StateTerm]

    init(solution: ODESolution, loss: ODELoss) throws(ODEError) {
        let problem = solution.problem
        let dimension = problem.dimension
        let parameterCount = problem.rightHandSide.parameterCount
        let stepper = RungeKuttaStepper(method: solution.method, rightHandSide: problem.rightHandSide)
        let grid = solution.grid

        var termsAt: [Int: [ODELoss.StateTerm]] = [:]
        for (time, term) in loss.observations {
            guard let k = grid.index(of: time) else { throw .timeNotOnGrid(time: time) }
            termsAt[k, default: []].append(term)
        }
        initialTerms = termsAt.removeValue(forKey: 0) ?? []
        let observed = termsAt
        let hasObservations = !termsAt.isEmpty
        let running = loss.combinedRunningCost

        let forward: (Vector, Vector, Int) -> Vector = { z, p, i in
            Vector(unsafeUninitializedCount: dimension + 1) { out in
                z.scalars.withUnsafeBufferPointer { zb in
                    p.scalars.withUnsafeBufferPointer { pb in
                        let next = UnsafeMutableBufferPointer(rebasing: out[0..<dimension])
                        var q = zb[dimension] + stepper.step(
                            time: grid.time(i), size: grid.size(i), state: UnsafeBufferPointer(rebasing: zb[0..<dimension]),
                            parameters: pb, into: next, runningCost: running)
                        if hasObservations, let terms = observed[i + 1] {
                            for term in terms { q += term.value(UnsafeBufferPointer(next)) }
                        }
                        out[dimension] = q
                    }
                }
            }
        }
        checkpointedStep = CheckpointedStep<Vector, Vector, Vector, Vector>(
            forward: forward,
            valueWithPullback: { z, p, i in
                let value = forward(z, p, i)
                let generation = stepper.generation
                return (value, { zBar in
                    let costWeight = zBar.count == dimension + 1 ? zBar.scalars[dimension] : 0
                    let terms = hasObservations && costWeight != 0 ? observed[i + 1] : nil
                    var parameterBar = [Double](repeating: 0, count: parameterCount)
                    let hasIncoming = zBar.count == dimension + 1
                    let stateBar = Vector(unsafeUninitializedCount: dimension + 1) { sb in
                        // λ = (∂z⁺/∂z)ᵀ z̄⁺ is written into sb, read from z̄⁺ (the zero cotangent has no elements).
                        if !hasIncoming { sb.update(repeating: 0) }
                        sb[dimension] = costWeight
                        zBar.scalars.withUnsafeBufferPointer { incoming in
                            z.scalars.withUnsafeBufferPointer { zb in
                                p.scalars.withUnsafeBufferPointer { pb in
                                    parameterBar.withUnsafeMutableBufferPointer { pBar in
                                        stepper.pullback(
                                            time: grid.time(i), size: grid.size(i), state: UnsafeBufferPointer(rebasing: zb[0..<dimension]),
                                            parameters: pb, stateAdjoint: UnsafeMutableBufferPointer(rebasing: sb[0..<dimension]),
                                            parameterAdjoint: pBar, runningCost: running, costWeight: costWeight,
                                            endState: terms.map { terms in
                                                { yNext, lambda in for term in terms { term.gradient(yNext, costWeight, lambda) } }
                                            },
                                            stagesAreCurrent: stepper.generation == generation,
                                            incoming: hasIncoming ? UnsafeBufferPointer(rebasing: incoming[0..<dimension]) : nil)
                                    }
                                }
                            }
                        }
                    }
                    return (stateBar, Vector(parameterBar))
                })
            })

        let terminal = loss.terminal
        finalLoss = CheckpointedLoss<Vector, Vector, Vector, Vector>(
            at: .final,
            value: { z, _, _ in
                z.scalars.withUnsafeBufferPointer { zb in
                    let y = UnsafeBufferPointer(rebasing: zb[0..<dimension])
                    return terminal.reduce(zb[dimension]) { $0 + $1.value(y) }
                }
            },
            valueWithGradient: { z, _, _ in
                var gradient = [Double](repeating: 0, count: dimension + 1)
                gradient[dimension] = 1
                let value = z.scalars.withUnsafeBufferPointer { zb in
                    gradient.withUnsafeMutableBufferPointer { g in
                        let y = UnsafeBufferPointer(rebasing: zb[0..<dimension])
                        let yBar = UnsafeMutableBufferPointer(rebasing: g[0..<dimension])
                        return terminal.reduce(zb[dimension]) { sum, term in
                            term.gradient(y, 1, yBar)
                            return sum + term.value(y)
                        }
                    }
                }
                return (value, Vector(gradient), .zero)
            })

        self.forward = forward
        self.stepper = stepper
    }
}
