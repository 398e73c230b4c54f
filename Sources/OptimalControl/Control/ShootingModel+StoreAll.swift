extension ShootingModel {
    /// J(controls): one forward sweep keeping two states.
    /// - Complexity: S steps, O(n) memory.
    func value(controls: [Double]) -> Double {
        precondition(controls.count == controlCount, "expected \(controlCount) control values, got \(controls.count)")
        var z = initialAugmentedState
        var next = z
        var local = Array(repeating: 0.0, count: localCount)
        controls.withUnsafeBufferPointer { u in
            local.withUnsafeMutableBufferPointer { q in
                for i in 0..<stepCount {
                    z.withUnsafeBufferPointer { zi in
                        next.withUnsafeMutableBufferPointer { advance(step: i, state: zi, controls: u, into: $0, local: q) }
                    }
                    swap(&z, &next)
                }
            }
        }
        return z.withUnsafeBufferPointer { loss($0) }
    }

    /// The states x(t_k) at the N + 1 nodes.
    func nodeStates(controls: [Double]) -> [[Double]] {
        var z = initialAugmentedState
        var next = z
        var local = Array(repeating: 0.0, count: localCount)
        var nodes = [Array(z[0..<n])]
        controls.withUnsafeBufferPointer { u in
            local.withUnsafeMutableBufferPointer { q in
                for i in 0..<stepCount {
                    z.withUnsafeBufferPointer { zi in
                        next.withUnsafeMutableBufferPointer { advance(step: i, state: zi, controls: u, into: $0, local: q) }
                    }
                    swap(&z, &next)
                    if (i + 1) % substeps == 0 { nodes.append(Array(z[0..<n])) }
                }
            }
        }
        return nodes
    }

    /// J and ∇J by keeping every augmented state: the reference the checkpointed gradient
    /// must equal bit for bit.
    /// - Complexity: S advances and S reverses; (S + 1)(n + 1) doubles of memory.
    func valueAndGradientStoringAll(controls: [Double]) -> (value: Double, gradient: [Double]) {
        precondition(controls.count == controlCount, "expected \(controlCount) control values, got \(controls.count)")
        let width = augmentedDimension
        var states = Array(repeating: 0.0, count: (stepCount + 1) * width)
        var local = Array(repeating: 0.0, count: localCount)
        var localBar = local
        var gradient = Array(repeating: 0.0, count: controlCount)
        var adjoint = Array(repeating: 0.0, count: width)
        let value: Double = controls.withUnsafeBufferPointer { u in
            local.withUnsafeMutableBufferPointer { q in
                states.withUnsafeMutableBufferPointer { all in
                    for e in 0..<width { all[e] = initialAugmentedState[e] }
                    for i in 0..<stepCount {
                        let zi = UnsafeBufferPointer(rebasing: all[(i * width)..<((i + 1) * width)])
                        let next = UnsafeMutableBufferPointer(rebasing: all[((i + 1) * width)..<((i + 2) * width)])
                        advance(step: i, state: zi, controls: u, into: next, local: q)
                    }
                    let last = UnsafeBufferPointer(rebasing: all[(stepCount * width)...])
                    adjoint.withUnsafeMutableBufferPointer { lossGradient(last, into: $0) }
                    return loss(last)
                }
            }
        }
        controls.withUnsafeBufferPointer { u in
            states.withUnsafeBufferPointer { all in
                local.withUnsafeMutableBufferPointer { q in
                    localBar.withUnsafeMutableBufferPointer { qBar in
                        adjoint.withUnsafeMutableBufferPointer { lambda in
                            gradient.withUnsafeMutableBufferPointer { g in
                                for i in stride(from: stepCount - 1, through: 0, by: -1) {
                                    let zi = UnsafeBufferPointer(rebasing: all[(i * width)..<((i + 1) * width)])
                                    reverse(step: i, state: zi, controls: u, adjoint: lambda, gradient: g, local: q, localBar: qBar)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (value, gradient)
    }
}
